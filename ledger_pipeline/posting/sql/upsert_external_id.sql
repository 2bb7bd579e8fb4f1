-- What the books hold for a record after a successful write.
INSERT INTO sync.external_ids (target, company_id, record_key, remote_kind, remote_id, sync_token, content_hash,
                               marker, status, idempotency_key, posted_at, updated_at)
VALUES ($target, $company_id, $record_key, $remote_kind, $remote_id, $sync_token, $content_hash,
        $marker, $status, $key, now(), now())
ON CONFLICT (target, company_id, record_key) DO UPDATE SET
    remote_kind = excluded.remote_kind,
    remote_id = excluded.remote_id,
    sync_token = excluded.sync_token,
    content_hash = excluded.content_hash,
    marker = excluded.marker,
    status = excluded.status,
    idempotency_key = excluded.idempotency_key,
    updated_at = now()
