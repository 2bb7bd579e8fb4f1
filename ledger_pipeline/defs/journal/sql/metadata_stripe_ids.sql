-- The Stripe ids behind the entries the partition's day owns: payouts, balance transactions, the objects
-- that caused them (ch_, re_, du_, ...) and the charges behind refunds and disputes; the first $limit of each.
WITH day_entries AS (
    SELECT entry_key, payout_id FROM journal.entries WHERE tenant = $tenant AND anchor_date = $day
),
lineage AS (
    SELECT DISTINCT balance_transaction_id, source_id, charge_id
    FROM journal.line_lineage
    WHERE entry_key IN (SELECT entry_key FROM day_entries) AND balance_transaction_id IS NOT NULL
)
SELECT (SELECT count(DISTINCT payout_id) FROM day_entries),
       (SELECT coalesce(list(DISTINCT payout_id ORDER BY payout_id), [])[1:$limit] FROM day_entries
        WHERE payout_id IS NOT NULL),
       (SELECT count(DISTINCT balance_transaction_id) FROM lineage),
       (SELECT coalesce(list(DISTINCT balance_transaction_id ORDER BY balance_transaction_id), [])[1:$limit]
        FROM lineage),
       (SELECT count(DISTINCT source_id) FROM lineage),
       (SELECT coalesce(list(DISTINCT source_id ORDER BY source_id), [])[1:$limit] FROM lineage
        WHERE source_id IS NOT NULL),
       (SELECT coalesce(list(DISTINCT charge_id ORDER BY charge_id), [])[1:$limit] FROM lineage
        WHERE charge_id IS NOT NULL);
