-- Every account the tenant's mapping names, by role, with the key to change in the file.
SELECT role, key, ref, name, path FROM mapping.accounts WHERE version = $version
UNION ALL
SELECT 'product', match_value, account_ref, account_name, path || '.account' FROM mapping.products
WHERE version = $version
UNION ALL
SELECT 'tax_rate', match_value, account_ref, account_name, path || '.account' FROM mapping.tax_rates
WHERE version = $version AND account_ref IS NOT NULL
ORDER BY path
