-- The accounts each version names, by role and key, with where in the file they are written.
SELECT a.*
FROM mapping.accounts a
JOIN mapping.versions v ON v.version = a.version
WHERE v.tenant = $tenant
ORDER BY v.loaded_at, a.version, a.role, a.key;
