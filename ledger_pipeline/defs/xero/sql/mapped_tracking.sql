-- The Xero tracking category the tenant's mapping names, and the options it uses, with the key to change.
SELECT v.tracking_dimension AS category, t.ref AS option, t.name, t.path
FROM mapping.tracking AS t
JOIN mapping.versions AS v ON v.version = t.version
WHERE t.version = $version AND v.tracking_dimension IS NOT NULL
  AND lower(v.tracking_dimension) NOT IN ('class', 'department', 'location')
ORDER BY t.path
