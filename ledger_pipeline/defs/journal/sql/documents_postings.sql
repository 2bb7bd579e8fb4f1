-- Per-transaction postings: like journal_postings, signed amounts (debit positive) by what they are, before
-- any account is looked up, but each on the document it belongs to (`doc_key`, of kind `kind`), and in the
-- group that is built and held together (`entry_key`, its transaction's main document). Per transaction:
--   main document    Stripe Clearing takes its gross, as its `net` part and its `fee` part; what it was for
--                    (sales, the invoice's receivable, refunds, a dispute, the bank, ...) takes the gross back
--   the day's fees   each fee line on its fee account, and Stripe Clearing gives it back (`fee` part), in one
--                    expense per currency and day for Stripe's fees and one for the platform's application
--                    fees (tenant/per_transaction/daily_stripe_fees/<currency>/<day>)
-- so `net` appears once on Stripe Clearing, gross and fee parts add up to Stripe's, and Stripe Clearing moves
-- by the net. Fees go per day, not per transaction: half the documents to post (QuickBooks allows 500
-- requests a minute, Xero 5,000 a day), and each line still traces to its transactions. A day's fees hold
-- only transactions whose group is booked, and are rebuilt with the day (documents_rebuild).
-- Invoices and credit notes post what they say as part `document` (no money moved).
CREATE OR REPLACE TEMP TABLE jr_postings AS
WITH fee_lines AS (
    -- a fee Stripe gave no lines for counts as its own fee (the extraction holds fee lines to add up to it);
    -- it dates with its transaction's document (a credit note's refunds with the credit note)
    SELECT sc.entry_key, sc.id, sc.bt_class, sc.conv_num, sc.conv_den, sc.category, sc.currency,
           coalesce(cn.entry_date, sc.local_day) AS entry_date, coalesce(f.type, 'stripe_fee') AS fee_type,
           coalesce(f.amount, sc.fee) AS amount
    FROM jr_scoped sc
    LEFT JOIN jr_credit_note_days cn ON cn.id = sc.id
    LEFT JOIN staging.balance_transaction_fees f ON f.balance_transaction_id = sc.id
    WHERE sc.fee <> 0 AND coalesce(f.amount, sc.fee) <> 0
),
postings AS (
    -- the net and the fee part of the money that moved on Stripe Clearing, on the main document
    SELECT sc.entry_key, sc.entry_key AS doc_key, sc.kind, sc.currency, sc.id, sc.bt_class, sc.conv_num, sc.conv_den,
           part.component, 'clearing' AS role, sc.currency AS role_key, part.amount, NULL::VARCHAR AS product_id,
           NULL::VARCHAR AS price_id, NULL::VARCHAR AS line_tax_rate_id, NULL::VARCHAR AS tax_rate_id,
           NULL::VARCHAR AS problem, NULL::VARCHAR AS line_id, NULL::INTEGER AS position, NULL::BIGINT AS quantity,
           NULL::BIGINT AS books_override
    FROM jr_scoped sc
    CROSS JOIN LATERAL (VALUES ('net', sc.net), ('fee', sc.fee)) part(component, amount)
    WHERE part.component = 'net' OR part.amount <> 0
    UNION ALL
    -- the day's fees: each fee line by its type (a dispute's fee goes to dispute fees), paid out of Stripe
    -- Clearing; the platform's application fee has a document of its own (another vendor)
    SELECT fl.entry_key, concat_ws('/', s.tenant, s.mode, d.kind, fl.currency, strftime(fl.entry_date, '%Y-%m-%d')),
           d.kind, fl.currency, fl.id, fl.bt_class, fl.conv_num, fl.conv_den, 'fee', side.role, side.role_key,
           side.sign * fl.amount, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM fee_lines fl
    CROSS JOIN jr_settings s
    CROSS JOIN LATERAL (SELECT CASE fl.fee_type WHEN 'application_fee' THEN 'daily_platform_fees'
                                                ELSE 'daily_stripe_fees' END AS kind,
                               fl.category IN ('dispute', 'dispute_reversal') AND fl.fee_type = 'stripe_fee' AS dispute) d
    CROSS JOIN LATERAL (VALUES (CASE WHEN d.dispute THEN 'dispute_fees' ELSE 'fee' END,
                                CASE WHEN d.dispute THEN '' ELSE fl.fee_type END, 1),
                               ('clearing', fl.currency, -1)) side(role, role_key, sign)
    UNION ALL
    -- a payment of an invoice settles its receivable; what the invoice no longer owed is the customer's
    -- credit (QuickBooks: an unapplied payment, Xero: an overpayment)
    SELECT sc.entry_key, sc.entry_key, sc.kind, sc.currency, sc.id, sc.bt_class, sc.conv_num, sc.conv_den, 'gross',
           'receivables', side.key, side.amount, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, side.books
    FROM jr_scoped sc
    JOIN jr_payment_split ps ON ps.id = sc.id
    CROSS JOIN LATERAL (VALUES ('applied', -ps.applied, -ps.applied_books),
                               ('unapplied', -(sc.amount - ps.applied), NULL)) side(key, amount, books)
    WHERE sc.kind = 'payment' AND side.amount <> 0
    UNION ALL
    -- a refund given back over the lines of its credit note or of the invoice it refunds
    SELECT sc.entry_key, sc.entry_key, sc.kind, sc.currency, sc.id, sc.bt_class, sc.conv_num, sc.conv_den, 'gross',
           sh.role, CASE sh.role WHEN 'tax' THEN sh.tax_rate_id ELSE '' END, sh.share, sh.product_id, sh.price_id,
           sh.line_tax_rate_id, sh.tax_rate_id, NULL, sh.line_id, sh.position, NULL, NULL
    FROM jr_scoped sc
    JOIN jr_refund_shares sh ON sh.id = sc.id
    WHERE sh.share <> 0
    UNION ALL
    -- every other gross: by the reporting category's rule, as in payout summaries
    SELECT sc.entry_key, sc.entry_key, sc.kind, sc.currency, sc.id, sc.bt_class, sc.conv_num, sc.conv_den, 'gross',
           CASE WHEN sc.kind IN ('payout', 'payout_failure') THEN 'bank'
                WHEN sc.category = 'fee' AND sc.type = 'stripe_fx_fee' THEN 'currency_conversion_fees'
                WHEN sc.rule_role = 'fee_tax' THEN 'fee'
                WHEN sc.rule_role IS NULL THEN 'category'
                ELSE sc.rule_role END,
           CASE WHEN sc.kind IN ('payout', 'payout_failure') THEN sc.currency
                WHEN sc.category = 'fee' AND sc.type = 'tax_fee' THEN 'tax'
                WHEN sc.category = 'fee' AND sc.type = 'stripe_fx_fee' THEN ''
                WHEN sc.category = 'fee' THEN coalesce(lower(regexp_extract(sc.description, '^\s*([A-Za-z]+)', 1)), 'other')
                WHEN sc.rule_role = 'fee_tax' THEN 'tax'
                WHEN sc.rule_role IS NULL THEN sc.category
                ELSE '' END,
           -sc.amount, NULL, NULL, NULL, NULL, NULL, NULL, NULL, CASE WHEN sc.kind = 'sales_receipt' THEN 1 END, NULL
    FROM jr_scoped sc
    LEFT JOIN jr_payment_split ps ON ps.id = sc.id
    LEFT JOIN (SELECT DISTINCT id FROM jr_refund_shares) rs ON rs.id = sc.id
    WHERE sc.amount <> 0 AND ps.id IS NULL AND rs.id IS NULL
    UNION ALL
    -- invoices and credit notes as issued (a void reverses them); a credit note's refunds took their share
    -- above, and what they did not refund is credited to the customer's account
    SELECT d.group_key, d.doc_key, d.kind, d.currency, NULL, d.bt_class, d.conv_num, d.conv_den, 'document', p.role,
           CASE p.role WHEN 'tax' THEN p.tax_rate_id WHEN 'revenue' THEN coalesce(p.product_id, '') ELSE '' END,
           (CASE WHEN d.reverses THEN -1 ELSE 1 END) * (p.amount - coalesce(r.refunded, 0)), p.product_id, p.price_id,
           p.line_tax_rate_id, p.tax_rate_id, NULL, p.line_id, p.position, p.quantity, NULL
    FROM jr_doc_classes d
    JOIN jr_doc_parts p ON p.doc_kind = d.doc_kind AND p.doc_id = d.doc_id
    LEFT JOIN jr_credit_note_refunded r ON d.doc_kind = 'credit_note' AND NOT d.reverses AND r.credit_note_id = d.doc_id
                                       AND r.role = p.role AND r.line_id IS NOT DISTINCT FROM p.line_id
                                       AND r.tax_rate_id IS NOT DISTINCT FROM p.tax_rate_id
    WHERE d.doc_kind = 'invoice' OR p.amount <> coalesce(r.refunded, 0)
    UNION ALL
    -- (an invoice always shows its receivable, $0 included; a credit note only what it did not refund)
    SELECT d.group_key, d.doc_key, d.kind, d.currency, NULL, d.bt_class, d.conv_num, d.conv_den, 'document',
           'receivables', d.doc_kind, (CASE WHEN d.reverses THEN 1 ELSE -1 END)
               * (coalesce(t.total, 0) - CASE WHEN d.reverses THEN 0 ELSE coalesce(r.refunded, 0) END),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM jr_doc_classes d
    LEFT JOIN (SELECT doc_kind, doc_id, sum(amount) AS total FROM jr_doc_parts GROUP BY ALL) t
           ON t.doc_kind = d.doc_kind AND t.doc_id = d.doc_id
    LEFT JOIN (SELECT credit_note_id, sum(refunded) AS refunded FROM jr_credit_note_refunded GROUP BY ALL) r
           ON d.doc_kind = 'credit_note' AND r.credit_note_id = d.doc_id
    WHERE d.doc_kind = 'invoice' OR coalesce(t.total, 0) <> CASE WHEN d.reverses THEN 0 ELSE coalesce(r.refunded, 0) END
    UNION ALL
    -- what the invoice's rate and Stripe's make of a payment differs by the exchange gain or loss (books only)
    SELECT sc.entry_key, sc.entry_key, sc.kind, sc.currency, sc.id, sc.bt_class, sc.conv_num, sc.conv_den, 'gross',
           'exchange_gain_loss', '', 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, fx.books - fx.receivable
    FROM jr_scoped sc
    JOIN jr_payment_split ps ON ps.id = sc.id
    CROSS JOIN LATERAL (
        SELECT convert_minor(-sc.amount, sc.conv_num, sc.conv_den) AS books,
               -ps.applied_books + convert_minor(-(sc.amount - ps.applied), sc.conv_num, sc.conv_den) AS receivable) fx
    WHERE sc.kind = 'payment' AND fx.books IS DISTINCT FROM fx.receivable
    UNION ALL
    -- opening balances, as in journal_postings: Stripe Clearing against Opening Balance Equity, traced to the
    -- transactions they hold, plus what a stated figure has that they do not explain (yet)
    SELECT o.entry_key, o.entry_key, 'opening_balance', o.currency, h.id, hash('opening_balance', o.currency),
           c.conv_num, c.conv_den, CASE side.role WHEN 'clearing' THEN 'net' ELSE 'opening' END, side.role,
           CASE side.role WHEN 'clearing' THEN o.currency ELSE '' END, side.sign * coalesce(h.net, o.amount - o.traced),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM jr_openings o
    JOIN jr_opening_conversion c ON c.currency = o.currency
    CROSS JOIN (VALUES ('clearing', 1), ('opening_balance_equity', -1)) side(role, sign)
    LEFT JOIN jr_homes h ON h.kind = 'opening_balance' AND h.currency = o.currency
    WHERE o.entry_key IN (SELECT entry_key FROM jr_rebuild)
    UNION ALL
    SELECT o.entry_key, o.entry_key, 'opening_balance', o.currency, NULL, hash('opening_balance', o.currency),
           c.conv_num, c.conv_den, CASE side.role WHEN 'clearing' THEN 'net' ELSE 'opening' END, side.role,
           CASE side.role WHEN 'clearing' THEN o.currency ELSE '' END, side.sign * (o.amount - o.traced),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM jr_openings o
    JOIN jr_opening_conversion c ON c.currency = o.currency
    CROSS JOIN (VALUES ('clearing', 1), ('opening_balance_equity', -1)) side(role, sign)
    WHERE o.entry_key IN (SELECT entry_key FROM jr_rebuild) AND o.amount <> o.traced AND o.transactions > 0
)
SELECT entry_key, doc_key, kind, currency, id AS balance_transaction_id, component, amount,
       -- into the books currency once, rounded half up (a rounding line evens out each document)
       CASE WHEN role = 'exchange_gain_loss' OR (role = 'receivables' AND role_key = 'applied') THEN books_override
            ELSE convert_minor(amount, conv_num, conv_den) END AS books_amount, bt_class, role, role_key,
       product_id, price_id, line_tax_rate_id, tax_rate_id, problem, line_id, position, quantity,
       hash(bt_class, component = 'gross', role, role_key, product_id, price_id, line_tax_rate_id, tax_rate_id,
            problem) AS placement
FROM postings;
