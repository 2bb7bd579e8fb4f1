-- The state we hold for these payouts, and whether we hold their composition, to tell which re-listed
-- payouts need their composition fetched again.
SELECT p.id, p.status, p.reconciliation_status,
       EXISTS (SELECT 1 FROM staging.payout_composition c WHERE c.payout_id = p.id) AS composed
FROM staging.payouts p
WHERE p.id IN (SELECT unnest($ids::VARCHAR[]));
