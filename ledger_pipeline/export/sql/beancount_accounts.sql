-- Every account the mapping names (any version loaded for the tenant) or a line of the mode posts to,
-- one row per target account (ref): its name as the current mapping writes it, and every role it plays.
WITH named AS (
    SELECT a.ref, a.name, a.role, v.version = c.version AS current, v.loaded_at
    FROM mapping.accounts a
    JOIN mapping.versions v ON v.version = a.version AND v.tenant = $tenant
    LEFT JOIN mapping.current c ON c.tenant = $tenant
    UNION ALL
    SELECT p.account_ref, p.account_name, 'revenue', v.version = c.version, v.loaded_at
    FROM mapping.products p
    JOIN mapping.versions v ON v.version = p.version AND v.tenant = $tenant
    LEFT JOIN mapping.current c ON c.tenant = $tenant
    UNION ALL
    SELECT t.account_ref, t.account_name, 'tax', v.version = c.version, v.loaded_at
    FROM mapping.tax_rates t
    JOIN mapping.versions v ON v.version = t.version AND v.tenant = $tenant
    LEFT JOIN mapping.current c ON c.tenant = $tenant
    WHERE t.account_ref IS NOT NULL
    UNION ALL
    SELECT DISTINCT l.account_ref, l.account_name, l.role, false, NULL::TIMESTAMPTZ
    FROM journal.lines l
    JOIN journal.entries e ON e.entry_key = l.entry_key
    WHERE e.tenant = $tenant AND e.mode = $mode
)
SELECT ref,
       first(name ORDER BY current DESC, loaded_at DESC NULLS LAST, name) AS name,
       list(DISTINCT role ORDER BY role) AS roles
FROM named
GROUP BY ref
ORDER BY ref;
