-- Per-transaction mode: each document's lines (one per account and meaning, and one per Stripe line of an
-- invoice or credit note), balanced in the books currency by a rounding line; then the documents, hashed.

-- What a line shows, decided per kind of document, placement and Stripe line (few rows). Stripe Clearing's
-- wording waits for the line's sign.
CREATE OR REPLACE TEMP TABLE jr_doc_line_keys AS
WITH wanted AS (
    SELECT DISTINCT kind, placement, line_id
    FROM jr_postings
    WHERE entry_key NOT IN (SELECT entry_key FROM jr_problems)
),
shown AS (
    SELECT w.kind, w.placement, w.line_id, p.role, p.role_key, p.account_ref, p.account_name, p.tax_code_ref,
           p.tax_code_name, CASE WHEN p.role = 'tax' THEN p.tax_rate_id END AS tax_rate_id,
           coalesce(p.item_ref, CASE WHEN p.role = 'refunds' THEN pr.item_ref END) AS item_ref,
           coalesce(p.item_name, CASE WHEN p.role = 'refunds' THEN pr.item_name END) AS item_name,
           CASE WHEN p.role IN ('revenue', 'discounts', 'refunds') THEN p.product_id END AS product_id,
           CASE WHEN p.role IN ('revenue', 'discounts', 'refunds') THEN p.price_id END AS price_id,
           p.tracking_ref, p.tracking_name,
           CASE WHEN p.role = 'clearing' AND w.kind NOT IN ('payout', 'payout_failure', 'opening_balance') THEN NULL
                WHEN p.role = 'receivables' THEN CASE p.role_key
                    WHEN 'invoice' THEN 'Invoiced to the customer'
                    WHEN 'applied' THEN 'Paid against the invoice'
                    WHEN 'unapplied' THEN 'Unapplied: customer credit beyond what the invoice owed'
                    ELSE 'Credited to the customer''s account' END
                WHEN p.role = 'tax' THEN
                    CASE WHEN w.kind IN ('credit_note', 'credit_note_void', 'refund_receipt') THEN 'Sales tax refunded – '
                         ELSE 'Sales tax – ' END
                    || coalesce(nullif(concat_ws(' ', p.tax_display_name, '(' || p.tax_jurisdiction || ')'), ''),
                                p.tax_rate_id)
                WHEN p.role = 'refunds' AND coalesce(p.product_id, p.price_id) IS NOT NULL
                    THEN 'Refunds – ' || coalesce(pr.product_name, p.product_id, p.price_id)
                WHEN p.role = 'exchange_gain_loss' THEN 'Exchange gain or loss against the invoice'
                ELSE p.description END AS description
    FROM wanted w
    JOIN jr_placed p ON p.placement = w.placement
    LEFT JOIN jr_product_rules pr ON p.role = 'refunds' AND pr.product_id IS NOT DISTINCT FROM p.product_id
                                 AND pr.price_id IS NOT DISTINCT FROM p.price_id
),
keyed AS (
    SELECT *, hash(role, description, account_ref, account_name, tax_code_ref, tax_code_name, tax_rate_id, item_ref,
                   item_name, product_id, price_id, tracking_ref, tracking_name, line_id) AS line_key
    FROM shown
)
-- where lines go inside a document: by role, then Stripe's line order, then what they show
SELECT k.*, coalesce(o.position, 99) AS role_position,
       dense_rank() OVER (ORDER BY k.role_key, k.description NULLS FIRST, k.account_ref, k.tracking_ref NULLS FIRST,
                                   k.line_key) AS shown_rank
FROM keyed k
LEFT JOIN jr_document_role_order o ON o.role = k.role;

