-- What an invoice (or credit note) is made of, as weights for splitting a payment (or refund) of it:
-- revenue per product (net of tax included in the price, and of discounts unless they get their own
-- line), discounts, and tax per tax rate. Weights are in the document's currency; only their ratios
-- matter, so a payment settled in another currency splits the same way.
CREATE OR REPLACE TEMP TABLE jr_docs AS
SELECT DISTINCT 'invoice' AS doc_kind, invoice_id AS doc_id FROM jr_scoped
WHERE invoice_id IS NOT NULL AND category = 'charge' OR (category = 'refund' AND credit_note_id IS NULL AND invoice_id IS NOT NULL)
UNION
SELECT DISTINCT 'credit_note', credit_note_id FROM jr_scoped WHERE credit_note_id IS NOT NULL
UNION
-- per-transaction mode: the invoices and credit notes it posts as documents (none in payout-summary mode)
SELECT doc_kind, doc_id FROM jr_document_objects;

CREATE OR REPLACE TEMP TABLE jr_doc_lines AS
SELECT 'invoice' AS doc_kind, l.invoice_id AS doc_id, l.id AS line_id, coalesce(l.product_id, pr.product) AS product_id,
       l.price_id, l.amount, l.discount_amount, l.tax_amounts
FROM staging.invoice_lines l
LEFT JOIN staging.prices pr ON pr.id = l.price_id
WHERE l.invoice_id IN (SELECT doc_id FROM jr_docs WHERE doc_kind = 'invoice')
UNION ALL
SELECT 'credit_note', cl.credit_note_id, cl.id, coalesce(il.product_id, pr.product), il.price_id, cl.amount,
       coalesce(cl.discount_amount, 0), cl.tax_amounts
FROM staging.credit_note_lines cl
JOIN staging.credit_notes cn ON cn.id = cl.credit_note_id
LEFT JOIN staging.invoice_lines il ON il.invoice_id = cn.invoice AND il.id = cl.invoice_line_item
LEFT JOIN staging.prices pr ON pr.id = il.price_id
WHERE cl.credit_note_id IN (SELECT doc_id FROM jr_docs WHERE doc_kind = 'credit_note');

-- Tax entries: Basil `taxes` ({amount, tax_behavior, tax_rate_details.tax_rate}) or older `tax_amounts`
-- ({amount, inclusive, tax_rate}); Stripe Tax's automatic taxes have the same shape.
CREATE OR REPLACE TEMP TABLE jr_doc_taxes AS
SELECT doc_kind, doc_id, line_id, t.amount AS amount,
       coalesce(t.tax_rate_details.tax_rate, t.tax_rate) AS tax_rate_id,
       coalesce(t.tax_behavior = 'inclusive', t.inclusive, false) AS inclusive
FROM (
    SELECT doc_kind, doc_id, line_id,
           unnest(from_json(tax_amounts, '[{"amount": "BIGINT", "tax_behavior": "VARCHAR", "inclusive": "BOOLEAN",
                                            "tax_rate": "VARCHAR", "tax_rate_details": {"tax_rate": "VARCHAR"}}]')) AS t
    FROM jr_doc_lines
    WHERE tax_amounts IS NOT NULL AND json_type(tax_amounts) = 'ARRAY'
)
WHERE t.amount <> 0;

CREATE OR REPLACE TEMP TABLE jr_parts AS
WITH per_line AS (
    SELECT l.doc_kind, l.doc_id, l.line_id, l.product_id, l.price_id, l.amount, l.discount_amount,
           coalesce(sum(t.amount) FILTER (WHERE t.inclusive), 0) AS inclusive_tax,
           min(t.tax_rate_id) AS line_tax_rate_id
    FROM jr_doc_lines l
    LEFT JOIN jr_doc_taxes t ON t.doc_kind = l.doc_kind AND t.doc_id = l.doc_id AND t.line_id = l.line_id
    GROUP BY ALL
),
parts AS (
    SELECT doc_kind, doc_id, 'revenue' AS part, product_id, price_id, line_tax_rate_id, NULL::VARCHAR AS tax_rate_id,
           sum(amount - inclusive_tax - CASE WHEN s.discounts_apart THEN 0 ELSE discount_amount END) AS weight
    FROM per_line CROSS JOIN jr_settings s
    GROUP BY ALL
    UNION ALL
    SELECT doc_kind, doc_id, 'discounts', product_id, price_id, line_tax_rate_id, NULL, -sum(discount_amount)
    FROM per_line CROSS JOIN jr_settings s
    WHERE s.discounts_apart AND discount_amount <> 0
    GROUP BY ALL
    UNION ALL
    SELECT doc_kind, doc_id, 'tax', NULL, NULL, NULL, tax_rate_id, sum(amount)
    FROM jr_doc_taxes
    GROUP BY ALL
)
SELECT p.*, sum(weight) OVER (PARTITION BY doc_kind, doc_id) AS total
FROM parts p
WHERE weight <> 0;
