-- Everything held in quarantine for want of a mapping (or of data), value by value.
SELECT value_kind, value, min(reason), mapping_file, mapping_key, count(DISTINCT entry_key),
       list(DISTINCT entry_key ORDER BY entry_key),
       flatten(list(balance_transaction_ids)), flatten(list(source_ids))
FROM quarantine.journal_entries
WHERE tenant = $tenant
GROUP BY value_kind, value, mapping_file, mapping_key
ORDER BY value_kind, value;
