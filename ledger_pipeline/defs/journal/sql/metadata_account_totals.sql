-- Lines, debits and credits per account over the entries the partition's day owns.
SELECT l.account_ref || ' ' || l.account_name AS account, l.currency, count(*) AS lines, sum(l.debit), sum(l.credit),
       l.books_currency, sum(l.books_debit), sum(l.books_credit)
FROM journal.lines l
JOIN journal.entries e ON e.entry_key = l.entry_key
WHERE e.tenant = $tenant AND e.anchor_date = $day
GROUP BY ALL
ORDER BY 1, 2;
