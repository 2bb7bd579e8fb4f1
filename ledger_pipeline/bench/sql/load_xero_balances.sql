-- What the Xero benchmark's books should hold: the debit-positive total of its journal lines per account code.
SELECT l.account_ref, sum(l.books_debit) - sum(l.books_credit) AS amount
FROM journal.lines AS l
JOIN journal.entries AS e USING (entry_key)
WHERE e.tenant = $tenant
GROUP BY 1
HAVING sum(l.books_debit) - sum(l.books_credit) <> 0
