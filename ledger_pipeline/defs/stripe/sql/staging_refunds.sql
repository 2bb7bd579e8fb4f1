DELETE FROM staging.refunds WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'refund');
INSERT INTO staging.refunds
SELECT object_id, j.amount, j.currency, j.charge, j.payment_intent, j.status, j.reason, j.balance_transaction,
       j.failure_balance_transaction, j.failure_reason, j.source_transfer_reversal, j.transfer_reversal,
       j.description, j.metadata, to_timestamp(j.created), partition_date, observed_at, extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"amount": "BIGINT", "currency": "VARCHAR", "charge": "VARCHAR",
        "payment_intent": "VARCHAR", "status": "VARCHAR", "reason": "VARCHAR", "balance_transaction": "VARCHAR",
        "failure_balance_transaction": "VARCHAR", "failure_reason": "VARCHAR",
        "source_transfer_reversal": "VARCHAR", "transfer_reversal": "VARCHAR", "description": "VARCHAR",
        "metadata": "JSON", "created": "BIGINT"}') AS j
    FROM raw.current_state('refund', observations := 'affected_observations') c
);
