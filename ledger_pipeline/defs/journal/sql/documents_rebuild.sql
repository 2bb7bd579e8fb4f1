-- Per-transaction mode, after journal_rebuild: invoices and credit notes move no money of their own, so
-- their documents are (re)built on their day, when one is new (finalised, voided or seen late), when Stripe
-- changed its status (paid, uncollectible), and dropped when Stripe no longer has it.
CREATE OR REPLACE TEMP TABLE jr_stored_documents AS
SELECT entry_key, group_key, status, source_type
FROM journal.documents
WHERE tenant = (SELECT tenant FROM jr_settings);

CREATE OR REPLACE TEMP TABLE jr_added AS
SELECT o.group_key AS entry_key
FROM jr_object_docs o
LEFT JOIN jr_stored_documents d ON d.entry_key = o.doc_key
WHERE o.doc_day = (SELECT day FROM jr_settings) OR d.entry_key IS NULL OR d.status IS DISTINCT FROM o.status
UNION
SELECT d.group_key
FROM jr_stored_documents d
WHERE d.source_type IN ('invoice', 'credit_note') AND d.entry_key NOT IN (SELECT doc_key FROM jr_object_docs);

-- A day's fees are one document per currency: with any transaction with fees of that day (re)built go all
-- of them, so the document is built whole.
CREATE OR REPLACE TEMP TABLE jr_fee_days AS
SELECT DISTINCT currency, entry_date
FROM jr_homes
WHERE fee <> 0 AND kind <> 'opening_balance'
  AND entry_key IN (SELECT entry_key FROM jr_rebuild UNION ALL SELECT entry_key FROM jr_added);

CREATE OR REPLACE TEMP TABLE jr_added AS
SELECT entry_key FROM jr_added
UNION
SELECT h.entry_key
FROM jr_homes h
JOIN jr_fee_days f ON f.currency = h.currency AND f.entry_date = h.entry_date
WHERE h.fee <> 0 AND h.kind <> 'opening_balance'
EXCEPT
SELECT entry_key FROM jr_rebuild;

INSERT INTO jr_rebuild SELECT entry_key FROM jr_added;

-- The transactions of the groups being built, now with those of the groups just added.
INSERT INTO jr_scope
SELECT h.* FROM jr_homes h WHERE h.entry_key IN (SELECT entry_key FROM jr_added);

-- The invoice and credit note documents being built, and the Stripe documents journal_parts reads lines of.
CREATE OR REPLACE TEMP TABLE jr_doc_scope AS
SELECT * FROM jr_object_docs WHERE group_key IN (SELECT entry_key FROM jr_rebuild);

INSERT INTO jr_document_objects
SELECT DISTINCT doc_kind, doc_id FROM jr_doc_scope;
