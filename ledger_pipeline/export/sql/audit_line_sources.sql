-- Which Stripe balance transactions (and which part of each) make up every line, to the cent.
SELECT ls.*
FROM journal.line_sources ls
JOIN journal.entries e ON e.entry_key = ls.entry_key
WHERE e.tenant = $tenant
ORDER BY e.mode, e.entry_date, ls.entry_key, ls.line_no, ls.balance_transaction_id NULLS LAST, ls.component;
