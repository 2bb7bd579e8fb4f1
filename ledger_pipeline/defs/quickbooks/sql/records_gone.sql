-- Objects in the books whose journal entry no longer exists (a rebuild dropped it): the books drop them too.
-- An entry held in quarantine is not gone, only held back, so what the books have of it stays. A part
-- (`<entry key>#<part>`, entries.py) goes with its entry.
SELECT x.record_key, x.remote_kind, x.content_hash, x.marker
FROM sync.external_ids AS x
WHERE x.target = $target AND x.company_id = $company AND x.status = 'posted'
  AND list_contains($kinds, x.remote_kind)
  AND NOT EXISTS (SELECT 1 FROM journal.entries AS e WHERE e.entry_key = split_part(x.record_key, '#', 1))
  AND NOT EXISTS (SELECT 1 FROM quarantine.journal_entries AS q WHERE q.entry_key = split_part(x.record_key, '#', 1))
ORDER BY x.record_key
