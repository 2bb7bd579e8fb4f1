-- Accounts for every placement (see journal_postings), from the tenant's mapping version; the line's
-- description; and, for any placement the mapping cannot place, what is missing and where to add it.
CREATE OR REPLACE TEMP TABLE jr_accounts AS
SELECT role, key, ref, name, path FROM mapping.accounts WHERE version = (SELECT version FROM jr_settings);

CREATE OR REPLACE TEMP TABLE jr_placements AS
SELECT p.placement, c.kind, p.role, p.role_key,
       CASE WHEN p.gross AND p.role NOT IN ('bank', 'rounding') THEN c.category END AS category_key,
       p.product_id, p.price_id, p.line_tax_rate_id, p.tax_rate_id, c.tracking_value, c.bank_source, p.problem,
       c.currency
FROM (SELECT DISTINCT placement, bt_class, component = 'gross' AS gross, role, role_key, product_id, price_id,
             line_tax_rate_id, tax_rate_id, problem
      FROM jr_postings) p
JOIN jr_bt_classes c ON c.bt_class = p.bt_class;

-- The rule for each product (and price) sold: a price id beats a lookup key beats a product id beats a
-- product name beats "*". (Refunded products are looked up too: documents show their item.) Names people
-- type are compared in Unicode NFC: "Käse" typed composed in the file matches Stripe's decomposed one.
CREATE OR REPLACE TEMP TABLE jr_product_rules AS
WITH wanted AS (
    SELECT DISTINCT product_id, price_id FROM jr_placements
    WHERE role IN ('revenue', 'discounts', 'refunds') AND (product_id IS NOT NULL OR price_id IS NOT NULL)
)
SELECT w.product_id, w.price_id, sp.name AS product_name, r.account_ref, r.account_name, r.item_ref, r.item_name
FROM wanted w
LEFT JOIN staging.products sp ON sp.id = w.product_id
LEFT JOIN staging.prices pr ON pr.id = w.price_id
LEFT JOIN mapping.products r ON r.version = (SELECT version FROM jr_settings) AND (
       r.match_value = '*'
    OR (r.match_on = 'price' AND r.match_value = w.price_id)
    OR (r.match_on = 'lookup_key' AND r.match_value = pr.lookup_key)
    OR (r.match_on = 'product' AND r.match_value = w.product_id)
    OR (r.match_on = 'name' AND nfc_normalize(r.match_value) = nfc_normalize(sp.name)))
QUALIFY row_number() OVER (PARTITION BY w.product_id, w.price_id ORDER BY r.rank NULLS LAST, r.path) = 1;

-- The rule for each tax rate charged: id, then jurisdiction, display name, country, "*".
CREATE OR REPLACE TEMP TABLE jr_tax_rules AS
WITH wanted AS (
    SELECT tax_rate_id AS id FROM jr_placements WHERE tax_rate_id IS NOT NULL
    UNION
    SELECT line_tax_rate_id FROM jr_placements WHERE line_tax_rate_id IS NOT NULL
)
SELECT w.id AS tax_rate_id, t.display_name, t.jurisdiction, t.country, r.account_ref, r.account_name,
       r.tax_code_ref, r.tax_code_name, r.rank IS NOT NULL AS matched
FROM wanted w
LEFT JOIN staging.tax_rates t ON t.id = w.id
LEFT JOIN mapping.tax_rates r ON r.version = (SELECT version FROM jr_settings) AND (
       r.match_value = '*'
    OR (r.match_on = 'tax_rate' AND r.match_value = w.id)
    OR (r.match_on = 'jurisdiction' AND nfc_normalize(r.match_value) = nfc_normalize(t.jurisdiction))
    OR (r.match_on = 'display_name' AND nfc_normalize(r.match_value) = nfc_normalize(t.display_name))
    OR (r.match_on = 'country' AND r.match_value = t.country))
QUALIFY row_number() OVER (PARTITION BY w.id ORDER BY r.rank NULLS LAST, r.path) = 1;

