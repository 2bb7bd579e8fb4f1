-- Current state of customers; a deleted one keeps its last known fields.
DELETE FROM staging.customers WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'customer');
INSERT INTO staging.customers
SELECT object_id, j.name, j.email, j.description, j.phone, j.currency, j.balance, j.delinquent, j.tax_exempt,
       j.address ->> '$.country', j.address, j.invoice_prefix, j.preferred_locales, j.metadata,
       to_timestamp(j.created), deleted, deleted_at, partition_date, observed_at, extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"name": "VARCHAR", "email": "VARCHAR", "description": "VARCHAR",
        "phone": "VARCHAR", "currency": "VARCHAR", "balance": "BIGINT", "delinquent": "BOOLEAN",
        "tax_exempt": "VARCHAR", "address": "JSON", "invoice_prefix": "VARCHAR", "preferred_locales": "JSON",
        "metadata": "JSON", "created": "BIGINT"}') AS j
    FROM raw.current_state('customer', observations := 'affected_observations') c
);
