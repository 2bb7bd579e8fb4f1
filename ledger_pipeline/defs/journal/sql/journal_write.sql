-- Replace the entries this run built (and drop those that no longer exist), all or nothing.
DELETE FROM journal.line_sources WHERE entry_key IN (SELECT entry_key FROM jr_rebuild);
DELETE FROM journal.lines WHERE entry_key IN (SELECT entry_key FROM jr_rebuild);
DELETE FROM journal.entries WHERE entry_key IN (SELECT entry_key FROM jr_rebuild);
DELETE FROM quarantine.journal_entries WHERE entry_key IN (SELECT entry_key FROM jr_rebuild);

INSERT INTO journal.entries SELECT * FROM jr_entries;

INSERT INTO journal.lines
SELECT l.entry_key, l.line_no, l.role, l.role_key, l.description, l.account_ref, l.account_name,
       greatest(l.amount, 0), greatest(-l.amount, 0), greatest(l.books_amount, 0), greatest(-l.books_amount, 0),
       l.currency, s.books_currency, l.tax_code_ref, l.tax_code_name, l.tax_rate_id, l.item_ref, l.item_name,
       l.product_id, NULL, NULL, CASE WHEN l.tracking_ref IS NOT NULL THEN s.tracking_dimension END, l.tracking_ref,
       l.tracking_name, s.version
FROM jr_lines l
CROSS JOIN jr_settings s
WHERE l.entry_key IN (SELECT entry_key FROM jr_entries);

INSERT INTO journal.line_sources
SELECT p.entry_key, l.line_no, p.balance_transaction_id, p.component, p.amount, p.books_amount
FROM jr_postings p
JOIN jr_placement_lines l ON l.entry_key = p.entry_key AND l.placement = p.placement
UNION ALL
SELECT entry_key, line_no, NULL, 'rounding', 0, books_amount
FROM jr_lines
WHERE line_key = hash('books rounding') AND entry_key IN (SELECT entry_key FROM jr_entries);

INSERT INTO quarantine.journal_entries SELECT * FROM jr_quarantine;
