SELECT target, company_id, record_key, remote_kind, remote_id, sync_token, content_hash, marker, status,
       idempotency_key
FROM sync.external_ids
WHERE target = $target AND company_id = $company_id AND record_key = $record_key
