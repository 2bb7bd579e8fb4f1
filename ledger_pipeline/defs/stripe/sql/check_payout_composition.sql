-- Each automatic payout this run composed: the net of its balance transactions other than its own must
-- equal the payout's amount, and its own (type=payout) transaction must be -amount.
WITH composition AS (
    SELECT c.payout_id,
           sum(c.net) FILTER (WHERE c.balance_transaction_id IS DISTINCT FROM p.balance_transaction) AS paid_out,
           sum(c.amount) FILTER (WHERE c.balance_transaction_id = p.balance_transaction) AS own_amount,
           count(*) AS transactions
    FROM staging.payout_composition c
    JOIN staging.payouts p ON p.id = c.payout_id
    WHERE c.payout_id IN (SELECT payout_id FROM composition_targets)
    GROUP BY c.payout_id
)
SELECT p.id, p.amount, p.currency, p.status, p.reconciliation_status,
       coalesce(c.paid_out, 0) AS paid_out, c.own_amount, coalesce(c.transactions, 0) AS transactions
FROM staging.payouts p
LEFT JOIN composition c ON c.payout_id = p.id
WHERE p.id IN (SELECT payout_id FROM composition_targets) AND p.automatic
ORDER BY p.id;
