DELETE FROM staging.transfers WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'transfer');
INSERT INTO staging.transfers
SELECT object_id, j.amount, j.amount_reversed, j.currency, j.reversed, j.destination, j.destination_payment,
       j.balance_transaction, j.source_transaction, j.source_type, j.transfer_group, j.description, j.metadata,
       to_timestamp(j.created), partition_date, observed_at, extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"amount": "BIGINT", "amount_reversed": "BIGINT", "currency": "VARCHAR",
        "reversed": "BOOLEAN", "destination": "VARCHAR", "destination_payment": "VARCHAR",
        "balance_transaction": "VARCHAR", "source_transaction": "VARCHAR", "source_type": "VARCHAR",
        "transfer_group": "VARCHAR", "description": "VARCHAR", "metadata": "JSON", "created": "BIGINT"}') AS j
    FROM raw.current_state('transfer', observations := 'affected_observations') c
);
