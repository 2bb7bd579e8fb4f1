-- Where each balance transaction is booked (its "home"), decided from the staged Stripe data alone, so a
-- re-run decides the same way and every transaction has exactly one home or none yet:
--   payout / payout_failure  a payout's own transaction (or its return): Stripe Clearing <-> bank
--   summary                  inside an automatic payout's composition: that payout's summary, one entry
--                            per month the transactions were created in (period cut-off)
--   balance_activity         never carried by an automatic payout: the account pays out by hand, or a later
--                            automatic payout passed it by (a top-up, money a manual payout took): one
--                            entry per currency and day, so the clearing balance rolls forward
--   opening_balance          created before the first day booked, paid out by a payout we booked
--   (none)                   waiting for the automatic payout that will carry it

-- Transactions an automatic payout in their currency passed by: a ready payout created a day or more
-- after they became available did not carry them, so none will.
CREATE OR REPLACE TEMP TABLE jr_passed AS
WITH unpaid AS MATERIALIZED (
    SELECT id, currency, available_on FROM jr_bt
    WHERE category NOT IN ('payout', 'payout_reversal')
      AND id NOT IN (SELECT balance_transaction_id FROM jr_members)
)
SELECT u.id, min(p.local_day) AS passed_on
FROM unpaid u
JOIN jr_payouts p ON p.currency = u.currency AND p.composition = 'ready' AND p.created >= u.available_on + INTERVAL 1 DAY
GROUP BY u.id;

CREATE OR REPLACE TEMP TABLE jr_homes AS
WITH decided AS (
    SELECT b.id, b.currency, b.amount, b.fee, b.net, b.created, b.local_day, b.category, b.source_id, false AS before_start,
           m.payout_id, m.composition, m.payout_day,
           CASE
               WHEN b.category IN ('payout', 'payout_reversal') AND b.amount <= 0 THEN 'payout'
               WHEN b.category IN ('payout', 'payout_reversal') THEN 'payout_failure'
               WHEN m.composition IN ('ready', 'does_not_tie_out') THEN 'summary'
               WHEN m.composition IS NOT NULL THEN NULL          -- its payout is still being reconciled
               WHEN s.payout_schedule = 'manual' OR pb.id IS NOT NULL THEN 'balance_activity'
           END AS kind,
           CASE WHEN m.composition = 'awaiting_composition'
                    THEN 'in payout ' || m.payout_id || ', whose composition Stripe is still reconciling'
                WHEN b.category NOT IN ('payout', 'payout_reversal') AND m.payout_id IS NULL
                    THEN 'not paid out yet (available ' || strftime(timezone(s.timezone, b.available_on), '%Y-%m-%d') || ')'
           END AS waiting
    FROM jr_bt b
    CROSS JOIN jr_settings s
    LEFT JOIN jr_members m ON m.balance_transaction_id = b.id
    LEFT JOIN jr_passed pb ON pb.id = b.id
    UNION ALL
    -- paid out by a payout we book, but created before the first day booked: the opening balance
    SELECT m.balance_transaction_id, m.currency, m.amount, m.fee, m.net, m.created, m.local_day, m.category,
           m.source_id, true, m.payout_id, m.composition, m.payout_day,
           CASE WHEN m.composition = 'awaiting_composition' THEN NULL ELSE 'opening_balance' END,
           CASE WHEN m.composition = 'awaiting_composition'
                THEN 'in payout ' || m.payout_id || ', whose composition Stripe is still reconciling' END
    FROM jr_members m
    WHERE m.before_start
)
SELECT d.*,
       CASE d.kind
           WHEN 'payout' THEN concat_ws('/', s.tenant, s.mode, 'payout', coalesce(d.source_id, d.id))
           WHEN 'payout_failure' THEN concat_ws('/', s.tenant, s.mode, 'payout_failure', coalesce(d.source_id, d.id), d.id)
           WHEN 'summary' THEN concat_ws('/', s.tenant, s.mode, 'summary', d.payout_id, strftime(d.local_day, '%Y-%m'))
           WHEN 'balance_activity' THEN concat_ws('/', s.tenant, s.mode, 'balance_activity', d.currency,
                                                  strftime(d.local_day, '%Y-%m-%d'))
           WHEN 'opening_balance' THEN concat_ws('/', s.tenant, s.mode, 'opening_balance', d.currency)
       END AS entry_key,
       CASE d.kind
           WHEN 'summary' THEN least(d.payout_day, last_day(d.local_day))
           WHEN 'opening_balance' THEN s.start_day
           ELSE d.local_day
       END AS entry_date,
       CASE d.kind WHEN 'summary' THEN d.payout_day WHEN 'opening_balance' THEN s.start_day ELSE d.local_day END
           AS anchor_date
FROM decided d
CROSS JOIN jr_settings s;
