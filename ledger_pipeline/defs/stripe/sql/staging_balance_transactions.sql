-- Day slice, a batch at a time: the balance transactions created in the partition's window, with their fee
-- lines. (begin_slice.sql cleared the slice; a repeat within the slice is skipped, while an id already in
-- another day's slice still fails loudly on the primary key: two windows must never overlap.)
CREATE OR REPLACE TEMP TABLE batch_balance_transactions AS
SELECT from_json(data, '{"id": "VARCHAR", "type": "VARCHAR", "reporting_category": "VARCHAR",
           "amount": "BIGINT", "fee": "BIGINT", "net": "BIGINT", "currency": "VARCHAR",
           "exchange_rate": "VARCHAR", "created": "BIGINT", "available_on": "BIGINT", "status": "VARCHAR",
           "balance_type": "VARCHAR", "description": "VARCHAR", "source": "JSON",
           "fee_details": [{"type": "VARCHAR", "amount": "BIGINT", "currency": "VARCHAR",
                            "application": "VARCHAR", "description": "VARCHAR"}]}') AS j
FROM batch_objects
WHERE object_type = 'balance_transaction' AND origin = 'list'
  AND object_id NOT IN (
      SELECT id FROM staging.balance_transactions WHERE partition_date = (SELECT partition_date FROM extraction_run));

INSERT INTO staging.balance_transactions
SELECT j.id, run.partition_date, j.type, j.reporting_category, j.amount, j.fee, j.net, j.currency,
       j.exchange_rate::DECIMAL(38, 18), to_timestamp(j.created), to_timestamp(j.available_on), j.status,
       j.balance_type,
       CASE json_type(j.source) WHEN 'OBJECT' THEN j.source ->> '$.id' WHEN 'VARCHAR' THEN j.source ->> '$' END,
       CASE WHEN json_type(j.source) = 'OBJECT' THEN j.source ->> '$.object'
            -- an unexpanded id: Stripe's prefixes (a MAP lookup; DuckDB 2.0 mis-binds `split_part(...) = ...`
            -- over an all-NULL column)
            ELSE MAP {'ch': 'charge', 'py': 'charge', 're': 'refund', 'pyr': 'refund', 'du': 'dispute',
                      'po': 'payout', 'tr': 'transfer', 'fee': 'application_fee', 'fr': 'fee_refund',
                      'trr': 'transfer_reversal', 'tu': 'topup'}[split_part(j.source ->> '$', '_', 1)]
       END,
       j.description, run.extracted_at
FROM batch_balance_transactions, extraction_run run;

INSERT INTO staging.balance_transaction_fees
SELECT balance_transaction_id, position, run.partition_date, fee.type, fee.amount, fee.currency, fee.application,
       fee.description, run.extracted_at
FROM (
    SELECT j.id AS balance_transaction_id, unnest(j.fee_details) AS fee, unnest(range(len(j.fee_details))) AS position
    FROM batch_balance_transactions
), extraction_run run;
