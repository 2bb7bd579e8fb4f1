DELETE FROM staging.products WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'product');
INSERT INTO staging.products
SELECT object_id, j.name, j.description, j.active, j.type, j.default_price, j.tax_code, j.unit_label,
       j.statement_descriptor, j.url, j.metadata, to_timestamp(j.created), to_timestamp(j.updated), deleted,
       deleted_at, partition_date, observed_at, extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"name": "VARCHAR", "description": "VARCHAR", "active": "BOOLEAN",
        "type": "VARCHAR", "default_price": "VARCHAR", "tax_code": "VARCHAR", "unit_label": "VARCHAR",
        "statement_descriptor": "VARCHAR", "url": "VARCHAR", "metadata": "JSON", "created": "BIGINT",
        "updated": "BIGINT"}') AS j
    FROM raw.current_state('product', observations := 'affected_observations') c
);
