-- Entries held back, one row per value that stopped them, with where to map it.
SELECT * FROM quarantine.journal_entries WHERE tenant = $tenant ORDER BY mode, entry_date, entry_key, value_kind, value;
