-- The day's money per settlement currency as an accountant reads it, in integer minor units:
--   gross    what customers paid (charges and payments)
--   refunds  what went back to them (refunds less failed refunds), as a positive amount
--   fees     Stripe's fees on every transaction plus the fees Stripe charged on their own (and tax on them)
--   net      how much the Stripe balance moved before payouts (gross - refunds - fees + everything else)
-- The tenant's own account's default currency comes first: the one the UI plots without a suffix.
WITH day AS (
    SELECT currency, amount, fee, net,
           coalesce(reporting_category, CASE type WHEN 'charge' THEN 'charge' WHEN 'payment' THEN 'charge'
                                                  WHEN 'refund' THEN 'refund' WHEN 'payment_refund' THEN 'refund'
                                                  WHEN 'refund_failure' THEN 'refund_failure'
                                                  WHEN 'payment_failure_refund' THEN 'refund_failure'
                                                  WHEN 'stripe_fee' THEN 'fee' WHEN 'stripe_fx_fee' THEN 'fee'
                                                  WHEN 'tax_fee' THEN 'fee' WHEN 'payout' THEN 'payout'
                                                  WHEN 'payout_cancel' THEN 'payout_reversal'
                                                  WHEN 'payout_failure' THEN 'payout_reversal'
                                                  ELSE type END) AS category
    FROM staging.balance_transactions
    WHERE partition_date = (SELECT partition_date FROM extraction_run)
),
home AS (
    SELECT lower(default_currency) AS currency FROM staging.accounts
    WHERE is_tenant AND default_currency IS NOT NULL
    ORDER BY observed_at DESC LIMIT 1
),
currencies AS (
    SELECT currency FROM day UNION SELECT currency FROM home
)
SELECT c.currency,
       c.currency IN (SELECT currency FROM home) AS is_home,
       count(d.currency) FILTER (WHERE d.category NOT IN ('payout', 'payout_reversal')) AS transactions,
       coalesce(sum(d.amount) FILTER (WHERE d.category = 'charge'), 0) AS gross,
       coalesce(-sum(d.amount) FILTER (WHERE d.category IN ('refund', 'refund_failure')), 0) AS refunds,
       coalesce(sum(d.fee), 0) + coalesce(-sum(d.amount) FILTER (WHERE d.category IN ('fee', 'tax')), 0) AS fees,
       coalesce(sum(d.net) FILTER (WHERE d.category NOT IN ('payout', 'payout_reversal')), 0) AS net,
       coalesce(-sum(d.amount) FILTER (WHERE d.category IN ('payout', 'payout_reversal')), 0) AS paid_out
FROM currencies c
LEFT JOIN day d ON d.currency = c.currency
GROUP BY c.currency
ORDER BY is_home DESC, c.currency;
