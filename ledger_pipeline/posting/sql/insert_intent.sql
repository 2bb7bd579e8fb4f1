-- A new pending intent; committed before the request goes out.
INSERT INTO sync.outbox (idempotency_key, target, company_id, record_key, remote_kind, action, content_hash,
                         generation, marker, batch_key, status, run_id, created_at, updated_at)
VALUES ($key, $target, $company_id, $record_key, $remote_kind, $action, $content_hash,
        $generation, $marker, $batch_key, 'pending', $run_id, now(), now())
