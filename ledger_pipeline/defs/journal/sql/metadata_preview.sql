-- A few of the day's entries with their lines, for a reviewer's first look.
WITH shown AS (
    SELECT entry_key, entry_date, kind, memo, currency
    FROM journal.entries
    WHERE tenant = $tenant AND anchor_date = $day
    ORDER BY entry_date, entry_key
    LIMIT $limit
)
SELECT s.entry_key, s.entry_date, s.kind, s.memo, s.currency, l.line_no, l.account_ref, l.account_name, l.debit,
       l.credit, l.description, l.tracking_name
FROM shown s
JOIN journal.lines l ON l.entry_key = s.entry_key
ORDER BY s.entry_date, s.entry_key, l.line_no;
