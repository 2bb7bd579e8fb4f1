-- The first day of anything live in the books for this company: where the trial balance starts, so it
-- holds every posting of ours (nothing folded into retained earnings).
SELECT min(e.entry_date)
FROM sync.external_ids AS x
JOIN journal.entries AS e ON e.entry_key = x.record_key
WHERE x.target = $target AND x.company_id = $company AND x.status = 'posted'
