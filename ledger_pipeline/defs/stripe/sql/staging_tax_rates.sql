DELETE FROM staging.tax_rates WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'tax_rate');
INSERT INTO staging.tax_rates
SELECT object_id, j.display_name, j.description, j.percentage::DECIMAL(38, 18),
       j.effective_percentage::DECIMAL(38, 18), j.inclusive, j.active, j.country, j.state, j.jurisdiction,
       j.jurisdiction_level, j.tax_type, j.rate_type, j.metadata, to_timestamp(j.created), partition_date,
       observed_at, extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"display_name": "VARCHAR", "description": "VARCHAR", "percentage": "VARCHAR",
        "effective_percentage": "VARCHAR", "inclusive": "BOOLEAN", "active": "BOOLEAN", "country": "VARCHAR",
        "state": "VARCHAR", "jurisdiction": "VARCHAR", "jurisdiction_level": "VARCHAR", "tax_type": "VARCHAR",
        "rate_type": "VARCHAR", "metadata": "JSON", "created": "BIGINT"}') AS j
    FROM raw.current_state('tax_rate', observations := 'affected_observations') c
);
