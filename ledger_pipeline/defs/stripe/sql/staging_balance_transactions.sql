-- Day slice: the balance transactions created in the partition's window, and their fee lines.
DELETE FROM staging.balance_transaction_fees WHERE partition_date = (SELECT partition_date FROM extraction_run);
DELETE FROM staging.balance_transactions WHERE partition_date = (SELECT partition_date FROM extraction_run);

CREATE OR REPLACE TEMP TABLE slice_balance_transactions AS
SELECT o.partition_date, o.extracted_at,
       from_json(o.data, '{"id": "VARCHAR", "type": "VARCHAR", "reporting_category": "VARCHAR",
           "amount": "BIGINT", "fee": "BIGINT", "net": "BIGINT", "currency": "VARCHAR",
           "exchange_rate": "VARCHAR", "created": "BIGINT", "available_on": "BIGINT", "status": "VARCHAR",
           "balance_type": "VARCHAR", "description": "VARCHAR", "source": "JSON",
           "fee_details": [{"type": "VARCHAR", "amount": "BIGINT", "currency": "VARCHAR",
                            "application": "VARCHAR", "description": "VARCHAR"}]}') AS j
FROM raw.stripe_objects o
WHERE o.partition_date = (SELECT partition_date FROM extraction_run)
  AND o.object_type = 'balance_transaction' AND o.origin = 'list';

INSERT INTO staging.balance_transactions
SELECT j.id, partition_date, j.type, j.reporting_category, j.amount, j.fee, j.net, j.currency,
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
       j.description, extracted_at
FROM slice_balance_transactions;

INSERT INTO staging.balance_transaction_fees
SELECT balance_transaction_id, position, partition_date, fee.type, fee.amount, fee.currency, fee.application,
       fee.description, extracted_at
FROM (
    SELECT j.id AS balance_transaction_id, partition_date, extracted_at,
           unnest(j.fee_details) AS fee, unnest(range(len(j.fee_details))) AS position
    FROM slice_balance_transactions
);
