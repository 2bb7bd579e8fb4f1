-- What we put in the books, per account, through $end: the journal lines of every record live in the books
-- (debit positive, books currency minor units).
SELECT l.account_ref, any_value(l.account_name) AS account_name,
       sum(l.books_debit)::BIGINT - sum(l.books_credit)::BIGINT AS balance
FROM sync.external_ids AS x
JOIN journal.entries AS e ON e.entry_key = x.record_key
JOIN journal.lines AS l ON l.entry_key = e.entry_key
WHERE x.target = $target AND x.company_id = $company AND x.status = 'posted' AND e.entry_date <= $end
GROUP BY l.account_ref
ORDER BY l.account_ref
