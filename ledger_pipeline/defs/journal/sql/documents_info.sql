-- Per-transaction mode: what each document being built is (type, date, counterparty, what it applies to),
-- and which groups cannot be booked as they are.

-- Documents whose Stripe lines do not add up to the total Stripe states: some are not in the warehouse.
INSERT INTO jr_problems
SELECT d.group_key, NULL, d.doc_id, d.doc_kind, d.doc_id,
       replace(d.doc_kind, '_', ' ') || ' ' || coalesce(d.number, d.doc_id) || ': its lines add up to '
           || coalesce(p.total, 0) || ' but its total is ' || d.total || ' (' || upper(d.currency)
           || ' minor units): not all its lines are in the warehouse',
       '(no mapping: re-run the Stripe extraction of the day the ' || replace(d.doc_kind, '_', ' ') || ' last changed)'
FROM jr_doc_scope d
LEFT JOIN (SELECT doc_kind, doc_id, abs(sum(amount)) AS total FROM jr_doc_parts GROUP BY ALL) p
       ON p.doc_kind = d.doc_kind AND p.doc_id = d.doc_id
WHERE NOT d.reverses AND coalesce(p.total, 0) <> d.total;

-- An opening balance stated as of another day than the first day booked cannot be booked (journal_assemble).
INSERT INTO jr_problems
SELECT d.doc_key, NULL, NULL, 'opening_balance', strftime(s.opening_as_of, '%Y-%m-%d'),
       'the opening balance is stated as of ' || strftime(s.opening_as_of, '%Y-%m-%d') || ' but the books start on '
           || strftime(s.start_day, '%Y-%m-%d') || ' (start_date)',
       'opening_balance.as_of (state the Stripe balance at the start of the first day booked)'
FROM (SELECT entry_key AS doc_key FROM jr_openings WHERE entry_key IN (SELECT entry_key FROM jr_rebuild)) d
CROSS JOIN jr_settings s
WHERE s.opening_as_of IS NOT NULL AND s.opening_as_of <> s.start_day;

-- The documents and the Stripe objects behind them: a transaction's main document, the day's fees (of the
-- transactions whose group is booked), the invoice and credit note documents, the opening balance. A
-- document holding transactions and a Stripe document (a credit note and its refunds) dates on the later.
CREATE OR REPLACE TEMP TABLE jr_doc_parts_of AS
SELECT sc.entry_key AS doc_key, sc.entry_key AS group_key, sc.kind, coalesce(cn.entry_date, sc.local_day) AS entry_date,
       sc.currency, sc.amount AS moved, 1 AS transactions, sc.id, sc.source_id, sc.charge_id, sc.invoice_id,
       sc.credit_note_id, sc.category, sc.description,
       CASE WHEN sc.kind IN ('payout', 'payout_failure') THEN sc.source_id END AS payout_id
FROM jr_scoped sc
LEFT JOIN jr_credit_note_days cn ON cn.id = sc.id
UNION ALL
SELECT p.doc_key, p.doc_key, p.kind, strptime(split_part(p.doc_key, '/', -1), '%Y-%m-%d')::DATE, p.currency,
       sum(p.amount), count(DISTINCT p.balance_transaction_id), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM jr_postings p
WHERE p.kind IN ('daily_stripe_fees', 'daily_platform_fees') AND p.role = 'clearing'
  AND p.entry_key NOT IN (SELECT entry_key FROM jr_problems)
GROUP BY p.doc_key, p.kind, p.currency
UNION ALL
SELECT o.doc_key, o.group_key, o.kind, o.doc_day, o.currency, NULL, 0, NULL, o.doc_id, NULL,
       CASE o.doc_kind WHEN 'invoice' THEN o.doc_id ELSE o.invoice_id END,
       CASE o.doc_kind WHEN 'credit_note' THEN o.doc_id END, NULL, NULL, NULL
FROM jr_doc_scope o
UNION ALL
SELECT o.entry_key, o.entry_key, 'opening_balance', s.start_day, o.currency, NULL, 0, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL
FROM jr_openings o
CROSS JOIN jr_settings s
WHERE o.entry_key IN (SELECT entry_key FROM jr_rebuild);

