-- Every mapping version loaded for the tenant, the file as parsed (content), and which one is current.
SELECT v.*, v.version = c.version AS is_current
FROM mapping.versions v
LEFT JOIN mapping.current c ON c.tenant = v.tenant
WHERE v.tenant = $tenant
ORDER BY v.loaded_at, v.version;
