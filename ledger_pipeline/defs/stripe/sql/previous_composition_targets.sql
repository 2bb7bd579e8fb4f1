-- Payouts whose composition the partition's previous run fetched: a re-run fetches them again, so
-- replacing the slice never drops a newer composition for an older one.
SELECT DISTINCT parent_id FROM raw.stripe_objects WHERE partition_date = $partition_date AND origin = 'payout';