CREATE OR REPLACE TEMP TABLE jr_placed AS
WITH looked_up AS (
    SELECT p.*,
           s.tracking_key IS NOT NULL AND p.role NOT IN ('clearing', 'bank', 'rounding', 'opening_balance_equity')
               AS tracked,
           p.role IN ('revenue', 'discounts') AND (p.product_id IS NOT NULL OR p.price_id IS NOT NULL) AS by_product,
           cat.ref AS cat_ref, cat.name AS cat_name, acc.ref AS acc_ref, acc.name AS acc_name,
           fb.ref AS fb_ref, fb.name AS fb_name,
           pr.account_ref AS product_ref, pr.account_name AS product_account, pr.item_ref, pr.item_name,
           pr.product_name,
           tr.account_ref AS tax_ref, tr.account_name AS tax_account, tr.matched AS tax_matched,
           tr.display_name AS tax_display_name, tr.jurisdiction AS tax_jurisdiction,
           coalesce(tr.tax_code_ref, ltr.tax_code_ref,
                    CASE WHEN p.role IN ('revenue', 'discounts') THEN v.untaxed_tax_code_ref END) AS tax_code_ref,
           coalesce(tr.tax_code_name, ltr.tax_code_name,
                    CASE WHEN p.role IN ('revenue', 'discounts') THEN v.untaxed_tax_code_name END) AS tax_code_name,
           trk.ref AS tracking_ref, trk.name AS tracking_name,
           lb.label AS fee_label, ru.label AS rule_label, ru.category IS NOT NULL AS known_category
    FROM jr_placements p
    CROSS JOIN jr_settings s
    JOIN mapping.versions v ON v.version = s.version
    -- `categories.<category>` wins for a whole-transaction gross (not for what an invoice split out, nor for
    -- the receivable a documents-mode payment settles)
    LEFT JOIN jr_accounts cat ON cat.role = 'category' AND cat.key = p.category_key
                             AND p.role NOT IN ('tax', 'rounding', 'receivables', 'exchange_gain_loss')
                             AND p.product_id IS NULL
                             AND p.kind <> 'opening_balance'
    LEFT JOIN jr_accounts acc ON acc.role = p.role
                             AND acc.key = CASE WHEN p.role IN ('clearing', 'bank', 'fee', 'stripe_fee', 'category')
                                                THEN p.role_key ELSE '' END
    LEFT JOIN jr_accounts fb ON (p.role = 'dispute_fees' AND fb.role = 'fee' AND fb.key = 'stripe_fee')
                            OR (p.role = 'stripe_fee' AND fb.role = 'stripe_fee' AND fb.key = 'other')
                            OR (p.role = 'tax' AND fb.role = 'tax_payable' AND fb.key = '')
    LEFT JOIN jr_product_rules pr ON p.role IN ('revenue', 'discounts') AND pr.product_id IS NOT DISTINCT FROM p.product_id
                                 AND pr.price_id IS NOT DISTINCT FROM p.price_id
    LEFT JOIN jr_tax_rules tr ON tr.tax_rate_id = p.tax_rate_id
    LEFT JOIN jr_tax_rules ltr ON ltr.tax_rate_id = p.line_tax_rate_id
    LEFT JOIN mapping.tracking trk ON trk.version = s.version
                                  AND p.role NOT IN ('clearing', 'bank', 'rounding', 'opening_balance_equity')
                                  AND trk.value IS NOT DISTINCT FROM p.tracking_value
    LEFT JOIN jr_labels lb ON lb.role = p.role AND lb.key = p.role_key
    LEFT JOIN jr_rules ru ON ru.category = p.category_key
)
SELECT *,
       CASE WHEN by_product AND role = 'revenue' THEN product_ref
            WHEN role = 'tax' THEN coalesce(tax_ref, fb_ref)
            ELSE coalesce(cat_ref, acc_ref, fb_ref) END AS account_ref,
       CASE WHEN by_product AND role = 'revenue' THEN product_account
            WHEN role = 'tax' THEN coalesce(tax_account, fb_name)
            ELSE coalesce(cat_name, acc_name, fb_name) END AS account_name,
       CASE role
           WHEN 'clearing' THEN CASE kind WHEN 'summary' THEN 'Net of the transactions paid out'
                                          WHEN 'payout' THEN 'Paid out of the Stripe balance'
                                          WHEN 'payout_failure' THEN 'Returned to the Stripe balance'
                                          WHEN 'balance_activity' THEN 'Net change in the Stripe balance'
                                          ELSE 'Opening Stripe balance' END
           WHEN 'bank' THEN CASE kind WHEN 'payout' THEN 'Payout ' || coalesce(bank_source, '') || ' to the bank'
                                      ELSE 'Payout ' || coalesce(bank_source, '') || ' returned by the bank' END
           WHEN 'rounding' THEN 'Rounding'
           WHEN 'opening_balance_equity' THEN 'Opening balance equity'
           WHEN 'revenue' THEN CASE WHEN by_product THEN 'Sales – ' || coalesce(product_name, product_id, price_id)
                                    ELSE coalesce(rule_label, 'Sales') END
           WHEN 'discounts' THEN 'Discounts – ' || coalesce(product_name, product_id, price_id, 'invoices')
           WHEN 'tax' THEN (CASE WHEN category_key = 'refund' THEN 'Sales tax refunded – ' ELSE 'Sales tax – ' END)
                           || coalesce(nullif(concat_ws(' ', tax_display_name, '(' || tax_jurisdiction || ')'), ''),
                                       tax_rate_id)
           WHEN 'refunds' THEN coalesce(rule_label, 'Refunds')
           WHEN 'fee' THEN coalesce(fee_label, 'Stripe fees (' || role_key || ')')
           WHEN 'dispute_fees' THEN 'Dispute fees'
           WHEN 'stripe_fee' THEN coalesce(fee_label, 'Stripe fees (' || role_key || ')')
           WHEN 'currency_conversion_fees' THEN 'Currency conversion fees'
           ELSE coalesce(rule_label, 'Stripe ' || category_key)
       END AS description
