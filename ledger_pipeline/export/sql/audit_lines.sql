-- Their lines: amounts in the transaction and the books currency, accounts, tax codes, tracking, mapping version.
SELECT l.*
FROM journal.lines l
JOIN journal.entries e ON e.entry_key = l.entry_key
WHERE e.tenant = $tenant
ORDER BY e.mode, e.entry_date, l.entry_key, l.line_no;