CREATE OR REPLACE TEMP TABLE jr_doc_info AS
WITH docs AS (
    SELECT doc_key, any_value(group_key) AS group_key, any_value(kind) AS kind, max(entry_date) AS entry_date,
           any_value(currency) AS currency, sum(moved) AS moved, sum(transactions) AS transactions,
           -- the Stripe object it is about: the invoice or credit note, else its transaction's source (its id
           -- when it has none)
           CASE WHEN any_value(kind) LIKE 'invoice%' THEN any_value(invoice_id)
                WHEN any_value(kind) LIKE 'credit_note%' THEN any_value(credit_note_id)
                WHEN count(id) = 1 THEN coalesce(any_value(source_id), any_value(id))
                ELSE any_value(source_id) END AS source_id,
           CASE WHEN count(id) = 1 THEN any_value(source_id) IS NULL END AS sourceless,
           any_value(id) AS first_transaction,
           any_value(charge_id) AS charge_id, any_value(invoice_id) AS invoice_id,
           any_value(credit_note_id) AS credit_note_id, any_value(description) AS description,
           any_value(payout_id) AS payout_id
    FROM jr_doc_parts_of
    GROUP BY doc_key
),
described AS (
    SELECT d.*, k.counterparty AS counterparty_type,
           CASE WHEN d.moved < 0 THEN k.type_out ELSE k.type_in END AS document_type, k.label,
           CASE WHEN d.kind LIKE 'invoice%' THEN 'invoice'
                WHEN d.kind LIKE 'credit_note%' THEN 'credit_note'
                WHEN d.kind = 'opening_balance' THEN 'opening_balance'
                WHEN d.kind IN ('daily_stripe_fees', 'daily_platform_fees') THEN 'balance_transactions_of_the_day'
                WHEN d.sourceless THEN 'balance_transaction'
                -- Stripe's id prefixes, as staging reads an unexpanded source
                ELSE coalesce(MAP {'ch': 'charge', 'py': 'charge', 're': 'refund', 'pyr': 'refund', 'du': 'dispute',
                                   'po': 'payout', 'tr': 'transfer', 'fee': 'application_fee', 'fr': 'fee_refund',
                                   'trr': 'transfer_reversal', 'tu': 'topup'}[split_part(d.source_id, '_', 1)],
                              'balance_transaction') END AS source_type,
           o.number, o.status, o.due_date, coalesce(o.customer, i.customer, ch.customer) AS customer,
           ch.receipt_email, af.account AS fee_account, tr.destination AS transfer_destination,
           CASE WHEN ch.currency <> d.currency AND d.kind IN ('sales_receipt', 'payment') THEN ch.currency
                WHEN rf.currency <> d.currency AND d.kind = 'refund_receipt' THEN rf.currency END AS presentment_currency,
           CASE WHEN ch.currency <> d.currency AND d.kind IN ('sales_receipt', 'payment') THEN ch.amount
                WHEN rf.currency <> d.currency AND d.kind = 'refund_receipt' THEN rf.amount END AS presentment_amount,
           i.number AS invoice_number, ci.invoice_id IS NOT NULL AS charge_paid_invoice
    FROM docs d
    JOIN jr_kinds k ON k.kind = d.kind
    LEFT JOIN jr_objects o ON o.doc_kind = CASE WHEN d.kind LIKE 'invoice%' THEN 'invoice'
                                                WHEN d.kind LIKE 'credit_note%' THEN 'credit_note' END
                          AND o.doc_id = CASE WHEN d.kind LIKE 'invoice%' THEN d.invoice_id ELSE d.credit_note_id END
    LEFT JOIN staging.invoices i ON i.id = coalesce(d.invoice_id, o.invoice_id)
    LEFT JOIN staging.charges ch ON ch.id = d.charge_id
    LEFT JOIN staging.refunds rf ON rf.id = d.source_id AND d.kind = 'refund_receipt'
    LEFT JOIN staging.application_fees af ON af.id = d.source_id AND d.kind = 'application_fee'
    LEFT JOIN staging.transfers tr ON tr.id = d.source_id AND d.kind = 'connect_transfer'
    LEFT JOIN jr_charge_invoice ci ON ci.charge_id = d.charge_id
)
SELECT d.doc_key, d.group_key, d.kind, d.document_type, d.entry_date, d.currency, d.payout_id, d.source_type,
       d.source_id, d.number, d.status, d.due_date, d.presentment_currency, d.presentment_amount, d.transactions,
       CASE d.counterparty_type WHEN 'customer' THEN d.customer WHEN 'stripe' THEN 'stripe' WHEN 'platform' THEN 'platform'
                                WHEN 'connected_account' THEN coalesce(d.fee_account, d.transfer_destination) END
           AS counterparty,
       CASE d.counterparty_type WHEN 'customer' THEN cu.name WHEN 'stripe' THEN 'Stripe'
                                WHEN 'connected_account' THEN coalesce(ac.business_name, ac.display_name) END
           AS counterparty_name,
       CASE d.counterparty_type WHEN 'customer' THEN coalesce(cu.email, d.receipt_email)
                                WHEN 'connected_account' THEN ac.email END AS counterparty_email,
       nullif(d.counterparty_type, 'none') AS counterparty_type,
       -- the document this one pays, reverses, refunds or takes the fees of
       CASE WHEN d.kind = 'payment' OR (d.kind = 'credit_note' AND d.invoice_id IS NOT NULL)
                THEN concat_ws('/', s.tenant, s.mode, 'invoice', d.invoice_id)
            WHEN d.kind = 'invoice_void' THEN concat_ws('/', s.tenant, s.mode, 'invoice', d.source_id)
            WHEN d.kind = 'credit_note_void' THEN concat_ws('/', s.tenant, s.mode, 'credit_note', d.source_id)
            WHEN d.kind = 'payout_failure' THEN concat_ws('/', s.tenant, s.mode, 'payout', d.payout_id)
            WHEN d.charge_id IS NOT NULL AND d.kind NOT IN ('sales_receipt', 'payment')
                THEN concat_ws('/', s.tenant, s.mode, CASE WHEN d.charge_paid_invoice THEN 'payment' ELSE 'sales_receipt' END,
                               d.charge_id) END AS applies_to,
       coalesce(d.number, d.source_id,
                upper(d.currency) || ' ' || strftime(d.entry_date, '%Y-%m-%d')) AS reference,
       concat_ws(' ', CASE WHEN d.kind = 'stripe_fee' THEN coalesce(d.description, d.label) ELSE d.label END,
                 CASE WHEN d.kind = 'stripe_fee' AND d.description IS NOT NULL THEN NULL
                      WHEN d.kind = 'payment' THEN coalesce(d.invoice_number, d.invoice_id) || ' by ' || d.source_id
                      WHEN d.kind IN ('daily_stripe_fees', 'daily_platform_fees')
                          THEN strftime(d.entry_date, '%Y-%m-%d') || ' (' || upper(d.currency) || ')'
                      ELSE coalesce(d.number, d.source_id) END)
           || coalesce(' – ' || CASE WHEN d.counterparty_type IN ('customer', 'connected_account')
                                     THEN coalesce(cu.name, ac.business_name, ac.display_name, d.customer,
                                                   d.fee_account, d.transfer_destination) END, '')
           || coalesce(' (presented as ' || upper(d.presentment_currency) || ' '
                       || major_units(d.presentment_amount, coalesce(px.exponent, 2)) || ')', '')
           AS memo
