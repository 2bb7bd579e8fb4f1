-- The tenant's own account (GET /v1/account) and, on a platform, its connected accounts.
DELETE FROM staging.accounts WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'account');
INSERT INTO staging.accounts
SELECT object_id, j.type, j.business_profile.name, j.settings.dashboard.display_name, j.email, j.country,
       j.default_currency, j.settings.dashboard.timezone, j.settings.payouts.schedule.interval, j.charges_enabled,
       j.payouts_enabled, j.details_submitted,
       object_id IN (SELECT object_id FROM raw.stripe_objects WHERE object_type = 'account' AND origin = 'account'),
       j.metadata, to_timestamp(j.created), partition_date, observed_at, extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"type": "VARCHAR", "business_profile": {"name": "VARCHAR"},
        "settings": {"dashboard": {"display_name": "VARCHAR", "timezone": "VARCHAR"},
                     "payouts": {"schedule": {"interval": "VARCHAR"}}},
        "email": "VARCHAR", "country": "VARCHAR", "default_currency": "VARCHAR", "charges_enabled": "BOOLEAN",
        "payouts_enabled": "BOOLEAN", "details_submitted": "BOOLEAN", "metadata": "JSON",
        "created": "BIGINT"}') AS j
    FROM raw.current_state('account', observations := 'affected_observations') c
);
