-- A batch into the partition's open transaction: observations into raw (repeats of a boundary second are
-- removed at the end), rejected parts into quarantine, and the day slices typed as they come.
CREATE OR REPLACE TEMP TABLE batch_objects AS
SELECT object_type, object_id, origin, parent_id, observed_at, position,
       coalesce(deleted, false) OR coalesce(event_type LIKE '%.deleted', false) AS deleted,
       NOT (coalesce(deleted, false) AND created IS NULL) AS has_fields,  -- a bare deleted stub has no fields
       data
FROM batch_parts p
WHERE (part = 'object' OR object_type IN (SELECT object_type FROM tracked_types))
  AND NOT EXISTS (SELECT 1 FROM fetched_rejects r WHERE r.seq = p.seq AND r.idx = p.idx AND r.part = p.part)
QUALIFY row_number() OVER (PARTITION BY object_type, object_id, origin, parent_id ORDER BY seq, idx) = 1;

INSERT INTO raw.stripe_objects
SELECT run.tenant, run.partition_date, b.object_type, b.object_id, b.origin, b.parent_id, b.observed_at,
       b.position, b.deleted, b.has_fields, b.data, run.extracted_at
FROM batch_objects b, extraction_run run;

INSERT INTO quarantine.stripe_objects
SELECT run.tenant, run.partition_date, r.object_type, r.object_id, p.origin, p.parent_id, r.reason, p.data,
       run.extracted_at
FROM fetched_rejects r
JOIN batch_parts p ON p.seq = r.seq AND p.idx = r.idx AND p.part = r.part, extraction_run run
-- (a repeat is the same object fetched twice; things without an id are each kept)
QUALIFY row_number() OVER (PARTITION BY r.object_type, coalesce(r.object_id, r.seq || '/' || r.idx || '/' || r.part),
                                        p.origin, p.parent_id ORDER BY r.seq, r.idx) = 1;