FROM described d
CROSS JOIN jr_settings s
LEFT JOIN jr_exponents px ON px.currency = d.presentment_currency
LEFT JOIN staging.customers cu ON cu.id = d.customer AND d.counterparty_type = 'customer'
LEFT JOIN staging.accounts ac ON ac.id = coalesce(d.fee_account, d.transfer_destination)
                             AND d.counterparty_type = 'connected_account';

-- Each group (a transaction's documents, an invoice with its void, ...) is held back whole.
CREATE OR REPLACE TEMP TABLE jr_group_info AS
SELECT group_key, coalesce(any_value(kind) FILTER (WHERE doc_key = group_key), any_value(kind)) AS kind,
       max(entry_date) AS entry_date, any_value(currency) AS currency, any_value(payout_id) AS payout_id
FROM jr_doc_info
GROUP BY group_key;

CREATE OR REPLACE TEMP TABLE jr_quarantine AS
WITH held AS (
    SELECT entry_key, list(DISTINCT id ORDER BY id) AS transactions,
           coalesce(list(DISTINCT source_id ORDER BY source_id) FILTER (WHERE source_id IS NOT NULL), []) AS sources
    FROM jr_scope
    WHERE entry_key IN (SELECT entry_key FROM jr_problems)
    GROUP BY entry_key
)
SELECT p.entry_key, s.tenant, s.mode, g.kind, g.entry_date, g.entry_date AS anchor_date, g.currency, g.payout_id,
       p.value_kind, p.value, min(p.reason) AS reason, s.mapping_file, p.mapping_key,
       coalesce(list(DISTINCT p.balance_transaction_id ORDER BY p.balance_transaction_id)
                FILTER (WHERE p.balance_transaction_id IS NOT NULL), h.transactions, []) AS balance_transaction_ids,
       coalesce(h.transactions, []) AS entry_balance_transaction_ids,
       coalesce(list(DISTINCT p.source_id ORDER BY p.source_id) FILTER (WHERE p.source_id IS NOT NULL), h.sources, [])
           AS source_ids,
       s.version, s.built_at
FROM jr_problems p
JOIN jr_group_info g ON g.group_key = p.entry_key
LEFT JOIN held h ON h.entry_key = p.entry_key
CROSS JOIN jr_settings s
GROUP BY p.entry_key, s.tenant, s.mode, g.kind, g.entry_date, g.currency, g.payout_id, p.value_kind, p.value,
         s.mapping_file, p.mapping_key, h.transactions, h.sources, s.version, s.built_at;
