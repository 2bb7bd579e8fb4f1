-- A busy day in per-transaction mode for the Xero loader benchmark, booked as the journal books it: $count card
-- payments, each a sales receipt from its own customer, and the day's Stripe fees on them as one expense
-- (vendor Stripe, document_rules.daily_stripe_fees). The first $changed payments are a cent more (a rebuild
-- that changed them, for the update phase).
INSERT INTO journal.entries (entry_key, tenant, mode, kind, document_type, entry_date, period, anchor_date, currency,
                             books_currency, payout_id, counterparty, reference, memo, total_debit, total_credit,
                             books_total_debit, books_total_credit, line_count, source_count, content_hash,
                             mapping_version, built_at)
WITH payments AS (
    SELECT n, 2000 + (n * 37) % 9000 + CASE WHEN n < $changed THEN 1 ELSE 0 END AS gross FROM range($count) AS t(n)
),
documents AS (
    SELECT printf('%s/per_transaction/sales_receipt/ch_xbench%06d', $tenant, n) AS entry_key, 'sales_receipt' AS kind,
           'sales_receipt' AS document_type, printf('cus_xbench%06d', n) AS counterparty,
           printf('ch_xbench%06d', n) AS reference, printf('Stripe payment ch_xbench%06d', n) AS memo, gross AS amount,
           1 AS source_count
    FROM payments
    UNION ALL
    SELECT printf('%s/per_transaction/daily_stripe_fees/%s/usd', $tenant, $day::DATE), 'daily_stripe_fees', 'expense',
           'stripe', printf('fees %s', $day::DATE), printf('Stripe fees of %s', $day::DATE),
           sum(30 + gross * 29 // 1000), count(*)
    FROM payments
)
SELECT entry_key, $tenant, 'per_transaction', kind, document_type, $day, date_trunc('month', $day::DATE)::DATE, $day,
       'usd', 'usd', NULL, counterparty, reference, memo, amount, amount, amount, amount, 2, source_count,
       sha256(printf('%s|%d', entry_key, amount)), $version, now()
FROM documents
