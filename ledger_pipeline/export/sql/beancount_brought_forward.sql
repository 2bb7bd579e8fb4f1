-- What every account held, by currency, from the mode's entries dated before the window: the books'
-- own balances, carried into the first day shown.
SELECT l.account_ref, l.currency, l.books_currency,
       sum(l.debit - l.credit)::BIGINT AS amount, sum(l.books_debit - l.books_credit)::BIGINT AS books_amount
FROM journal.lines l
JOIN journal.entries e ON e.entry_key = l.entry_key
WHERE e.tenant = $tenant AND e.mode = $mode AND e.entry_date < $date_from
GROUP BY ALL
ORDER BY ALL;
