-- Postings: each transaction split into signed amounts (debit positive) by what they are, before any
-- account is looked up. Per transaction they add up to zero: the net on Stripe Clearing, each fee line on
-- its fee, and the gross on what was sold, refunded, disputed, paid out, ...
-- A posting's `placement` is everything that decides its line: its transaction's class (kind, category,
-- currency, tracking value) and its own part (role, product, tax rate, ...). Postings with one placement
-- in one entry make one line, and accounts are looked up once per placement, never per posting.

-- Every staged payment of the invoices in scope, in order, and how much of each invoice was paid by then.
CREATE OR REPLACE TEMP TABLE jr_paid AS
SELECT b.id, ci.invoice_id, b.amount, b.created,
       sum(b.amount) OVER (PARTITION BY ci.invoice_id ORDER BY b.created, b.id ROWS UNBOUNDED PRECEDING) AS paid_through
FROM jr_bt b
JOIN jr_charge_invoice ci ON ci.charge_id = b.source_id
WHERE b.category = 'charge'
  AND ci.invoice_id IN (SELECT doc_id FROM jr_docs WHERE doc_kind = 'invoice');

-- A payment's share of each part: what the invoice's payments so far cover of the part (rounded half
-- up) less what earlier payments took, so an invoice paid in full books each part exactly.
CREATE OR REPLACE TEMP TABLE jr_shares AS
WITH through AS (
    SELECT p.id, p.invoice_id, p.created, pt.part, pt.product_id, pt.price_id, pt.line_tax_rate_id, pt.tax_rate_id,
           half_up_div(pt.weight * p.paid_through, pt.total) AS through
    FROM jr_paid p
    JOIN jr_parts pt ON pt.doc_kind = 'invoice' AND pt.doc_id = p.invoice_id AND pt.total <> 0
)
SELECT * FROM (
    -- every payment of the invoice counts here, booked now or not: earlier ones took their share
    SELECT id, part, product_id, price_id, line_tax_rate_id, tax_rate_id,
           (through - coalesce(lag(through) OVER (
               PARTITION BY invoice_id, part, product_id, price_id, line_tax_rate_id, tax_rate_id
               ORDER BY created, id), 0))::BIGINT AS share
    FROM through
)
WHERE id IN (SELECT id FROM jr_scoped)
UNION ALL
-- a refund: its share of the credit note it belongs to, else of the refunded invoice
SELECT s.id, CASE pt.part WHEN 'tax' THEN 'tax' ELSE 'refunds' END, pt.product_id, pt.price_id,
       pt.line_tax_rate_id, pt.tax_rate_id, half_up_div(pt.weight * s.amount, pt.total)::BIGINT
FROM jr_scoped s
JOIN jr_parts pt ON pt.total <> 0 AND pt.doc_kind = 'credit_note' AND pt.doc_id = s.credit_note_id
WHERE s.category = 'refund'
UNION ALL
SELECT s.id, CASE pt.part WHEN 'tax' THEN 'tax' ELSE 'refunds' END, pt.product_id, pt.price_id,
       pt.line_tax_rate_id, pt.tax_rate_id, half_up_div(pt.weight * s.amount, pt.total)::BIGINT
FROM jr_scoped s
JOIN jr_parts pt ON pt.total <> 0 AND pt.doc_kind = 'invoice' AND pt.doc_id = s.invoice_id
WHERE s.category = 'refund' AND s.credit_note_id IS NULL;

