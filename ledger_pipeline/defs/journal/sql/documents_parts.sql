-- Per-transaction mode: what the invoice and credit note documents say, line by line, and how the money
-- that moved for them splits over those lines.

-- Each invoice or credit note document being built: its tracking value and how it converts into the books
-- currency. No transaction moved it, so Stripe gives no rate: in another currency the mapping's rate for
-- its month (else the default) converts it, and without one it waits in quarantine.
CREATE OR REPLACE TEMP TABLE jr_doc_classes AS
WITH rated AS (
    SELECT d.*, d.metadata ->> s.tracking_key AS tracking_value, s.books_currency,
           coalesce(ex.exponent, 2) AS exponent, coalesce(bx.exponent, 2) AS books_exponent, r.rate
    FROM jr_doc_scope d
    CROSS JOIN jr_settings s
    LEFT JOIN jr_exponents ex ON ex.currency = d.currency
    LEFT JOIN jr_exponents bx ON bx.currency = s.books_currency
    LEFT JOIN mapping.exchange_rates r ON r.version = s.version AND r.currency = d.currency AND d.currency <> s.books_currency
                                      AND (r.period = date_trunc('month', d.doc_day) OR r.period IS NULL)
    QUALIFY row_number() OVER (PARTITION BY d.doc_key ORDER BY r.period NULLS LAST) = 1
)
SELECT * EXCLUDE (books_currency, exponent, books_exponent, rate),
       CASE WHEN currency = books_currency THEN 1
            WHEN rate IS NOT NULL THEN rate_units(rate) * minor_per_major(books_exponent) END::HUGEINT AS conv_num,
       CASE WHEN currency = books_currency THEN 1
            WHEN rate IS NOT NULL THEN 1000000000000000000::HUGEINT * minor_per_major(exponent) END::HUGEINT AS conv_den,
       hash(kind, 'document', currency, tracking_value) AS bt_class
FROM rated;

INSERT INTO jr_bt_classes
SELECT DISTINCT bt_class, kind, NULL, currency, tracking_value, NULL FROM jr_doc_classes;

-- The documents' lines as posted when issued (debit positive): an invoice credits sales per line (net of
-- tax included in the price, and of its discount unless discounts have a line of their own) and tax per
-- rate; a credit note debits refunds per line and the tax it gives back. `position` keeps Stripe's order.
CREATE OR REPLACE TEMP TABLE jr_doc_parts AS
WITH per_line AS (
    SELECT l.doc_kind, l.doc_id, l.line_id, l.product_id, l.price_id, l.amount, l.discount_amount,
           coalesce(il.position, cl.position) AS position, coalesce(il.quantity, cl.quantity) AS quantity,
           coalesce(sum(t.amount) FILTER (WHERE t.inclusive), 0) AS inclusive_tax, min(t.tax_rate_id) AS line_tax_rate_id
    FROM jr_doc_lines l
    LEFT JOIN jr_doc_taxes t ON t.doc_kind = l.doc_kind AND t.doc_id = l.doc_id AND t.line_id = l.line_id
    LEFT JOIN staging.invoice_lines il ON l.doc_kind = 'invoice' AND il.invoice_id = l.doc_id AND il.id = l.line_id
    LEFT JOIN staging.credit_note_lines cl ON l.doc_kind = 'credit_note' AND cl.credit_note_id = l.doc_id
                                          AND cl.id = l.line_id
    WHERE (l.doc_kind, l.doc_id) IN (SELECT doc_kind, doc_id FROM jr_document_objects)
    GROUP BY ALL
)
SELECT l.doc_kind, l.doc_id, l.line_id, l.position, CASE l.doc_kind WHEN 'invoice' THEN 'revenue' ELSE 'refunds' END AS role,
       l.product_id, l.price_id, l.line_tax_rate_id, NULL::VARCHAR AS tax_rate_id, l.quantity,
       CASE WHEN l.doc_kind = 'invoice' AND s.discounts_apart THEN l.discount_amount ELSE 0 END AS discount_apart,
       CASE WHEN l.doc_kind = 'invoice' AND s.discounts_apart THEN 0 ELSE l.discount_amount END AS discount_in_line,
       CASE l.doc_kind WHEN 'invoice' THEN -1 ELSE 1 END
           * (l.amount - l.inclusive_tax - CASE WHEN l.doc_kind = 'invoice' AND s.discounts_apart THEN 0
                                                ELSE l.discount_amount END) AS amount
FROM per_line l
CROSS JOIN jr_settings s
UNION ALL
SELECT l.doc_kind, l.doc_id, l.line_id, l.position, 'discounts', l.product_id, l.price_id, l.line_tax_rate_id, NULL,
       NULL, 0, 0, l.discount_amount
FROM per_line l
CROSS JOIN jr_settings s
WHERE l.doc_kind = 'invoice' AND s.discounts_apart AND l.discount_amount <> 0
UNION ALL
SELECT doc_kind, doc_id, NULL, NULL, 'tax', NULL, NULL, NULL, tax_rate_id, NULL, 0, 0,
       sum(CASE doc_kind WHEN 'invoice' THEN -amount ELSE amount END)
FROM jr_doc_taxes
WHERE (doc_kind, doc_id) IN (SELECT doc_kind, doc_id FROM jr_document_objects)
GROUP BY ALL;

