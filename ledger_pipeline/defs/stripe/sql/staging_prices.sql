DELETE FROM staging.prices WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'price');
INSERT INTO staging.prices
SELECT object_id, j.product, j.currency, j.unit_amount, j.unit_amount_decimal, j.billing_scheme, j.type,
       j.recurring.interval, j.recurring.interval_count, j.recurring.usage_type, j.active, j.tax_behavior,
       j.nickname, j.lookup_key, j.metadata, to_timestamp(j.created), deleted, partition_date, observed_at,
       extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"product": "VARCHAR", "currency": "VARCHAR", "unit_amount": "BIGINT",
        "unit_amount_decimal": "VARCHAR", "billing_scheme": "VARCHAR", "type": "VARCHAR",
        "recurring": {"interval": "VARCHAR", "interval_count": "BIGINT", "usage_type": "VARCHAR"},
        "active": "BOOLEAN", "tax_behavior": "VARCHAR", "nickname": "VARCHAR", "lookup_key": "VARCHAR",
        "metadata": "JSON", "created": "BIGINT"}') AS j
    FROM raw.current_state('price', observations := 'affected_observations') c
);
