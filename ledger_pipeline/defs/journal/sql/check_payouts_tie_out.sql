-- Every automatic payout: the net of what it carried against its amount, and what its whole cycle did to
-- Stripe Clearing (its own transaction included), which must be nothing once all of it is booked.
WITH carried AS (
    SELECT c.payout_id,
           sum(c.net) FILTER (WHERE c.balance_transaction_id IS DISTINCT FROM p.balance_transaction) AS paid_out,
           count(*) AS transactions
    FROM staging.payout_composition c
    JOIN staging.payouts p ON p.id = c.payout_id
    GROUP BY c.payout_id
),
clearing AS (
    SELECT c.payout_id, sum(ls.amount) AS clearing, count(DISTINCT ls.balance_transaction_id) AS booked
    FROM staging.payout_composition c
    JOIN journal.line_sources ls ON ls.balance_transaction_id = c.balance_transaction_id
    JOIN journal.lines l ON l.entry_key = ls.entry_key AND l.line_no = ls.line_no AND l.role = 'clearing'
    JOIN journal.entries e ON e.entry_key = ls.entry_key AND e.tenant = $tenant
    GROUP BY c.payout_id
)
SELECT p.id, p.amount, p.currency, p.status, p.reconciliation_status, c.paid_out, coalesce(c.transactions, 0),
       k.clearing, coalesce(k.booked, 0)
FROM staging.payouts p
LEFT JOIN carried c ON c.payout_id = p.id
LEFT JOIN clearing k ON k.payout_id = p.id
WHERE p.automatic AND p.created >= $start_at
ORDER BY p.created, p.id;
