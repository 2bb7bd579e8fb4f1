-- Current state of invoices, and their lines: embedded ones when the invoice carries them all, else the
-- latest `/v1/invoices/{id}/lines` listing. Basil (2025-03-31+) and older shapes are both read.
DELETE FROM staging.invoices WHERE id IN (SELECT parent_id FROM affected_parents WHERE origin = 'lines');
DELETE FROM staging.invoice_lines
WHERE invoice_id IN (SELECT parent_id FROM affected_parents WHERE origin = 'lines');

CREATE OR REPLACE TEMP TABLE current_invoices AS
SELECT c.*, from_json(c.data, '{"number": "VARCHAR", "customer": "VARCHAR", "status": "VARCHAR",
    "currency": "VARCHAR", "collection_method": "VARCHAR", "billing_reason": "VARCHAR", "subscription": "JSON",
    "parent": {"subscription_details": {"subscription": "VARCHAR"}},
    "subtotal": "BIGINT", "subtotal_excluding_tax": "BIGINT", "total_excluding_tax": "BIGINT", "total": "BIGINT",
    "tax": "BIGINT", "total_taxes": "JSON", "total_tax_amounts": "JSON",
    "total_discount_amounts": [{"amount": "BIGINT"}],
    "amount_due": "BIGINT", "amount_paid": "BIGINT", "amount_remaining": "BIGINT", "amount_overpaid": "BIGINT",
    "starting_balance": "BIGINT", "ending_balance": "BIGINT", "post_payment_credit_notes_amount": "BIGINT",
    "pre_payment_credit_notes_amount": "BIGINT", "period_start": "BIGINT", "period_end": "BIGINT",
    "due_date": "BIGINT", "status_transitions": {"finalized_at": "BIGINT", "paid_at": "BIGINT",
        "voided_at": "BIGINT", "marked_uncollectible_at": "BIGINT"},
    "description": "VARCHAR", "metadata": "JSON", "created": "BIGINT",
    "lines": {"has_more": "BOOLEAN", "data": ["JSON"]}}') AS j
FROM raw.current_state('invoice', observations := 'affected_observations') c
WHERE c.object_id IN (SELECT parent_id FROM affected_parents WHERE origin = 'lines');

INSERT INTO staging.invoices
SELECT object_id, j.number, j.customer, j.status, j.currency, j.collection_method, j.billing_reason,
       coalesce(j.parent.subscription_details.subscription,
                CASE json_type(j.subscription) WHEN 'OBJECT' THEN j.subscription ->> '$.id'
                                               WHEN 'VARCHAR' THEN j.subscription ->> '$' END),
       j.subtotal, j.subtotal_excluding_tax, coalesce(list_sum(list_transform(j.total_discount_amounts, lambda d: d.amount)), 0),
       coalesce(
           list_sum(CAST(j.total_taxes ->> '$[*].amount' AS BIGINT[])),
           list_sum(CAST(j.total_tax_amounts ->> '$[*].amount' AS BIGINT[])),
           j.tax, 0),
       j.total_excluding_tax, j.total, j.amount_due, j.amount_paid, j.amount_remaining, j.amount_overpaid,
       j.starting_balance, j.ending_balance, j.post_payment_credit_notes_amount, j.pre_payment_credit_notes_amount,
       to_timestamp(j.period_start), to_timestamp(j.period_end), to_timestamp(j.due_date),
       to_timestamp(j.status_transitions.finalized_at), to_timestamp(j.status_transitions.paid_at),
       to_timestamp(j.status_transitions.voided_at), to_timestamp(j.status_transitions.marked_uncollectible_at),
       j.description, coalesce(j.total_taxes, j.total_tax_amounts), j.metadata, to_timestamp(j.created), deleted,
       deleted_at, partition_date, observed_at, extracted_at
FROM current_invoices;

INSERT INTO staging.invoice_lines
WITH embedded AS (
    SELECT object_id AS invoice_id, partition_date, extracted_at,
           unnest(j.lines.data) AS line, unnest(range(len(j.lines.data))) AS position
    FROM current_invoices
    WHERE NOT coalesce(j.lines.has_more, false)
),
listed AS (
    SELECT parent_id AS invoice_id, partition_date, extracted_at, data AS line, position
    FROM raw.stripe_objects
    WHERE origin = 'lines' AND object_type = 'line_item'
      AND parent_id IN (SELECT object_id FROM current_invoices WHERE coalesce(j.lines.has_more, false))
    QUALIFY dense_rank() OVER (PARTITION BY parent_id ORDER BY extracted_at DESC, partition_date DESC) = 1
),
lines AS (
    SELECT invoice_id, position, partition_date, extracted_at,
           from_json(line, '{"id": "VARCHAR", "amount": "BIGINT", "currency": "VARCHAR", "description": "VARCHAR",
               "quantity": "BIGINT", "price": "JSON",
               "pricing": {"price_details": {"price": "VARCHAR", "product": "VARCHAR"}},
               "discount_amounts": "JSON", "taxes": "JSON", "tax_amounts": "JSON",
               "period": {"start": "BIGINT", "end": "BIGINT"}}') AS l
    FROM (SELECT * FROM embedded UNION ALL SELECT * FROM listed)
)
SELECT DISTINCT ON (invoice_id, l.id)
       invoice_id, l.id, position,
       coalesce(l.pricing.price_details.price,
                CASE json_type(l.price) WHEN 'OBJECT' THEN l.price ->> '$.id' WHEN 'VARCHAR' THEN l.price ->> '$' END),
       coalesce(l.pricing.price_details.product, l.price ->> '$.product'),
       l.quantity, l.amount, l.currency, l.description,
       coalesce(list_sum(CAST(l.discount_amounts ->> '$[*].amount' AS BIGINT[])), 0),
       l.discount_amounts,
       coalesce(list_sum(CAST(coalesce(l.taxes, l.tax_amounts) ->> '$[*].amount' AS BIGINT[])), 0),
       list_sum(CAST(coalesce(l.taxes, l.tax_amounts) ->> '$[*].taxable_amount' AS BIGINT[])),
       coalesce(l.taxes, l.tax_amounts),
       to_timestamp(l.period.start), to_timestamp(l.period."end"), partition_date, extracted_at
FROM lines
ORDER BY invoice_id, l.id, position;