FROM looked_up;

-- What stops an entry: every value the mapping does not place (per placement), with the key to add (names
-- quoted as JSON strings, which YAML reads back: a name with quotes or a colon pastes as a valid rule) ...
CREATE OR REPLACE TEMP TABLE jr_placement_problems AS
SELECT r.placement, t.value_kind, t.value, t.reason, t.mapping_key
FROM jr_placed r
CROSS JOIN jr_settings s
CROSS JOIN LATERAL (
    SELECT * FROM (VALUES
        (r.problem = 'invoice_lines', 'invoice', NULL,
         'a payment of an invoice whose lines are not in the warehouse cannot be split into sales and tax',
         '(no mapping: re-run the Stripe extraction of the day the invoice was last changed)'),
        (r.account_ref IS NULL AND r.role = 'revenue' AND r.by_product, 'product',
         coalesce(r.product_id, r.price_id) || coalesce(' ' || to_json(r.product_name), ''),
         'product ' || coalesce(r.product_id, r.price_id) || coalesce(' ' || to_json(r.product_name), '')
             || ' has no revenue account',
         'products: add `- product: ' || coalesce(r.product_id, '?') || '`'
             || coalesce(' (or `- name: ' || to_json(r.product_name) || '`)', '') || ' with its account'),
        (r.account_ref IS NULL AND r.role = 'tax' AND NOT coalesce(r.tax_matched, false), 'tax_rate',
         r.tax_rate_id || coalesce(' (' || r.tax_jurisdiction || ')', ''),
         'tax rate ' || r.tax_rate_id || coalesce(' "' || r.tax_display_name || '"', '')
             || coalesce(' (' || r.tax_jurisdiction || ')', '') || ' has no tax payable account',
         'tax_rates: add `- tax_rate: ' || r.tax_rate_id || '`'
             || coalesce(' (or `- jurisdiction: ' || to_json(r.tax_jurisdiction) || '`)', '')
             || ' with its account and tax code'),
        (r.account_ref IS NULL AND r.role = 'tax' AND coalesce(r.tax_matched, false), 'account', 'tax_payable',
         'tax rate ' || r.tax_rate_id || ' is mapped without an account and there is no default',
         'accounts.tax_payable (or `account:` on the tax rate''s rule)'),
        (r.account_ref IS NULL AND r.role IN ('clearing', 'bank'), 'currency', r.role_key,
         'currency ' || upper(r.role_key) || ' has no ' || CASE r.role WHEN 'clearing' THEN 'Stripe Clearing' ELSE 'bank' END
             || ' account',
         'accounts.' || r.role || '.' || r.role_key),
        (r.account_ref IS NULL AND r.role IN ('fee', 'dispute_fees'), 'fee_type',
         CASE r.role WHEN 'fee' THEN r.role_key ELSE 'stripe_fee' END,
         'fee type ' || CASE r.role WHEN 'fee' THEN r.role_key ELSE 'stripe_fee (dispute fee)' END || ' has no account',
         CASE r.role WHEN 'fee' THEN 'fees.' || r.role_key ELSE 'accounts.dispute_fees (or fees.stripe_fee)' END),
        (r.account_ref IS NULL AND r.role = 'stripe_fee', 'stripe_fee_kind', r.role_key,
         'Stripe fee of kind "' || r.role_key || '" has no account',
         'stripe_fees.' || r.role_key || ' (or stripe_fees.other for every kind not listed)'),
        (r.account_ref IS NULL AND r.role = 'category', 'reporting_category', r.category_key,
         'reporting category ' || r.category_key || CASE WHEN r.known_category THEN ' has no booking rule'
                                                         ELSE ' is not one Stripe documents' END,
         'categories.' || r.category_key),
        (r.account_ref IS NULL AND (r.role NOT IN ('revenue', 'tax', 'clearing', 'bank', 'fee', 'dispute_fees',
                                                   'stripe_fee', 'category') OR NOT r.by_product AND r.role = 'revenue'),
         'account', r.role,
         coalesce(r.category_key, 'the opening balance') || ' needs an account for ' || replace(r.role, '_', ' '),
         'accounts.' || r.role || coalesce(' (or categories.' || r.category_key || ')', '')),
        (r.tracked AND r.tracking_ref IS NULL, 'tracking_value', coalesce(r.tracking_value, '(none)'),
         CASE WHEN r.tracking_value IS NULL THEN 'the transaction has no "' || s.tracking_key || '" metadata and tracking has no default'
              ELSE 'metadata "' || s.tracking_key || '" = ' || to_json(r.tracking_value) || ' has no ' || s.tracking_dimension END,
         CASE WHEN r.tracking_value IS NULL THEN 'tracking.default'
              WHEN regexp_full_match(r.tracking_value, '[A-Za-z0-9_-]+') THEN 'tracking.values.' || r.tracking_value
              ELSE 'tracking.values.' || to_json(r.tracking_value) END)  -- quoted: a key YAML reads back
    ) AS t(hit, value_kind, value, reason, mapping_key)
    WHERE hit
) t
WHERE r.problem IS NOT NULL OR r.account_ref IS NULL OR (r.tracked AND r.tracking_ref IS NULL);

