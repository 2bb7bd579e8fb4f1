-- Opening the partition's transaction: remember what its previous run said, then clear its slices.
-- (The live objects a full listing may show as deleted were snapshotted just before, in live_before.)
CREATE OR REPLACE TEMP TABLE previous_slice AS
SELECT DISTINCT object_type, object_id, origin, parent_id
FROM raw.stripe_objects
WHERE partition_date = (SELECT partition_date FROM extraction_run);

DELETE FROM raw.stripe_objects WHERE partition_date = (SELECT partition_date FROM extraction_run);
DELETE FROM quarantine.stripe_objects WHERE partition_date = (SELECT partition_date FROM extraction_run);
DELETE FROM staging.balance_transaction_fees WHERE partition_date = (SELECT partition_date FROM extraction_run);
DELETE FROM staging.balance_transactions WHERE partition_date = (SELECT partition_date FROM extraction_run);
DELETE FROM staging.events WHERE partition_date = (SELECT partition_date FROM extraction_run);
