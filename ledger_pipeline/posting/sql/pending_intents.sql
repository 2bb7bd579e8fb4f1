-- Intents sent (or about to be) whose answer was never recorded, oldest first; optionally for one record.
SELECT idempotency_key, target, company_id, record_key, remote_kind, action, content_hash, generation, marker,
       batch_key, status, created_at
FROM sync.outbox
WHERE target = $target AND company_id = $company_id AND status = 'pending'
  AND ($record_key IS NULL OR record_key = $record_key)
ORDER BY created_at, idempotency_key
