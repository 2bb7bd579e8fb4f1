-- The tax codes, classes and items the tenant's mapping names, with the key to change in the file.
SELECT 'tax_code' AS list, tax_code_ref AS ref, tax_code_name AS name, path || '.tax_code' AS path
FROM mapping.tax_rates WHERE version = $version AND tax_code_ref IS NOT NULL
UNION ALL
SELECT 'tax_code', untaxed_tax_code_ref, untaxed_tax_code_name, 'untaxed_tax_code'
FROM mapping.versions WHERE version = $version AND untaxed_tax_code_ref IS NOT NULL
UNION ALL
SELECT 'class', t.ref, t.name, t.path
FROM mapping.tracking AS t JOIN mapping.versions AS v ON v.version = t.version
WHERE t.version = $version AND lower(v.tracking_dimension) = 'class'
UNION ALL
SELECT 'item', item_ref, item_name, path || '.item' FROM mapping.products
WHERE version = $version AND item_ref IS NOT NULL
ORDER BY list, path