CREATE OR REPLACE TEMP TABLE jr_postings AS
WITH postings AS (
    -- the net: what the transaction did to the Stripe balance
    SELECT entry_key, id, bt_class, conv_num, conv_den, 'net' AS component, 'clearing' AS role, currency AS role_key,
           net AS amount, NULL::VARCHAR AS product_id, NULL::VARCHAR AS price_id, NULL::VARCHAR AS line_tax_rate_id,
           NULL::VARCHAR AS tax_rate_id, NULL::VARCHAR AS problem
    FROM jr_scoped
    UNION ALL
    -- each fee line, by its type (a dispute's fee goes to dispute fees); a fee Stripe gave no lines for
    -- counts as its own fee (the extraction holds fee lines to add up to the fee)
    SELECT sc.entry_key, sc.id, sc.bt_class, sc.conv_num, sc.conv_den, 'fee',
           CASE WHEN sc.category IN ('dispute', 'dispute_reversal') AND coalesce(f.type, 'stripe_fee') = 'stripe_fee'
                THEN 'dispute_fees' ELSE 'fee' END,
           CASE WHEN sc.category IN ('dispute', 'dispute_reversal') AND coalesce(f.type, 'stripe_fee') = 'stripe_fee'
                THEN '' ELSE coalesce(f.type, 'stripe_fee') END,
           coalesce(f.amount, sc.fee), NULL, NULL, NULL, NULL, NULL
    FROM jr_scoped sc
    LEFT JOIN staging.balance_transaction_fees f ON f.balance_transaction_id = sc.id
    WHERE coalesce(f.amount, sc.fee) <> 0
    UNION ALL
    -- the gross of a payment or refund split over its invoice or credit note ...
    SELECT sc.entry_key, sc.id, sc.bt_class, sc.conv_num, sc.conv_den, 'gross', sh.part,
           CASE sh.part WHEN 'refunds' THEN '' WHEN 'tax' THEN sh.tax_rate_id ELSE coalesce(sh.product_id, '') END,
           -sh.share, CASE WHEN sh.part IN ('revenue', 'discounts') THEN sh.product_id END,
           CASE WHEN sh.part IN ('revenue', 'discounts') THEN sh.price_id END,
           CASE WHEN sh.part IN ('revenue', 'discounts') THEN sh.line_tax_rate_id END, sh.tax_rate_id, NULL
    FROM jr_scoped sc
    JOIN jr_shares sh ON sh.id = sc.id
    WHERE sh.share <> 0
    UNION ALL
    -- ... and what the split's rounding left over
    SELECT sc.entry_key, sc.id, sc.bt_class, sc.conv_num, sc.conv_den, 'gross', 'rounding', 'split',
           -(sc.amount - t.shared), NULL, NULL, NULL, NULL, NULL
    FROM jr_scoped sc
    JOIN (SELECT id, sum(share) AS shared FROM jr_shares GROUP BY id) t ON t.id = sc.id
    WHERE sc.amount <> t.shared
    UNION ALL
    -- every other gross: by the reporting category's rule
    SELECT entry_key, id, bt_class, conv_num, conv_den, 'gross',
           CASE WHEN kind IN ('payout', 'payout_failure') THEN 'bank'
                WHEN category = 'fee' AND type = 'stripe_fx_fee' THEN 'currency_conversion_fees'
                WHEN rule_role = 'fee_tax' THEN 'fee'
                WHEN rule_role IS NULL THEN 'category'
                ELSE rule_role END,
           CASE WHEN kind IN ('payout', 'payout_failure') THEN currency
                WHEN category = 'fee' AND type = 'tax_fee' THEN 'tax'
                WHEN category = 'fee' AND type = 'stripe_fx_fee' THEN ''
                WHEN category = 'fee' THEN coalesce(lower(regexp_extract(description, '^\s*([A-Za-z]+)', 1)), 'other')
                WHEN rule_role = 'fee_tax' THEN 'tax'
                WHEN rule_role IS NULL THEN category
                ELSE '' END,
           -amount, NULL, NULL, NULL, NULL,
           -- a payment of an invoice whose lines are not staged cannot be split into sales and tax
           CASE WHEN category = 'charge' AND invoice_id IS NOT NULL THEN 'invoice_lines' END
    FROM jr_scoped
    WHERE amount <> 0 AND id NOT IN (SELECT id FROM jr_shares)
    UNION ALL
    -- opening balances: Stripe Clearing (their net) against Opening Balance Equity, traced to the
    -- transactions they hold, plus what a stated figure has that they do not explain (yet)
    SELECT o.entry_key, h.id, hash('opening_balance', o.currency), c.conv_num, c.conv_den,
           CASE side.role WHEN 'clearing' THEN 'net' ELSE 'opening' END, side.role,
           CASE side.role WHEN 'clearing' THEN o.currency ELSE '' END, side.sign * coalesce(h.net, o.amount - o.traced),
           NULL, NULL, NULL, NULL, NULL
    FROM jr_openings o
    JOIN jr_opening_conversion c ON c.currency = o.currency
    CROSS JOIN (VALUES ('clearing', 1), ('opening_balance_equity', -1)) side(role, sign)
    LEFT JOIN jr_homes h ON h.kind = 'opening_balance' AND h.currency = o.currency
    WHERE o.entry_key IN (SELECT entry_key FROM jr_rebuild)
    UNION ALL
    SELECT o.entry_key, NULL, hash('opening_balance', o.currency), c.conv_num, c.conv_den,
           CASE side.role WHEN 'clearing' THEN 'net' ELSE 'opening' END, side.role,
           CASE side.role WHEN 'clearing' THEN o.currency ELSE '' END, side.sign * (o.amount - o.traced),
           NULL, NULL, NULL, NULL, NULL
    FROM jr_openings o
    JOIN jr_opening_conversion c ON c.currency = o.currency
    CROSS JOIN (VALUES ('clearing', 1), ('opening_balance_equity', -1)) side(role, sign)
    WHERE o.entry_key IN (SELECT entry_key FROM jr_rebuild) AND o.amount <> o.traced AND o.transactions > 0
)
SELECT entry_key, id AS balance_transaction_id, component, amount,
       -- into the books currency once, rounded half up (a rounding line evens out the entry afterwards)
       CASE WHEN conv_den = 1 AND conv_num = 1 THEN amount
            ELSE half_up_div(amount::HUGEINT * conv_num, conv_den)::BIGINT END AS books_amount,
       bt_class, role, role_key, product_id, price_id, line_tax_rate_id, tax_rate_id, problem,
       hash(bt_class, component = 'gross', role, role_key, product_id, price_id, line_tax_rate_id, tax_rate_id,
            problem) AS placement
FROM postings;
