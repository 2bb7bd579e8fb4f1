-- Per-transaction mode: where each balance transaction is booked (its "home"), decided from the staged
-- Stripe data alone, so a re-run decides the same way. Every transaction is booked on its own day (in the
-- tenant's timezone) in the document that moves its gross on Stripe Clearing, its group, keyed
-- tenant/per_transaction/<kind>/<Stripe id>; nothing waits for a payout:
--   payment          a charge that paid an invoice (Dr Stripe Clearing, Cr A/R)
--   credit_note      a refund a credit note gave back (the credit note's document)
--   payout / payout_failure  a payout's own transaction (or its return): Stripe Clearing <-> bank
--   opening_balance  created before the first day booked, paid out by a payout we book
--   otherwise        the kind its reporting category says (document_rules.py): sales_receipt, refund_receipt, ...
-- Its fees are booked beside it (an expense per transaction) and held with it: see documents_postings.
CREATE OR REPLACE TEMP TABLE jr_homes AS
WITH typed AS (
    SELECT b.id, b.currency, b.amount, b.fee, b.net, b.created, b.local_day, b.category, b.source_id,
           false AS before_start, m.payout_id, m.composition, m.payout_day,
           CASE WHEN b.category IN ('payout', 'payout_reversal') AND b.amount <= 0 THEN 'payout'
                WHEN b.category IN ('payout', 'payout_reversal') THEN 'payout_failure'
                WHEN b.category = 'charge' AND ci.invoice_id IS NOT NULL THEN 'payment'
                WHEN b.category = 'refund' AND cn.credit_note_id IS NOT NULL THEN 'credit_note'
                ELSE coalesce(k.kind, 'other_activity') END AS kind,
           CASE WHEN b.category IN ('payout', 'payout_reversal') AND b.amount <= 0 THEN coalesce(b.source_id, b.id)
                WHEN b.category IN ('payout', 'payout_reversal') THEN concat_ws('/', b.source_id, b.id)
                WHEN b.category = 'charge' AND ci.invoice_id IS NOT NULL THEN coalesce(b.source_id, b.id)
                WHEN b.category = 'refund' AND cn.credit_note_id IS NOT NULL THEN cn.credit_note_id
                WHEN k.keyed_by = 'source' THEN coalesce(b.source_id, b.id)
                ELSE concat_ws('/', b.source_id, b.id) END AS doc_id,
           o.issued_day
    FROM jr_bt b
    LEFT JOIN jr_members m ON m.balance_transaction_id = b.id
    LEFT JOIN jr_charge_invoice ci ON b.category = 'charge' AND ci.charge_id = b.source_id
    LEFT JOIN jr_credit_note_refunds cn ON b.category = 'refund' AND cn.refund_id = b.source_id
    LEFT JOIN jr_objects o ON o.doc_kind = 'credit_note' AND o.doc_id = cn.credit_note_id
    LEFT JOIN jr_category_kinds k ON k.category = b.category
),
-- a document holding several transactions (a credit note's refunds) dates on the last of them, or the note
credit_notes AS (
    SELECT doc_id, greatest(max(local_day), max(issued_day)) AS entry_date
    FROM typed WHERE kind = 'credit_note' GROUP BY doc_id
),
keyed AS (
    SELECT t.* EXCLUDE (doc_id, issued_day), NULL::VARCHAR AS waiting,
           concat_ws('/', s.tenant, s.mode, t.kind, t.doc_id) AS entry_key,
           coalesce(c.entry_date, t.local_day) AS entry_date
    FROM typed t
    CROSS JOIN jr_settings s
    LEFT JOIN credit_notes c ON t.kind = 'credit_note' AND c.doc_id = t.doc_id
)
SELECT * EXCLUDE (entry_date), entry_date, entry_date AS anchor_date FROM keyed
UNION ALL
-- paid out by a payout we book, but created before the first day booked: the opening balance
SELECT m.balance_transaction_id, m.currency, m.amount, m.fee, m.net, m.created, m.local_day, m.category,
       m.source_id, true, m.payout_id, m.composition, m.payout_day,
       CASE WHEN m.composition = 'awaiting_composition' THEN NULL ELSE 'opening_balance' END,
       CASE WHEN m.composition = 'awaiting_composition'
            THEN 'in payout ' || m.payout_id || ', whose composition Stripe is still reconciling' END,
       CASE WHEN m.composition <> 'awaiting_composition'
            THEN concat_ws('/', s.tenant, s.mode, 'opening_balance', m.currency) END,
       s.start_day, s.start_day
FROM jr_members m
CROSS JOIN jr_settings s
WHERE m.before_start;
