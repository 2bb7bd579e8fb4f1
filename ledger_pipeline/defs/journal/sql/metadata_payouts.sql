-- The payouts the partition's day concerns (those its entries summarise or move, and those created in the
-- tenant's day): what each paid out against what it carried, per `GET /v1/balance_transactions?payout=`.
-- `carried_*` leave out the payout's own transaction (type payout, -amount); integer minor units.
WITH payouts AS (
    SELECT p.*
    FROM staging.payouts p
    WHERE p.id IN (SELECT payout_id FROM journal.entries
                   WHERE tenant = $tenant AND anchor_date = $day AND payout_id IS NOT NULL)
       OR (p.created >= $day_start AND p.created < $day_end)
),
carried AS (
    SELECT c.payout_id,
           count(*) FILTER (WHERE own) AS own_transactions,
           count(*) FILTER (WHERE NOT own) AS transactions,
           sum(c.amount) FILTER (WHERE NOT own) AS gross,
           sum(c.fee) FILTER (WHERE NOT own) AS fees,
           sum(c.net) FILTER (WHERE NOT own) AS net
    FROM (SELECT c.*, c.balance_transaction_id IS NOT DISTINCT FROM p.balance_transaction AS own
          FROM staging.payout_composition c JOIN payouts p ON p.id = c.payout_id) c
    GROUP BY c.payout_id
)
SELECT p.id, p.arrival_date, p.currency, p.amount, p.automatic, p.status, p.reconciliation_status,
       coalesce(c.transactions, 0), c.gross, c.fees, c.net
FROM payouts p
LEFT JOIN carried c ON c.payout_id = p.id
ORDER BY p.created, p.id;
