-- What we put in the books per account code, debit positive, books currency minor units: through $end, and
-- the part dated before $year_start (Xero's trial balance folds earlier years' revenue and expenses into
-- retained earnings). Only records live in the books count.
SELECT l.account_ref, any_value(l.account_name) AS account_name,
       sum(l.books_debit)::BIGINT - sum(l.books_credit)::BIGINT AS through_end,
       (coalesce(sum(l.books_debit) FILTER (WHERE e.entry_date < $year_start), 0)
        - coalesce(sum(l.books_credit) FILTER (WHERE e.entry_date < $year_start), 0))::BIGINT AS before_year
FROM sync.external_ids AS x
JOIN journal.entries AS e ON e.entry_key = x.record_key
JOIN journal.lines AS l ON l.entry_key = e.entry_key
WHERE x.target = $target AND x.company_id = $company AND x.status = 'posted' AND e.entry_date <= $end
GROUP BY l.account_ref
ORDER BY l.account_ref
