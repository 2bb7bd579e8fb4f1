DELETE FROM staging.application_fees
WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'application_fee');
INSERT INTO staging.application_fees
SELECT object_id, j.amount, j.amount_refunded, j.currency, j.refunded, j.account, j.application, j.charge,
       j.originating_transaction, j.balance_transaction, to_timestamp(j.created), partition_date, observed_at,
       extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"amount": "BIGINT", "amount_refunded": "BIGINT", "currency": "VARCHAR",
        "refunded": "BOOLEAN", "account": "VARCHAR", "application": "VARCHAR", "charge": "VARCHAR",
        "originating_transaction": "VARCHAR", "balance_transaction": "VARCHAR", "created": "BIGINT"}') AS j
    FROM raw.current_state('application_fee', observations := 'affected_observations') c
);
