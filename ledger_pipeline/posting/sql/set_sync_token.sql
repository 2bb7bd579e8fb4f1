-- The object's SyncToken as QuickBooks has it now (read again after a stale-object refusal).
UPDATE sync.external_ids
SET sync_token = $sync_token, updated_at = now()
WHERE target = $target AND company_id = $company_id AND record_key = $record_key
