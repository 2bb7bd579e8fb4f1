-- Balance assertions: what Stripe Clearing and the bank must hold at the start of the day after each
-- payout (and after the last entry), from Stripe's own figures (staging), never from the journal's
-- amounts. The journal says only which transactions it booked and on which day (journal.bookings, its
-- entries' dates); Stripe says how much each one moved: its net on the Stripe balance, a payout's (or a
-- top-up's) amount at the bank.
WITH booked AS (
    SELECT bk.balance_transaction_id AS id, e.entry_date, e.kind
    FROM journal.bookings bk
    JOIN journal.entries e ON e.entry_key = bk.entry_key
    WHERE bk.tenant = $tenant AND bk.mode = $mode AND bk.status = 'booked'
),
-- transactions from before the first day booked are known from the payout that carried them
carried AS (
    SELECT DISTINCT ON (balance_transaction_id) balance_transaction_id AS id, type, reporting_category, amount,
           net, currency
    FROM staging.payout_composition
    ORDER BY balance_transaction_id, payout_id
),
stripe AS (
    SELECT bo.entry_date, bo.kind, coalesce(b.currency, c.currency) AS currency,
           coalesce(b.amount, c.amount) AS amount, coalesce(b.net, c.net) AS net,
           coalesce(b.reporting_category, c.reporting_category,
                    CASE coalesce(b.type, c.type) WHEN 'payout' THEN 'payout' WHEN 'payout_cancel' THEN 'payout_reversal'
                        WHEN 'payout_failure' THEN 'payout_reversal' WHEN 'topup' THEN 'topup'
                        WHEN 'topup_reversal' THEN 'topup_reversal' END) AS category
    FROM booked bo
    LEFT JOIN staging.balance_transactions b ON b.id = bo.id
    LEFT JOIN carried c ON c.id = bo.id AND b.id IS NULL
),
settings AS (
    SELECT c.version,
           (SELECT a.ref FROM mapping.accounts a WHERE a.version = c.version AND a.role = 'topups' AND a.key = '')
               AS topups_ref
    FROM mapping.current c
    WHERE c.tenant = $tenant
),
-- an opening balance stated in the mapping file: what no transaction explains stays on Stripe Clearing
untraced_opening AS (
    SELECT e.currency, e.entry_date,
           ob.amount - coalesce((SELECT sum(s.net) FROM stripe s
                                 WHERE s.kind = 'opening_balance' AND s.currency = e.currency), 0) AS net
    FROM journal.entries e
    JOIN settings st ON true
    JOIN mapping.opening_balances ob ON ob.version = st.version AND ob.currency = e.currency
    WHERE e.tenant = $tenant AND e.mode = $mode AND e.kind = 'opening_balance'
),
daily AS (
    SELECT currency, entry_date, sum(net) AS net,
           coalesce(sum(-amount) FILTER (WHERE category IN ('payout', 'payout_reversal')), 0) AS paid_out,
           coalesce(sum(-amount) FILTER (WHERE category IN ('topup', 'topup_reversal')), 0) AS topped_up
    FROM (SELECT currency, entry_date, net, amount, category FROM stripe
          UNION ALL
          SELECT currency, entry_date, net, 0, NULL FROM untraced_opening)
    WHERE currency IS NOT NULL
    GROUP BY currency, entry_date
),
running AS (
    SELECT currency, entry_date, sum(net) OVER upto AS clearing, sum(paid_out) OVER upto AS paid_out,
           sum(topped_up) OVER upto AS topped_up
    FROM daily
    WINDOW upto AS (PARTITION BY currency ORDER BY entry_date)
),
shown AS (
    SELECT entry_key, entry_date FROM journal.entries
    WHERE tenant = $tenant AND mode = $mode
      AND ($date_from IS NULL OR entry_date >= $date_from) AND ($date_to IS NULL OR entry_date <= $date_to)
),
-- every payout (an entry moving money to or from the bank), checked the next morning
payouts AS (
    SELECT s.entry_date + 1 AS on_day, l.currency, l.account_ref AS bank_ref,
           (SELECT min(c.account_ref) FROM journal.lines c WHERE c.entry_key = s.entry_key AND c.role = 'clearing')
               AS clearing_ref
    FROM shown s
    JOIN journal.lines l ON l.entry_key = s.entry_key AND l.role = 'bank'
),
points AS (
    SELECT on_day, 'clearing' AS account_role, clearing_ref AS account_ref, currency FROM payouts
    WHERE clearing_ref IS NOT NULL
    UNION
    SELECT on_day, 'bank', bank_ref, currency FROM payouts
    UNION
    -- and every clearing and bank account once more, the morning after the last entry shown
    SELECT (SELECT max(entry_date) FROM shown) + 1, l.role, l.account_ref, l.currency
    FROM journal.lines l
    JOIN shown s ON s.entry_key = l.entry_key
    WHERE l.role IN ('clearing', 'bank')
)
SELECT p.on_day, p.account_role, p.account_ref, p.currency,
       CASE p.account_role
           WHEN 'clearing' THEN coalesce(r.clearing, 0)
           -- top-ups come from the bank too when the mapping books them on the same account
           ELSE coalesce(r.paid_out, 0)
                + CASE WHEN st.topups_ref = p.account_ref THEN coalesce(r.topped_up, 0) ELSE 0 END
       END::BIGINT AS expected
FROM points p
ASOF LEFT JOIN running r ON r.currency = p.currency AND p.on_day > r.entry_date
LEFT JOIN settings st ON true
ORDER BY p.on_day, p.account_role DESC, p.account_ref, p.currency;
