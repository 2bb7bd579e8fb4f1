-- Every record live in the books with a date in the window, with what the books should hold of it.
-- `stale`: the journal has moved on since it was posted (the next run updates it). A part
-- (`<entry key>#<part>`, entries.py) comes with its entry's date, currency and hash.
SELECT x.record_key, x.remote_kind, x.remote_id, x.marker, e.entry_date, e.books_currency,
       e.books_total_debit, x.content_hash <> sha256(concat_ws('|', e.content_hash, $adapter)) AS stale
FROM sync.external_ids AS x
JOIN journal.entries AS e ON e.entry_key = split_part(x.record_key, '#', 1)
WHERE x.target = $target AND x.company_id = $company AND x.status = 'posted'
  AND e.entry_date BETWEEN $start AND $end
ORDER BY x.record_key
