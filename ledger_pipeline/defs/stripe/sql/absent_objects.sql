-- A full listing of a window no longer returns an object we hold as alive: Stripe deleted it. Keep its
-- last known fields (the marker only wins when nothing else is known) and mark it deleted.
INSERT INTO fetched_objects
SELECT $object_type, c.object_id, 'absent', NULL, to_timestamp(run.snapshot_at), 0, true, true, c.data
FROM raw.current_state($object_type) c, extraction_run run
WHERE NOT c.deleted
  AND (c.data ->> '$.created')::BIGINT >= $window_start
  AND (c.data ->> '$.created')::BIGINT < $window_end
  AND c.object_id NOT IN (
      SELECT object_id FROM fetched_objects WHERE object_type = $object_type AND origin IN ('list', 'relist'));
