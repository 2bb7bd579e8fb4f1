-- Current state of credit notes, and their lines (embedded, or the latest `/lines` listing).
DELETE FROM staging.credit_notes WHERE id IN (SELECT parent_id FROM affected_parents WHERE origin = 'lines');
DELETE FROM staging.credit_note_lines
WHERE credit_note_id IN (SELECT parent_id FROM affected_parents WHERE origin = 'lines');

CREATE OR REPLACE TEMP TABLE current_credit_notes AS
SELECT c.*, from_json(c.data, '{"number": "VARCHAR", "invoice": "VARCHAR", "customer": "VARCHAR",
    "status": "VARCHAR", "type": "VARCHAR", "reason": "VARCHAR", "currency": "VARCHAR", "amount": "BIGINT",
    "subtotal": "BIGINT", "subtotal_excluding_tax": "BIGINT", "total": "BIGINT", "total_excluding_tax": "BIGINT",
    "total_taxes": "JSON", "tax_amounts": "JSON", "discount_amount": "BIGINT", "out_of_band_amount": "BIGINT",
    "pre_payment_amount": "BIGINT", "post_payment_amount": "BIGINT", "refunds": "JSON", "refund": "VARCHAR",
    "memo": "VARCHAR", "metadata": "JSON", "effective_at": "BIGINT", "voided_at": "BIGINT", "created": "BIGINT",
    "lines": {"has_more": "BOOLEAN", "data": ["JSON"]}}') AS j
FROM raw.current_state('credit_note', observations := 'affected_observations') c
WHERE c.object_id IN (SELECT parent_id FROM affected_parents WHERE origin = 'lines');

INSERT INTO staging.credit_notes
SELECT object_id, j.number, j.invoice, j.customer, j.status, j.type, j.reason, j.currency, j.amount, j.subtotal,
       j.subtotal_excluding_tax, j.total, j.total_excluding_tax,
       coalesce(list_sum(CAST(coalesce(j.total_taxes, j.tax_amounts) ->> '$[*].amount' AS BIGINT[])), 0),
       j.discount_amount, j.out_of_band_amount, j.pre_payment_amount, j.post_payment_amount,
       coalesce(j.refunds, CASE WHEN j.refund IS NOT NULL THEN to_json([j.refund]) END), j.memo, j.metadata,
       to_timestamp(j.effective_at), to_timestamp(j.voided_at), to_timestamp(j.created), partition_date,
       observed_at, extracted_at
FROM current_credit_notes;

INSERT INTO staging.credit_note_lines
WITH embedded AS (
    SELECT object_id AS credit_note_id, partition_date, extracted_at,
           unnest(j.lines.data) AS line, unnest(range(len(j.lines.data))) AS position
    FROM current_credit_notes
    WHERE NOT coalesce(j.lines.has_more, false)
),
listed AS (
    SELECT parent_id AS credit_note_id, partition_date, extracted_at, data AS line, position
    FROM raw.stripe_objects
    WHERE origin = 'lines' AND object_type = 'credit_note_line_item'
      AND parent_id IN (SELECT object_id FROM current_credit_notes WHERE coalesce(j.lines.has_more, false))
    QUALIFY dense_rank() OVER (PARTITION BY parent_id ORDER BY extracted_at DESC, partition_date DESC) = 1
),
lines AS (
    SELECT credit_note_id, position, partition_date, extracted_at,
           from_json(line, '{"id": "VARCHAR", "type": "VARCHAR", "invoice_line_item": "VARCHAR",
               "quantity": "BIGINT", "unit_amount": "BIGINT", "amount": "BIGINT", "discount_amount": "BIGINT",
               "taxes": "JSON", "tax_amounts": "JSON", "description": "VARCHAR"}') AS l
    FROM (SELECT * FROM embedded UNION ALL SELECT * FROM listed)
)
SELECT DISTINCT ON (credit_note_id, l.id)
       credit_note_id, l.id, position, l.type, l.invoice_line_item, l.quantity, l.unit_amount, l.amount,
       l.discount_amount,
       coalesce(list_sum(CAST(coalesce(l.taxes, l.tax_amounts) ->> '$[*].amount' AS BIGINT[])), 0),
       coalesce(l.taxes, l.tax_amounts), l.description, partition_date, extracted_at
FROM lines
ORDER BY credit_note_id, l.id, position;
