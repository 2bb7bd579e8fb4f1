-- Every journal entry of the tenant (both modes), as built.
SELECT * FROM journal.entries WHERE tenant = $tenant ORDER BY mode, entry_date, entry_key;
