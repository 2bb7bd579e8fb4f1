-- Everything the partition's old slice or its new one says something about: their staging rows are rebuilt.
CREATE OR REPLACE TEMP TABLE affected_objects AS
SELECT DISTINCT object_type, object_id FROM raw.stripe_objects
WHERE partition_date = (SELECT partition_date FROM extraction_run) AND origin NOT IN ('payout', 'lines')
UNION
SELECT DISTINCT object_type, object_id FROM fetched_objects WHERE origin NOT IN ('payout', 'lines');

-- Payouts and invoices / credit notes whose fetched child lists (composition, lines) changed.
CREATE OR REPLACE TEMP TABLE affected_parents AS
SELECT DISTINCT origin, parent_id FROM raw.stripe_objects
WHERE partition_date = (SELECT partition_date FROM extraction_run) AND origin IN ('payout', 'lines')
UNION
SELECT DISTINCT origin, parent_id FROM fetched_objects WHERE origin IN ('payout', 'lines')
UNION
SELECT 'lines', object_id FROM affected_objects WHERE object_type IN ('invoice', 'credit_note');
