-- The entries this partition posts: the ones it owns (its anchor day), the ones already in the books whose
-- content moved on since (a later rebuild changed them) or whose Stripe document was voided since, and the
-- ones an earlier run left half sent. `record_hash` is what the books should hold: the entry's own hash plus
-- how we write it ($adapter). Per-transaction documents bring what journal.documents says about them.
WITH books AS (
    SELECT record_key, content_hash
    FROM sync.external_ids
    WHERE target = $target AND company_id = $company AND status = 'posted'
),
half_sent AS (
    SELECT DISTINCT split_part(record_key, '#', 1) AS record_key  -- a part brings its entry back (entries.py)
    FROM sync.outbox
    WHERE target = $target AND company_id = $company AND status = 'pending'
),
entries AS (
    SELECT e.*, sha256(concat_ws('|', e.content_hash, $adapter)) AS record_hash
    FROM journal.entries AS e
    WHERE e.tenant = $tenant
)
SELECT e.entry_key, e.kind, e.document_type, e.entry_date, e.currency, e.books_currency, e.payout_id,
       e.counterparty, e.reference, e.memo, e.books_total_debit, e.record_hash,
       d.status, d.applies_to, d.number, d.due_date, d.counterparty_type, d.counterparty_name, d.counterparty_email
FROM entries AS e
LEFT JOIN books AS b ON b.record_key = e.entry_key
LEFT JOIN journal.documents AS d ON d.entry_key = e.entry_key
WHERE e.anchor_date = $day
   OR (b.record_key IS NOT NULL AND (b.content_hash <> e.record_hash OR d.status = 'void'))
   OR e.entry_key IN (SELECT record_key FROM half_sent)
ORDER BY e.entry_date, e.entry_key
