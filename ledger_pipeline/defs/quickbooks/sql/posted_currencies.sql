-- The books currencies of everything live in the books for this company.
SELECT DISTINCT upper(e.books_currency)
FROM sync.external_ids AS x
JOIN journal.entries AS e ON e.entry_key = x.record_key
WHERE x.target = $target AND x.company_id = $company AND x.status = 'posted'
