-- The same sources with the Stripe objects behind them: type, category, source (ch_, re_, du_, po_, ...),
-- the charge, the payout that carried them.
SELECT ll.*
FROM journal.line_lineage ll
JOIN journal.entries e ON e.entry_key = ll.entry_key
WHERE e.tenant = $tenant
ORDER BY e.mode, e.entry_date, ll.entry_key, ll.line_no, ll.balance_transaction_id NULLS LAST, ll.component;
