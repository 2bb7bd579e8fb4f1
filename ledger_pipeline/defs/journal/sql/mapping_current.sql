-- The mapping version a tenant uses now, with its settings.
SELECT v.version, v.file, v.books_currency, v.target, v.company, v.posting_mode, v.payout_schedule,
       v.tracking_dimension, v.tracking_metadata_key, v.untaxed_tax_code_ref, v.untaxed_tax_code_name,
       v.opening_balance_as_of
FROM mapping.current c
JOIN mapping.versions v ON v.version = c.version
WHERE c.tenant = $tenant;
