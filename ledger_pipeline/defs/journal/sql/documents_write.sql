-- Per-transaction mode: replace the documents of the groups this run built (and drop those that no longer
-- exist), all or nothing. A group's stored documents are found by their group key (an invoice's void goes
-- with it), the day's fees by the days rebuilt.
CREATE OR REPLACE TEMP TABLE jr_replaced AS
SELECT entry_key FROM jr_rebuild
UNION
SELECT entry_key FROM jr_stored_documents WHERE group_key IN (SELECT entry_key FROM jr_rebuild)
UNION
SELECT concat_ws('/', s.tenant, s.mode, k.kind, f.currency, strftime(f.entry_date, '%Y-%m-%d'))
FROM jr_fee_days f
CROSS JOIN jr_settings s
CROSS JOIN (VALUES ('daily_stripe_fees'), ('daily_platform_fees')) k(kind)
UNION
SELECT entry_key FROM jr_entries;

DELETE FROM journal.line_sources WHERE entry_key IN (SELECT entry_key FROM jr_replaced);
DELETE FROM journal.lines WHERE entry_key IN (SELECT entry_key FROM jr_replaced);
DELETE FROM journal.document_lines WHERE entry_key IN (SELECT entry_key FROM jr_replaced);
DELETE FROM journal.documents WHERE entry_key IN (SELECT entry_key FROM jr_replaced);
DELETE FROM journal.entries WHERE entry_key IN (SELECT entry_key FROM jr_replaced);
DELETE FROM quarantine.journal_entries WHERE entry_key IN (SELECT entry_key FROM jr_rebuild);

INSERT INTO journal.entries
SELECT entry_key, tenant, mode, kind, document_type, entry_date, period, anchor_date, currency, books_currency,
       payout_id, counterparty, reference, memo, total_debit, total_credit, books_total_debit, books_total_credit,
       line_count, source_count, content_hash, mapping_version, built_at
FROM jr_entries;

INSERT INTO journal.lines
SELECT l.doc_key, l.line_no, a.role, a.role_key,
       CASE WHEN a.description IS NOT NULL THEN a.description
            WHEN l.amount >= 0 THEN 'Deposited to Stripe Clearing' ELSE 'Paid from Stripe Clearing' END,
       a.account_ref, a.account_name, greatest(l.amount, 0), greatest(-l.amount, 0), greatest(l.books_amount, 0),
       greatest(-l.books_amount, 0), l.currency, s.books_currency, a.tax_code_ref, a.tax_code_name, a.tax_rate_id,
       a.item_ref, a.item_name, a.product_id, l.quantity,
       -- a sales line's unit price, where the quantity divides its amount
       CASE WHEN l.quantity > 0 AND abs(l.amount) % l.quantity = 0 THEN abs(l.amount) // l.quantity END,
       CASE WHEN a.tracking_ref IS NOT NULL THEN s.tracking_dimension END, a.tracking_ref, a.tracking_name, s.version
FROM jr_doc_lines_built l
JOIN jr_doc_line_attributes a ON a.line_key = l.line_key
CROSS JOIN jr_settings s
WHERE l.doc_key IN (SELECT entry_key FROM jr_entries);

INSERT INTO journal.line_sources
SELECT doc_key, line_no, balance_transaction_id, component, amount, books_amount
FROM jr_doc_posting_lines
UNION ALL
SELECT doc_key, line_no, NULL, 'rounding', 0, books_amount
FROM jr_doc_lines_built
WHERE line_key = hash('books rounding') AND doc_key IN (SELECT entry_key FROM jr_entries);

INSERT INTO journal.documents
SELECT e.entry_key, e.tenant, e.group_key, e.status, e.source_type, e.source_id, e.number, e.applies_to,
       e.counterparty_type, e.counterparty_name, e.counterparty_email,
       CASE WHEN e.source_count > 0 THEN c.ref END, CASE WHEN e.source_count > 0 THEN c.name END, e.due_date,
       e.presentment_currency, e.presentment_amount, e.built_at
FROM jr_entries e
LEFT JOIN jr_accounts c ON c.role = 'clearing' AND c.key = e.currency;

INSERT INTO journal.document_lines
SELECT l.doc_key, l.line_no, a.line_id, a.price_id, coalesce(max(p.discount_in_line), 0)
FROM jr_doc_lines_built l
JOIN jr_doc_line_attributes a ON a.line_key = l.line_key
JOIN jr_doc_info d ON d.doc_key = l.doc_key
LEFT JOIN jr_doc_parts p ON p.doc_kind = CASE WHEN d.kind LIKE 'invoice%' THEN 'invoice' ELSE 'credit_note' END
                        AND p.doc_id = d.source_id AND p.line_id = a.line_id AND p.role = a.role
WHERE a.line_id IS NOT NULL AND l.doc_key IN (SELECT entry_key FROM jr_entries)
GROUP BY l.doc_key, l.line_no, a.line_id, a.price_id;

INSERT INTO quarantine.journal_entries SELECT * FROM jr_quarantine;
