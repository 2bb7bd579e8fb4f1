-- The partition's slice of raw and quarantine, replaced whole.
DELETE FROM raw.stripe_objects WHERE partition_date = (SELECT partition_date FROM extraction_run);
INSERT INTO raw.stripe_objects
SELECT run.tenant, run.partition_date, f.object_type, f.object_id, f.origin, f.parent_id, f.observed_at,
       f.position, f.deleted, f.has_fields, f.data, run.extracted_at
FROM fetched_objects f, extraction_run run;

DELETE FROM quarantine.stripe_objects WHERE partition_date = (SELECT partition_date FROM extraction_run);
INSERT INTO quarantine.stripe_objects
SELECT run.tenant, run.partition_date, q.object_type, q.object_id, coalesce(q.origin, 'unknown'), q.parent_id,
       q.reason, q.data, run.extracted_at
FROM fetched_quarantine q, extraction_run run;
