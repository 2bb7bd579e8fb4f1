-- The posting modes the tenant's journal holds. Each is a complete set of books on its own (together
-- they would count the same money twice), so each becomes its own ledger.
SELECT mode, any_value(books_currency) AS books_currency, count(*) AS entries
FROM journal.entries
WHERE tenant = $tenant
GROUP BY mode
ORDER BY mode;