-- ... then per transaction, with what a reader needs to find it: its type, its description, its invoice.
CREATE OR REPLACE TEMP TABLE jr_problems AS
SELECT p.entry_key, p.balance_transaction_id, b.source_id, pp.value_kind,
       coalesce(pp.value, b.invoice_id) AS value,
       CASE pp.value_kind
           WHEN 'reporting_category' THEN pp.reason || ' (transaction type ' || coalesce(b.type, '?') || ')'
           WHEN 'stripe_fee_kind' THEN pp.reason || coalesce(': ' || b.description, '')
           WHEN 'invoice' THEN 'invoice ' || coalesce(b.invoice_id, '?') || ': ' || pp.reason
           ELSE pp.reason END AS reason,
       pp.mapping_key
FROM jr_postings p
JOIN jr_placement_problems pp ON pp.placement = p.placement
LEFT JOIN jr_scoped b ON b.id = p.balance_transaction_id AND b.entry_key = p.entry_key
UNION ALL
SELECT p.entry_key, p.balance_transaction_id, b.source_id, 'exchange_rate',
       upper(c.currency) || ' to ' || upper(s.books_currency),
       'no exchange rate from ' || upper(c.currency) || ' into the books currency ' || upper(s.books_currency)
           || ' (Stripe''s rate on the transaction does not convert into it)',
       'exchange_rates.' || c.currency || ' (a "YYYY-MM" or `default` rate, books units per ' || upper(c.currency) || ')'
FROM jr_postings p
JOIN jr_bt_classes c ON c.bt_class = p.bt_class
LEFT JOIN jr_scoped b ON b.id = p.balance_transaction_id AND b.entry_key = p.entry_key
CROSS JOIN jr_settings s
WHERE p.books_amount IS NULL;
