-- Closing the partition's transaction (before the current-state tables are rebuilt).

-- Repeats across batches (a boundary second fetched by two sub-windows) kept once.
DELETE FROM raw.stripe_objects
WHERE rowid IN (
    SELECT rowid FROM raw.stripe_objects
    WHERE partition_date = (SELECT partition_date FROM extraction_run)
    QUALIFY row_number() OVER (PARTITION BY object_type, object_id, origin, parent_id ORDER BY position) > 1
);

-- A full listing of a window no longer returns an object we held as alive: Stripe deleted it. The marker
-- keeps its last known fields (they only count when nothing else is known) and says deleted.
INSERT INTO raw.stripe_objects
SELECT run.tenant, run.partition_date, l.object_type, l.object_id, 'absent', NULL, to_timestamp(run.snapshot_at),
       0, true, true, l.data, run.extracted_at
FROM live_before l, extraction_run run
WHERE NOT EXISTS (
    SELECT 1 FROM raw.stripe_objects r
    WHERE r.partition_date = run.partition_date AND r.object_type = l.object_type
      AND r.object_id = l.object_id AND r.origin IN ('list', 'relist'));

-- Everything the old slice or the new one says something about: their staging rows are rebuilt.
CREATE OR REPLACE TEMP TABLE new_slice AS
SELECT DISTINCT object_type, object_id, origin, parent_id
FROM raw.stripe_objects
WHERE partition_date = (SELECT partition_date FROM extraction_run);

CREATE OR REPLACE TEMP TABLE affected_objects AS
SELECT DISTINCT object_type, object_id FROM previous_slice WHERE origin NOT IN ('payout', 'lines')
UNION
SELECT DISTINCT object_type, object_id FROM new_slice WHERE origin NOT IN ('payout', 'lines');

-- Every observation of those objects, from every partition: their current state is computed from these.
CREATE OR REPLACE TEMP TABLE affected_observations AS
SELECT o.*
FROM raw.stripe_objects o
SEMI JOIN affected_objects a ON a.object_type = o.object_type AND a.object_id = o.object_id
WHERE o.origin NOT IN ('payout', 'lines');

-- Payouts and invoices / credit notes whose fetched child lists (composition, lines) may have changed.
CREATE OR REPLACE TEMP TABLE affected_parents AS
SELECT DISTINCT origin, parent_id FROM previous_slice WHERE origin IN ('payout', 'lines')
UNION
SELECT DISTINCT origin, parent_id FROM new_slice WHERE origin IN ('payout', 'lines')
UNION
SELECT 'lines', object_id FROM affected_objects WHERE object_type IN ('invoice', 'credit_note');
