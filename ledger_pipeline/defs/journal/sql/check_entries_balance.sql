-- Entries that do not balance (in the transaction or the books currency), whose totals disagree with
-- their lines, or with a line whose lineage does not add up to it.
WITH lines AS (
    SELECT l.entry_key, sum(l.debit) AS debit, sum(l.credit) AS credit, sum(l.books_debit) AS books_debit,
           sum(l.books_credit) AS books_credit
    FROM journal.lines l
    JOIN journal.entries e ON e.entry_key = l.entry_key
    WHERE e.tenant = $tenant
    GROUP BY l.entry_key
),
lineage AS (
    SELECT l.entry_key,
           count(*) FILTER (WHERE l.debit - l.credit <> coalesce(s.amount, 0)
                               OR l.books_debit - l.books_credit <> coalesce(s.books_amount, 0)) AS untraced_lines
    FROM journal.lines l
    JOIN journal.entries e ON e.entry_key = l.entry_key
    LEFT JOIN (SELECT entry_key, line_no, sum(amount) AS amount, sum(books_amount) AS books_amount
               FROM journal.line_sources GROUP BY ALL) s ON s.entry_key = l.entry_key AND s.line_no = l.line_no
    WHERE e.tenant = $tenant
    GROUP BY l.entry_key
)
SELECT e.entry_key, e.kind, e.currency, coalesce(l.debit, 0), coalesce(l.credit, 0), coalesce(l.books_debit, 0),
       coalesce(l.books_credit, 0), e.total_debit, e.total_credit, coalesce(x.untraced_lines, 0), e.books_currency
FROM journal.entries e
LEFT JOIN lines l ON l.entry_key = e.entry_key
LEFT JOIN lineage x ON x.entry_key = e.entry_key
WHERE e.tenant = $tenant
  AND (l.entry_key IS NULL OR l.debit <> l.credit OR l.books_debit <> l.books_credit OR l.debit <> e.total_debit
       OR l.credit <> e.total_credit OR coalesce(x.untraced_lines, 0) > 0)
ORDER BY e.entry_key;
