-- Which Stripe documents the money belongs to: the invoice each payment paid, the credit note each refund
-- gave back. Read from the whole staging area (not the run's scope): where a transaction is booked can
-- depend on them.

-- Which invoice each payment paid. Stripe's Basil API keeps this on the invoice (`payments`), not the
-- charge; staging has no column for it yet, so it is read from the invoice's latest raw state.
CREATE OR REPLACE TEMP TABLE jr_invoice_links AS
SELECT DISTINCT invoice_id, ref
FROM (
    SELECT object_id AS invoice_id,
           unnest(list_concat(
               json_extract_string(data, '$.payments.data[*].payment.payment_intent'),
               json_extract_string(data, '$.payments.data[*].payment.charge'),
               [data ->> '$.payment_intent', data ->> '$.charge'])) AS ref
    FROM raw.current_state('invoice')
)
WHERE ref IS NOT NULL;

CREATE OR REPLACE TEMP TABLE jr_charge_invoice AS
SELECT charge_id, min(invoice_id) AS invoice_id
FROM (
    SELECT c.id AS charge_id, l.invoice_id FROM staging.charges c JOIN jr_invoice_links l ON l.ref = c.payment_intent
    UNION ALL
    SELECT c.id, l.invoice_id FROM staging.charges c JOIN jr_invoice_links l ON l.ref = c.id
)
GROUP BY charge_id;

-- Refunds a credit note gave back (its lines say exactly what, and the tax).
CREATE OR REPLACE TEMP TABLE jr_credit_note_refunds AS
SELECT refund_id, min(credit_note_id) AS credit_note_id
FROM (
    SELECT id AS credit_note_id,
           CASE json_type(r) WHEN 'OBJECT' THEN r ->> '$.refund' ELSE r ->> '$' END AS refund_id
    FROM (SELECT id, unnest(from_json(refunds, '["JSON"]')) AS r
          FROM staging.credit_notes WHERE refunds IS NOT NULL AND coalesce(status, '') <> 'void')
)
WHERE refund_id IS NOT NULL
GROUP BY refund_id;
