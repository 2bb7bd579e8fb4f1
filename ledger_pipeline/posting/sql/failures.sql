-- The latest refusal per record that has not been fixed by a later successful write.
SELECT o.record_key, o.remote_kind, o.action, o.error_kind, o.error_code, o.error_message, o.error_fix,
       o.updated_at
FROM sync.outbox AS o
WHERE o.target = $target AND o.company_id = $company_id AND o.status = 'failed'
  AND NOT EXISTS (SELECT 1 FROM sync.outbox AS later
                  WHERE later.target = o.target AND later.company_id = o.company_id
                    AND later.record_key = o.record_key AND later.status IN ('posted', 'pending')
                    AND later.created_at >= o.created_at)
QUALIFY row_number() OVER (PARTITION BY o.record_key ORDER BY o.updated_at DESC) = 1
ORDER BY o.record_key
