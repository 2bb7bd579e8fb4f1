-- The staged Stripe money both posting modes book from: the transactions since the first day booked, the
-- automatic payouts, and what each payout carried.

-- Staged transactions from the first day booked, with their reporting day in the tenant's timezone.
CREATE OR REPLACE TEMP TABLE jr_bt AS
SELECT b.id, b.type, coalesce(b.reporting_category, tc.category, b.type) AS category, b.amount, b.fee, b.net,
       b.currency, b.exchange_rate, b.created, b.available_on, b.source_id, b.source_type, b.description,
       timezone(s.timezone, b.created)::DATE AS local_day
FROM staging.balance_transactions b
CROSS JOIN jr_settings s
LEFT JOIN jr_type_categories tc ON tc.type = b.type
WHERE b.created >= s.start_at;

-- Automatic payouts and whether their composition can be booked: it ties out to the cent (ready), it
-- never will (Stripe says complete, yet it differs), or Stripe is still reconciling it.
CREATE OR REPLACE TEMP TABLE jr_payouts AS
WITH composed AS (
    SELECT c.payout_id,
           sum(c.net) FILTER (WHERE c.balance_transaction_id IS DISTINCT FROM p.balance_transaction) AS paid_out
    FROM staging.payout_composition c
    JOIN staging.payouts p ON p.id = c.payout_id
    GROUP BY c.payout_id
)
SELECT p.id, p.amount, p.currency, p.status, p.reconciliation_status, p.balance_transaction, p.created,
       p.arrival_date, timezone(s.timezone, p.created)::DATE AS local_day, c.paid_out,
       CASE WHEN c.payout_id IS NOT NULL AND c.paid_out = p.amount THEN 'ready'
            WHEN p.reconciliation_status = 'completed' THEN 'does_not_tie_out'
            ELSE 'awaiting_composition' END AS composition
FROM staging.payouts p
CROSS JOIN jr_settings s
LEFT JOIN composed c ON c.payout_id = p.id
WHERE p.automatic;

-- What each automatic payout carried, but for its own transaction and for other payouts' transactions
-- (a failed payout's return rides in the next payout, yet is booked as the failure it is).
CREATE OR REPLACE TEMP TABLE jr_members AS
WITH carried AS (
    SELECT c.balance_transaction_id, c.payout_id, p.composition, p.local_day AS payout_day, p.created AS payout_created,
           c.type, coalesce(c.reporting_category, tc.category, c.type) AS category, c.amount, c.fee, c.net, c.currency,
           c.created, c.source_id, timezone(s.timezone, c.created)::DATE AS local_day, c.created < s.start_at AS before_start
    FROM staging.payout_composition c
    JOIN jr_payouts p ON p.id = c.payout_id
    CROSS JOIN jr_settings s
    LEFT JOIN jr_type_categories tc ON tc.type = c.type
    WHERE c.balance_transaction_id IS DISTINCT FROM p.balance_transaction
      AND coalesce(c.reporting_category, tc.category, c.type) NOT IN ('payout', 'payout_reversal')
),
twice AS (SELECT balance_transaction_id FROM carried GROUP BY 1 HAVING count(*) > 1)
SELECT * EXCLUDE (payout_created) FROM carried WHERE balance_transaction_id NOT IN (SELECT * FROM twice)
UNION ALL
-- a transaction listed under two payouts is booked with the first; the tie-out check names the other
SELECT * EXCLUDE (payout_created) FROM carried WHERE balance_transaction_id IN (SELECT * FROM twice)
QUALIFY row_number() OVER (PARTITION BY balance_transaction_id ORDER BY payout_created, payout_id) = 1;
