-- How many intents with this (record, action, content) exist already: the next one's generation.
SELECT count(*)
FROM sync.outbox
WHERE target = $target AND company_id = $company_id AND record_key = $record_key
  AND action = $action AND content_hash = $content_hash
