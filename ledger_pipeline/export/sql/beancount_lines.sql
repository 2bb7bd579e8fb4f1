-- Their lines, each with its signed amounts (debit positive) and the balance transactions behind it.
WITH shown AS (
    SELECT entry_key, entry_date FROM journal.entries
    WHERE tenant = $tenant AND mode = $mode
      AND ($date_from IS NULL OR entry_date >= $date_from) AND ($date_to IS NULL OR entry_date <= $date_to)
),
traced AS (
    SELECT ls.entry_key, ls.line_no,
           list(DISTINCT ls.balance_transaction_id ORDER BY ls.balance_transaction_id)
               FILTER (WHERE ls.balance_transaction_id IS NOT NULL) AS balance_transactions
    FROM journal.line_sources ls
    WHERE ls.entry_key IN (SELECT entry_key FROM shown)
    GROUP BY ls.entry_key, ls.line_no
)
SELECT l.entry_key, l.line_no, l.role, l.account_ref, l.description, l.currency, l.books_currency,
       l.debit - l.credit AS amount, l.books_debit - l.books_credit AS books_amount,
       coalesce(t.balance_transactions, []) AS balance_transactions
FROM journal.lines l
JOIN shown s ON s.entry_key = l.entry_key
LEFT JOIN traced t ON t.entry_key = l.entry_key AND t.line_no = l.line_no
ORDER BY s.entry_date, l.entry_key, l.line_no;