-- Every posting of a document that can be booked, with its line's number (dense in the document).
CREATE OR REPLACE TEMP TABLE jr_doc_posting_lines AS
SELECT p.doc_key, p.currency, p.balance_transaction_id, p.component, p.amount, p.books_amount, p.quantity,
       k.line_key,
       -- (numbered by the key's hash: a number sorts and partitions faster than the text)
       dense_rank() OVER (PARTITION BY hash(p.doc_key) ORDER BY k.role_position, p.position NULLS LAST, k.shown_rank)
           AS line_no
FROM jr_postings p
JOIN jr_doc_line_keys k ON k.kind = p.kind AND k.placement = p.placement AND k.line_id IS NOT DISTINCT FROM p.line_id
WHERE p.entry_key NOT IN (SELECT entry_key FROM jr_problems);

-- The lines; where converting into the books currency left a document a unit or two out of balance, a
-- rounding line (never revenue) takes the difference, last.
CREATE OR REPLACE TEMP TABLE jr_doc_lines_built AS
WITH summed AS (
    SELECT doc_key, line_no, any_value(line_key) AS line_key, any_value(currency) AS currency,
           max(quantity) AS quantity, sum(amount)::BIGINT AS amount, sum(books_amount)::BIGINT AS books_amount
    FROM jr_doc_posting_lines
    GROUP BY doc_key, line_no
)
SELECT * FROM summed
UNION ALL
SELECT doc_key, max(line_no) + 1, hash('books rounding'), any_value(currency), NULL, 0, -sum(books_amount)::BIGINT
FROM summed
GROUP BY doc_key
HAVING sum(books_amount) <> 0;

-- Each line's account, item, tax code, tracking and wording (few rows), and the text the hash covers.
CREATE OR REPLACE TEMP TABLE jr_doc_line_attributes AS
WITH attributes AS (
    SELECT * FROM (SELECT DISTINCT ON (line_key) * EXCLUDE (kind, placement, role_position, shown_rank)
                   FROM jr_doc_line_keys ORDER BY line_key)
    UNION ALL
    SELECT NULL, 'rounding', 'books', a.ref, a.name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           'Rounding (books currency)', hash('books rounding')
    FROM jr_accounts a
    WHERE a.role = 'rounding' AND a.key = ''
)
SELECT *, concat_ws('|', account_ref, coalesce(tax_code_ref, ''), coalesce(item_ref, ''), coalesce(tracking_ref, ''),
                    coalesce(description, '')) AS posted
FROM attributes;

CREATE OR REPLACE TEMP TABLE jr_entries AS
WITH totals AS (
    SELECT l.doc_key,
           sum(greatest(l.amount, 0))::BIGINT AS total_debit, sum(greatest(-l.amount, 0))::BIGINT AS total_credit,
           sum(greatest(l.books_amount, 0))::BIGINT AS books_total_debit,
           sum(greatest(-l.books_amount, 0))::BIGINT AS books_total_credit,
           count(*) AS line_count,
           -- what each line posts (its number, amounts and quantity, account, tax code, item, tracking,
           -- wording) by MD5 (64 bits of it), summed: no sort, and a change to any line changes the sum
           sum(md5_number_lower(concat_ws('|', l.line_no, l.amount, l.books_amount, coalesce(l.quantity, 0), a.posted)))
               AS posted
    FROM jr_doc_lines_built l
    JOIN jr_doc_line_attributes a ON a.line_key = l.line_key
    GROUP BY l.doc_key
)
-- (with what journal.documents keeps of each, written beside it)
SELECT d.doc_key AS entry_key, s.tenant, s.mode, d.kind, d.document_type, d.entry_date,
       date_trunc('month', d.entry_date)::DATE AS period, d.entry_date AS anchor_date, d.currency, s.books_currency,
       d.payout_id, d.counterparty, d.reference, d.memo, t.total_debit, t.total_credit, t.books_total_debit,
       t.books_total_credit, t.line_count, d.transactions AS source_count,
       sha256(concat_ws(chr(10), d.doc_key, strftime(d.entry_date, '%Y-%m-%d'), d.document_type, d.currency,
                        s.books_currency, coalesce(d.counterparty, ''), d.reference, d.memo, s.version, t.posted))
           AS content_hash,
       s.version AS mapping_version, s.built_at,
       d.group_key, d.status, d.source_type, d.source_id, d.number, d.applies_to, d.counterparty_type,
       d.counterparty_name, d.counterparty_email, d.due_date, d.presentment_currency, d.presentment_amount
FROM jr_doc_info d
JOIN totals t ON t.doc_key = d.doc_key
CROSS JOIN jr_settings s
WHERE d.group_key NOT IN (SELECT entry_key FROM jr_problems);
