-- Current state of the payouts this partition saw (created that day, changed that day, re-listed).
DELETE FROM staging.payouts WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'payout');
INSERT INTO staging.payouts
SELECT object_id, j.amount, j.currency, j.automatic, j.status, j.reconciliation_status, j.method, j.type,
       j.source_type, to_timestamp(j.arrival_date), j.balance_transaction, j.failure_balance_transaction,
       j.failure_code, j.failure_message, j.destination, j.original_payout, j.reversed_by, j.description,
       j.statement_descriptor, j.metadata, to_timestamp(j.created), partition_date, observed_at, extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"amount": "BIGINT", "currency": "VARCHAR", "automatic": "BOOLEAN",
        "status": "VARCHAR", "reconciliation_status": "VARCHAR", "method": "VARCHAR", "type": "VARCHAR",
        "source_type": "VARCHAR", "arrival_date": "BIGINT", "balance_transaction": "VARCHAR",
        "failure_balance_transaction": "VARCHAR", "failure_code": "VARCHAR", "failure_message": "VARCHAR",
        "destination": "VARCHAR", "original_payout": "VARCHAR", "reversed_by": "VARCHAR", "description": "VARCHAR",
        "statement_descriptor": "VARCHAR", "metadata": "JSON", "created": "BIGINT"}') AS j
    FROM raw.current_state('payout', observations := 'affected_observations') c
);