-- A refund's gross over what it gives back, in shares that add up to it exactly (each part takes what the
-- parts so far cover of the refund, rounded half up, less what the parts before it took): a credit note's
-- lines, else the refunded invoice's parts (revenue and discounts become refunds, tax is given back).
CREATE OR REPLACE TEMP TABLE jr_refund_shares AS
WITH weighted AS (
    SELECT s.id, p.role, p.role AS part, p.line_id, p.position, p.product_id, p.price_id, p.line_tax_rate_id,
           p.tax_rate_id, p.amount AS weight, -s.amount AS refunded
    FROM jr_scoped s
    JOIN jr_doc_parts p ON p.doc_kind = 'credit_note' AND p.doc_id = s.credit_note_id
    WHERE s.kind = 'credit_note'
    UNION ALL
    SELECT s.id, CASE p.part WHEN 'tax' THEN 'tax' ELSE 'refunds' END, p.part, NULL, NULL, p.product_id, p.price_id,
           p.line_tax_rate_id, p.tax_rate_id, p.weight, -s.amount
    FROM jr_scoped s
    JOIN jr_parts p ON p.doc_kind = 'invoice' AND p.doc_id = s.invoice_id
    WHERE s.kind = 'refund_receipt'
),
through AS (
    SELECT *, half_up_div(refunded * sum(weight) OVER cumulative, nullif(sum(weight) OVER whole, 0)) AS through
    FROM weighted
    WINDOW cumulative AS (PARTITION BY id ORDER BY part, position NULLS LAST, product_id, price_id, line_tax_rate_id,
                                                   tax_rate_id, line_id ROWS UNBOUNDED PRECEDING),
           whole AS (PARTITION BY id)
)
SELECT * EXCLUDE (through, weight, refunded, part),
       (through - coalesce(lag(through) OVER (PARTITION BY id ORDER BY part, position NULLS LAST, product_id, price_id,
                                                             line_tax_rate_id, tax_rate_id, line_id), 0))::BIGINT AS share
FROM through
WHERE id IN (SELECT id FROM through GROUP BY id HAVING sum(weight) <> 0);

-- The day a credit note's refunds are booked on (its document's, the later of them and the note); every
-- other transaction is booked on its own day.
CREATE OR REPLACE TEMP TABLE jr_credit_note_days AS
SELECT id, entry_date FROM jr_scope WHERE kind = 'credit_note';

-- What the refunds of each credit note took of its lines (the rest is credited to the customer's account).
CREATE OR REPLACE TEMP TABLE jr_credit_note_refunded AS
SELECT sc.credit_note_id, sh.role, sh.line_id, sh.tax_rate_id, sum(sh.share) AS refunded
FROM jr_refund_shares sh
JOIN jr_scoped sc ON sc.id = sh.id
WHERE sc.kind = 'credit_note'
GROUP BY ALL;

-- Each payment of an invoice being booked: how much of it the invoice still owed (the rest is the
-- customer's credit, an overpayment), counted in the invoice's currency in the order Stripe took them.
CREATE OR REPLACE TEMP TABLE jr_invoice_payments AS
WITH paid AS (
    SELECT b.id, ci.invoice_id, b.amount, b.created, i.currency AS invoice_currency, i.amount_due,
           coalesce(i.finalized_at, i.created) AS issued,
           CASE WHEN ch.currency = i.currency THEN ch.amount ELSE b.amount END AS presented
    FROM jr_bt b
    JOIN jr_charge_invoice ci ON ci.charge_id = b.source_id
    JOIN staging.invoices i ON i.id = ci.invoice_id
    LEFT JOIN staging.charges ch ON ch.id = b.source_id
    WHERE b.category = 'charge' AND ci.invoice_id IN (SELECT invoice_id FROM jr_scoped WHERE kind = 'payment')
),
through AS (
    SELECT *, sum(presented) OVER (PARTITION BY invoice_id ORDER BY created, id ROWS UNBOUNDED PRECEDING) AS paid_through
    FROM paid
)
SELECT id, invoice_id, invoice_currency, amount, presented, issued,
       least(paid_through - presented, coalesce(amount_due, paid_through)) AS owed_before,
       least(paid_through, coalesce(amount_due, paid_through)) AS owed_through
FROM through
WHERE id IN (SELECT id FROM jr_scoped);

-- ... and in the transaction's currency and the books: the part that settles the invoice is valued in the
-- books as the invoice was (its rate), what Stripe's rate makes of it beyond that is exchange gain or loss.
CREATE OR REPLACE TEMP TABLE jr_payment_split AS
WITH rated AS (
    SELECT p.*, s.books_currency, coalesce(ex.exponent, 2) AS exponent, coalesce(bx.exponent, 2) AS books_exponent,
           r.rate, owed_through - owed_before AS applied_presented
    FROM jr_invoice_payments p
    CROSS JOIN jr_settings s
    LEFT JOIN jr_exponents ex ON ex.currency = p.invoice_currency
    LEFT JOIN jr_exponents bx ON bx.currency = s.books_currency
    LEFT JOIN mapping.exchange_rates r ON r.version = s.version AND r.currency = p.invoice_currency
                                      AND p.invoice_currency <> s.books_currency
                                      AND (r.period = date_trunc('month', timezone(s.timezone, p.issued)) OR r.period IS NULL)
    QUALIFY row_number() OVER (PARTITION BY p.id ORDER BY r.period NULLS LAST) = 1
),
converted AS (
    SELECT *,
           CASE WHEN invoice_currency = books_currency THEN 1
                WHEN rate IS NOT NULL THEN rate_units(rate) * minor_per_major(books_exponent) END::HUGEINT AS num,
           CASE WHEN invoice_currency = books_currency THEN 1
                WHEN rate IS NOT NULL THEN 1000000000000000000::HUGEINT * minor_per_major(exponent) END::HUGEINT AS den
    FROM rated
)
SELECT id, invoice_id,
       CASE WHEN presented = amount THEN applied_presented
            ELSE half_up_div(amount * applied_presented, nullif(presented, 0)) END::BIGINT AS applied,
       (half_up_div(owed_through * num, den) - half_up_div(owed_before * num, den))::BIGINT AS applied_books
FROM converted;
