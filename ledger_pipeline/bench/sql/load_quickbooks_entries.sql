-- A busy day in per-transaction mode for the QuickBooks loader benchmark: $count card payments, each a sales
-- receipt from its own customer plus an expense for its Stripe fee (vendor Stripe). $round moves every
-- amount, so a second round changes every document it rewrites.
INSERT INTO journal.entries (entry_key, tenant, mode, kind, document_type, entry_date, period, anchor_date, currency,
                             books_currency, payout_id, counterparty, reference, memo, total_debit, total_credit,
                             books_total_debit, books_total_credit, line_count, source_count, content_hash,
                             mapping_version, built_at)
SELECT printf('%s/per_transaction/%s/ch_bench%06d', $tenant, d.kind, n), $tenant, 'per_transaction', d.kind,
       d.document_type, $day, date_trunc('month', $day::DATE)::DATE, $day, 'usd', 'usd', NULL,
       CASE d.kind WHEN 'sales_receipt' THEN printf('cus_bench%06d', n) ELSE 'stripe' END,
       printf('ch_bench%06d', n), printf('%s ch_bench%06d', d.memo, n), d.amount, d.amount, d.amount, d.amount, 2, 1,
       sha256(printf('%s|%d|%d', d.kind, n, d.amount)), $version, now()
FROM (SELECT n, 2000 + (n * 37) % 9000 + $round AS gross FROM range($count) AS t(n)) AS c
CROSS JOIN LATERAL (VALUES ('sales_receipt', 'sales_receipt', 'Stripe payment', c.gross),
                           ('transaction_fees', 'expense', 'Stripe fees on', 30 + c.gross * 29 // 1000))
    AS d(kind, document_type, memo, amount)
