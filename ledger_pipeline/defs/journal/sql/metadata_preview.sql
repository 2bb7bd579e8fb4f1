-- A few of the day's entries with their lines, for a reviewer's first look: each with its payout, how many
-- balance transactions it books and the first of their ids.
WITH shown AS (
    SELECT entry_key, entry_date, kind, memo, currency, payout_id, source_count
    FROM journal.entries
    WHERE tenant = $tenant AND anchor_date = $day
    ORDER BY entry_date, entry_key
    LIMIT $limit
),
sources AS (
    SELECT entry_key, list(DISTINCT balance_transaction_id ORDER BY balance_transaction_id)[1:3] AS first_ids,
           count(DISTINCT balance_transaction_id) AS transactions
    FROM journal.line_sources
    WHERE entry_key IN (SELECT entry_key FROM shown) AND balance_transaction_id IS NOT NULL
    GROUP BY entry_key
)
SELECT s.entry_key, s.entry_date, s.kind, s.memo, s.currency, l.line_no, l.account_ref, l.account_name, l.debit,
       l.credit, l.description, l.tracking_name, s.payout_id, coalesce(x.transactions, 0),
       coalesce(x.first_ids, [])
FROM shown s
JOIN journal.lines l ON l.entry_key = s.entry_key
LEFT JOIN sources x ON x.entry_key = s.entry_key
ORDER BY s.entry_date, s.entry_key, l.line_no;
