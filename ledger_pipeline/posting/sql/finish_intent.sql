-- Close an intent: posted (with the remote id), failed (with the target's answer and the fix), superseded.
UPDATE sync.outbox
SET status = $status,
    remote_id = coalesce($remote_id, remote_id),
    error_kind = $error_kind,
    error_code = $error_code,
    error_message = $error_message,
    error_fix = $error_fix,
    updated_at = now()
WHERE idempotency_key = $key
