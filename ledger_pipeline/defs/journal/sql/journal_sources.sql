-- What each transaction being booked came from: its Stripe object, the charge behind it, the invoice that
-- charge paid and the credit note a refund belongs to (journal_links), the currency it was presented in,
-- its tracking value.

-- Rates from the mapping file, for currencies Stripe gives no usable rate for: the month's, else the default.
CREATE OR REPLACE TEMP TABLE jr_mapped_rates AS
SELECT p.currency, p.month, r.rate
FROM (SELECT DISTINCT currency, date_trunc('month', local_day)::DATE AS month FROM jr_scope
      UNION SELECT o.currency, date_trunc('month', s.start_day)::DATE FROM jr_openings o CROSS JOIN jr_settings s) p
JOIN mapping.exchange_rates r ON r.version = (SELECT version FROM jr_settings) AND r.currency = p.currency
                             AND (r.period = p.month OR r.period IS NULL)
QUALIFY row_number() OVER (PARTITION BY p.currency, p.month ORDER BY r.period NULLS LAST) = 1;

-- How an opening balance converts into the books currency (the mapping's rate when they differ).
CREATE OR REPLACE TEMP TABLE jr_opening_conversion AS
SELECT o.currency,
       CASE WHEN o.currency = s.books_currency THEN 1
            WHEN mr.rate IS NOT NULL THEN rate_units(mr.rate) * minor_per_major(coalesce(bx.exponent, 2)) END::HUGEINT
           AS conv_num,
       CASE WHEN o.currency = s.books_currency THEN 1
            WHEN mr.rate IS NOT NULL THEN 1000000000000000000::HUGEINT * minor_per_major(coalesce(ex.exponent, 2))
       END::HUGEINT AS conv_den
FROM jr_openings o
CROSS JOIN jr_settings s
LEFT JOIN jr_mapped_rates mr ON mr.currency = o.currency AND mr.month = date_trunc('month', s.start_day)
LEFT JOIN jr_exponents ex ON ex.currency = o.currency
LEFT JOIN jr_exponents bx ON bx.currency = s.books_currency;

-- Each transaction being booked, once, with all its postings will need: what it came from, the
-- fraction that converts it into the books currency (books = amount x conv_num / conv_den, rounded half
-- up; NULL when no rate applies), and `bt_class`, what of it decides its lines (see journal_postings).
-- The currency a payment was presented in only matters when it settled outside the books currency, and the
-- tracking value only when the mapping tracks one: both come from small side tables.
CREATE OR REPLACE TEMP TABLE jr_presented AS
SELECT b.id, coalesce(ch.currency, rf.currency, du.currency, tr.currency, af.currency) AS currency
FROM jr_scope sc
JOIN jr_bt b ON b.id = sc.id
LEFT JOIN staging.charges ch ON ch.id = b.source_id
LEFT JOIN staging.refunds rf ON rf.id = b.source_id
LEFT JOIN staging.disputes du ON du.id = b.source_id
LEFT JOIN staging.transfers tr ON tr.id = b.source_id
LEFT JOIN staging.application_fees af ON af.id = b.source_id
WHERE b.currency <> (SELECT books_currency FROM jr_settings) AND b.exchange_rate IS NOT NULL;

CREATE OR REPLACE TEMP TABLE jr_scoped AS
WITH found AS (
    SELECT sc.entry_key, sc.kind, sc.payout_id, b.id, b.type, b.category, b.amount, b.fee, b.net, b.currency,
           b.exchange_rate, b.source_id, b.description, b.local_day,
           coalesce(rf.charge, du.charge, CASE WHEN b.category IN ('charge', 'partial_capture_reversal', 'charge_failure')
                                               THEN b.source_id END) AS charge_id,
           pr.currency AS presentment_currency, tk.value AS tracking_value,
           CASE WHEN b.category IN ('charge', 'refund', 'refund_failure', 'dispute', 'dispute_reversal')
                THEN ci.invoice_id END AS invoice_id,
           CASE WHEN b.category = 'refund' THEN cn.credit_note_id END AS credit_note_id,
           r.role AS rule_role,
           s.books_currency, coalesce(bx.exponent, 2) AS books_exponent, coalesce(ex.exponent, 2) AS exponent,
           mr.rate AS mapped_rate
    FROM jr_scope sc
    JOIN jr_bt b ON b.id = sc.id
    CROSS JOIN jr_settings s
    LEFT JOIN staging.refunds rf ON rf.id = b.source_id
    LEFT JOIN staging.disputes du ON du.id = b.source_id
    LEFT JOIN jr_presented pr ON pr.id = b.id
    LEFT JOIN jr_tracking tk ON tk.id = b.id
    LEFT JOIN jr_charge_invoice ci ON ci.charge_id = coalesce(rf.charge, du.charge, b.source_id)
    LEFT JOIN jr_credit_note_refunds cn ON cn.refund_id = b.source_id
    LEFT JOIN jr_rules r ON r.category = b.category
    LEFT JOIN jr_exponents ex ON ex.currency = b.currency
    LEFT JOIN jr_exponents bx ON bx.currency = s.books_currency
    LEFT JOIN jr_mapped_rates mr ON mr.currency = b.currency AND mr.month = date_trunc('month', b.local_day)
    WHERE sc.kind <> 'opening_balance'
)
SELECT * EXCLUDE (books_currency, books_exponent, exponent, mapped_rate),
       -- Stripe's rate converts the presented currency into the settlement one: it converts back into the
       -- books only when they are kept in the presented currency; else the mapping's rate, else none
       CASE WHEN currency = books_currency THEN 1
            WHEN exchange_rate IS NOT NULL AND presentment_currency = books_currency
                THEN minor_per_major(books_exponent) * 1000000000000000000::HUGEINT
            WHEN mapped_rate IS NOT NULL THEN rate_units(mapped_rate) * minor_per_major(books_exponent)
       END::HUGEINT AS conv_num,
       CASE WHEN currency = books_currency THEN 1
            WHEN exchange_rate IS NOT NULL AND presentment_currency = books_currency
                THEN rate_units(exchange_rate) * minor_per_major(exponent)
            WHEN mapped_rate IS NOT NULL THEN 1000000000000000000::HUGEINT * minor_per_major(exponent)
       END::HUGEINT AS conv_den,
       hash(kind, category, currency, tracking_value,
            CASE WHEN kind IN ('payout', 'payout_failure') THEN source_id END) AS bt_class
FROM found;

-- What a class of transactions shares: the postings' lines are decided by it and by their own part.
CREATE OR REPLACE TEMP TABLE jr_bt_classes AS
SELECT DISTINCT bt_class, kind, category, currency, tracking_value,
       CASE WHEN kind IN ('payout', 'payout_failure') THEN source_id END AS bank_source
FROM jr_scoped
UNION ALL
SELECT hash('opening_balance', currency), 'opening_balance', NULL, currency, NULL, NULL
FROM jr_openings;
