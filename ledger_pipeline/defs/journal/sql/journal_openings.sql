-- Opening balances per currency: what the mapping file states (Stripe's balance report at the start),
-- else what the payouts we booked show was already in the balance. Pre-start transactions each trace
-- their part; a stated figure they do not explain yet stays as one untraced amount.
CREATE OR REPLACE TEMP TABLE jr_openings AS
WITH traced AS (
    SELECT currency, sum(net) AS traced, count(*) AS transactions
    FROM jr_homes WHERE kind = 'opening_balance' GROUP BY currency
),
stated AS (
    SELECT currency, amount FROM mapping.opening_balances WHERE version = (SELECT version FROM jr_settings)
)
SELECT coalesce(t.currency, st.currency) AS currency, st.amount AS stated, coalesce(t.traced, 0) AS traced,
       coalesce(t.transactions, 0) AS transactions, coalesce(st.amount, t.traced) AS amount,
       concat_ws('/', s.tenant, s.mode, 'opening_balance', coalesce(t.currency, st.currency)) AS entry_key
FROM traced t
FULL JOIN stated st ON st.currency = t.currency
CROSS JOIN jr_settings s;
