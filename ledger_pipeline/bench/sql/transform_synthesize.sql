-- A busy Stripe account, set-based: card sales (a tenth paying invoices with two products and tax),
-- refunds, disputes lost and won, Stripe's own fees, platform fees earned, transfers, adjustments; 85% in
-- USD, the rest in EUR, GBP and JPY; paid out daily per currency, two days later, by automatic payouts
-- whose composition lists every transaction they carry.
CREATE OR REPLACE TEMP TABLE bench_activity AS
WITH base AS (
    SELECT i, hash(i, 'mix') % 1000 AS mix, (hash(i, 'size') % 49500 + 500)::BIGINT AS size,
           (i * s.days // s.activity)::INTEGER AS day_no, (hash(i, 'second') % 86400)::INTEGER AS second_of_day,
           hash(i, 'currency') % 20 AS currency_pick, s.start_at
    FROM bench_settings s, range(s.activity) r(i)
),
typed AS (
    SELECT *,
           CASE currency_pick WHEN 0 THEN 'eur' WHEN 1 THEN 'gbp' WHEN 2 THEN 'jpy' ELSE 'usd' END AS currency,
           CASE WHEN mix < 780 THEN 'charge' WHEN mix < 860 THEN 'refund' WHEN mix < 865 THEN 'dispute'
                WHEN mix < 867 THEN 'dispute_reversal' WHEN mix < 877 THEN 'fee' WHEN mix < 927 THEN 'platform_earning'
                WHEN mix < 987 THEN 'transfer' ELSE 'other_adjustment' END AS category,
           start_at + to_days(day_no) + to_seconds(second_of_day) AS created
    FROM base
)
SELECT i, 'txn_' || i AS id, currency, category, day_no, created, size,
       category = 'charge' AND hash(i, 'invoice') % 10 = 0 AS pays_invoice,
       -- an invoice: a product line, every third one a second line, California tax on every other one
       size AS line_1, CASE WHEN hash(i, 'lines') % 3 = 0 THEN size // 2 ELSE 0 END AS line_2,
       CASE WHEN hash(i, 'tax') % 2 = 0 THEN round(size * 0.0725)::BIGINT ELSE 0 END AS tax_1,
       CASE WHEN hash(i, 'tax') % 2 = 0 AND hash(i, 'lines') % 3 = 0 THEN round(size // 2 * 0.0725)::BIGINT ELSE 0 END
           AS tax_2
FROM typed;

CREATE OR REPLACE TEMP TABLE bench_amounts AS
SELECT a.*,
       CASE category
           WHEN 'charge' THEN CASE WHEN pays_invoice THEN line_1 + line_2 + tax_1 + tax_2 ELSE size END
           WHEN 'refund' THEN -(size // 2)
           WHEN 'dispute' THEN -size
           WHEN 'dispute_reversal' THEN size
           WHEN 'fee' THEN -(size // 20)
           WHEN 'platform_earning' THEN size // 10
           WHEN 'transfer' THEN -size
           ELSE -(size // 10) END AS amount,
       CASE category
           WHEN 'charge' THEN CASE WHEN currency = 'jpy' THEN size * 36 // 1000 ELSE size * 29 // 1000 + 30 END
           WHEN 'dispute' THEN CASE WHEN currency = 'jpy' THEN 2000 ELSE 1500 END
           WHEN 'dispute_reversal' THEN CASE WHEN currency = 'jpy' THEN -2000 ELSE -1500 END
           ELSE 0 END AS fee,
       CASE category WHEN 'charge' THEN 'charge' WHEN 'refund' THEN 'refund' WHEN 'fee' THEN 'stripe_fee'
                     WHEN 'platform_earning' THEN 'application_fee' WHEN 'transfer' THEN 'transfer'
                     ELSE 'adjustment' END AS type,
       CASE category WHEN 'charge' THEN 'ch_' WHEN 'refund' THEN 're_' WHEN 'dispute' THEN 'du_'
                     WHEN 'dispute_reversal' THEN 'du_' WHEN 'platform_earning' THEN 'fee_' WHEN 'transfer' THEN 'tr_'
                     END || i AS source_id,
       CASE category WHEN 'fee' THEN CASE WHEN i % 2 = 0 THEN 'Billing usage fee' ELSE 'Radar screening fee' END
                     WHEN 'other_adjustment' THEN 'Adjustment for a network cost' END AS description
FROM bench_activity a;

-- One automatic payout per currency and day, two days later at 02:30, of everything that day made.
CREATE OR REPLACE TEMP TABLE bench_payouts AS
SELECT 'po_' || currency || '_' || day_no AS id, 'txn_po_' || currency || '_' || day_no AS balance_transaction,
       currency, day_no, sum(amount - fee)::BIGINT AS amount,
       any_value(s.start_at) + to_days(day_no + 2) + INTERVAL 150 MINUTE AS created
FROM bench_amounts CROSS JOIN bench_settings s
GROUP BY currency, day_no
HAVING sum(amount - fee) > 0;

INSERT INTO staging.balance_transactions
SELECT id, created::DATE, type, category, amount, fee, amount - fee, currency, NULL, created, created + INTERVAL 1 DAY,
       'available', 'payments', source_id, NULL, description, created
FROM bench_amounts
UNION ALL
SELECT balance_transaction, created::DATE, 'payout', 'payout', -amount, 0, -amount, currency, NULL, created, created,
       'available', 'payments', id, 'payout', 'STRIPE PAYOUT', created
FROM bench_payouts;

INSERT INTO staging.balance_transaction_fees
SELECT id, 0, created::DATE, 'stripe_fee', fee, currency, NULL, 'Stripe processing fees', created
FROM bench_amounts
WHERE fee <> 0;

INSERT INTO staging.payouts
SELECT id, amount, currency, true, 'paid', 'completed', 'standard', 'bank_account', 'card',
       created + INTERVAL 1 DAY, balance_transaction, NULL, NULL, NULL, 'ba_bench', NULL, NULL, NULL, 'STRIPE PAYOUT',
       '{}', created, created::DATE, created, created
FROM bench_payouts;

INSERT INTO staging.payout_composition
SELECT p.id, a.id, a.type, a.category, a.amount, a.fee, a.amount - a.fee, a.currency, a.created, a.source_id,
       p.created::DATE, p.created, p.created
FROM bench_amounts a
JOIN bench_payouts p ON p.currency = a.currency AND p.day_no = a.day_no
UNION ALL
SELECT id, balance_transaction, 'payout', 'payout', -amount, 0, -amount, currency, created, id, created::DATE, created,
       created
FROM bench_payouts;

-- The Stripe objects behind them: charges (those paying invoices through a payment intent), refunds and
-- disputes of the sale before them, and the invoices with their lines as staging and raw hold them.
INSERT INTO staging.charges (id, amount, amount_captured, amount_refunded, currency, status, paid, captured,
                             payment_intent, balance_transaction, metadata, created, partition_date, observed_at,
                             extracted_at)
SELECT source_id, amount, amount, 0, currency, 'succeeded', true, true,
       CASE WHEN pays_invoice THEN 'pi_' || i END, id, '{}', created, created::DATE, created, created
FROM bench_amounts
WHERE category = 'charge';

INSERT INTO staging.refunds (id, amount, currency, charge, status, balance_transaction, metadata, created,
                             partition_date, observed_at, extracted_at)
SELECT source_id, -amount, currency, 'ch_' || (i - 1), 'succeeded', id, '{}', created, created::DATE, created, created
FROM bench_amounts
WHERE category = 'refund';

INSERT INTO staging.disputes (id, amount, currency, charge, status, metadata, created, partition_date, observed_at,
                              extracted_at)
SELECT source_id, size, currency, 'ch_' || (i - 1), CASE category WHEN 'dispute' THEN 'lost' ELSE 'won' END, '{}',
       created, created::DATE, created, created
FROM bench_amounts
WHERE category IN ('dispute', 'dispute_reversal');

INSERT INTO staging.products (id, name, active, deleted, metadata, partition_date, observed_at, extracted_at)
SELECT 'prod_' || n, ['Ledger Pro', 'Ledger Team', 'Onboarding session', 'Bookkeeping hour', 'Sticker pack'][n], true,
       false, '{}', s.start_at::DATE, s.start_at, s.start_at
FROM bench_settings s, range(1, 6) r(n);

INSERT INTO staging.tax_rates (id, display_name, jurisdiction, percentage, inclusive, active, country, metadata,
                               partition_date, observed_at, extracted_at)
SELECT 'txr_ca', 'Sales Tax', 'CA - CALIFORNIA', 7.25, false, true, 'US', '{}', start_at::DATE, start_at, start_at
FROM bench_settings;

INSERT INTO staging.invoices (id, customer, status, currency, subtotal, total, amount_due, amount_paid, deleted,
                              metadata, created, partition_date, observed_at, extracted_at)
SELECT 'in_' || i, 'cus_' || (i % 5000), 'paid', currency, line_1 + line_2, amount, amount, amount, false, '{}',
       created - INTERVAL 1 HOUR, created::DATE, created, created
FROM bench_amounts
WHERE pays_invoice;

INSERT INTO staging.invoice_lines
SELECT 'in_' || i, 'il_' || i || '_' || n, n - 1, NULL, 'prod_' || (1 + (i + n) % 5), 1,
       CASE n WHEN 1 THEN line_1 ELSE line_2 END, currency, NULL, 0, '[]',
       CASE n WHEN 1 THEN tax_1 ELSE tax_2 END, NULL,
       CASE WHEN (CASE n WHEN 1 THEN tax_1 ELSE tax_2 END) = 0 THEN '[]'
            ELSE json_array(json_object('amount', CASE n WHEN 1 THEN tax_1 ELSE tax_2 END,
                                        'tax_behavior', 'exclusive',
                                        'tax_rate_details', json_object('tax_rate', 'txr_ca'))) END,
       NULL, NULL, created::DATE, created
FROM bench_amounts, range(1, 3) r(n)
WHERE pays_invoice AND (n = 1 OR line_2 > 0);

INSERT INTO raw.stripe_objects
SELECT 'bench', created::DATE, 'invoice', 'in_' || i, 'list', NULL, created, 0, false, true,
       json_object('id', 'in_' || i, 'object', 'invoice', 'status', 'paid', 'currency', currency,
                   'payments', json_object('object', 'list', 'data', json_array(json_object(
                       'object', 'invoice_payment',
                       'payment', json_object('type', 'payment_intent', 'payment_intent', 'pi_' || i))))),
       created
FROM bench_amounts
WHERE pays_invoice;

INSERT INTO staging.accounts (id, default_currency, payout_interval, is_tenant, metadata, partition_date, observed_at,
                              extracted_at)
SELECT 'acct_bench', 'usd', 'daily', true, '{}', start_at::DATE, start_at, start_at FROM bench_settings;

DROP TABLE bench_activity;
DROP TABLE bench_amounts;
