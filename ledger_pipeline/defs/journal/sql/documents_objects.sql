-- The Stripe documents posted as documents of their own in per-transaction mode, whether or not money moved:
--   invoice           on the day Stripe finalised it (drafts are not in the books): Dr A/R, Cr sales and tax
--   invoice_void      on the day it was voided: the invoice reversed
--   credit_note       on the day it took effect: Dr refunds and tax, Cr Stripe Clearing for what Stripe
--                     refunded (its refunds are balance transactions of this document) and A/R for the rest
--   credit_note_void  on the day it was voided
-- Each pair is built and held together (its group, keyed by the invoice or credit note document). One
-- finalised or voided before the first day booked belongs to the books before them.
CREATE OR REPLACE TEMP TABLE jr_objects AS
SELECT 'invoice' AS doc_kind, i.id AS doc_id, i.number, i.customer, i.status, i.currency, i.total, i.amount_due,
       NULL::VARCHAR AS invoice_id, i.due_date, i.metadata,
       timezone(s.timezone, coalesce(i.finalized_at, i.created))::DATE AS issued_day,
       CASE WHEN i.status = 'void' THEN timezone(s.timezone, coalesce(i.voided_at, i.finalized_at, i.created))::DATE
       END AS void_day
FROM staging.invoices i
CROSS JOIN jr_settings s
WHERE NOT i.deleted AND i.status IN ('open', 'paid', 'void', 'uncollectible')
UNION ALL
SELECT 'credit_note', c.id, c.number, coalesce(c.customer, i.customer), c.status, c.currency, coalesce(c.total, c.amount),
       NULL, c.invoice, NULL, coalesce(c.metadata, i.metadata),
       timezone(s.timezone, coalesce(c.effective_at, c.created))::DATE,
       CASE WHEN c.status = 'void' THEN timezone(s.timezone, coalesce(c.voided_at, c.created))::DATE END
FROM staging.credit_notes c
CROSS JOIN jr_settings s
LEFT JOIN staging.invoices i ON i.id = c.invoice;

CREATE OR REPLACE TEMP TABLE jr_object_docs AS
SELECT concat_ws('/', s.tenant, s.mode, d.kind, o.doc_id) AS doc_key,
       concat_ws('/', s.tenant, s.mode, o.doc_kind, o.doc_id) AS group_key,
       d.kind, d.reverses, o.*, CASE WHEN d.reverses THEN o.void_day ELSE o.issued_day END AS doc_day
FROM jr_objects o
CROSS JOIN jr_settings s
CROSS JOIN (VALUES (false), (true)) v(reverses)
CROSS JOIN LATERAL (SELECT o.doc_kind || CASE WHEN v.reverses THEN '_void' ELSE '' END AS kind, v.reverses) d
WHERE CASE WHEN d.reverses THEN o.void_day ELSE o.issued_day END >= s.start_day;
