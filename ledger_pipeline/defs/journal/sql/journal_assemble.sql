-- Entries from postings: held back whole if any posting cannot be placed; otherwise grouped into lines
-- (one per account and meaning), balanced in the books currency by a rounding line, hashed.

-- What each entry being built is: its kind, date, day partition, currency, payout, memo.
CREATE OR REPLACE TEMP TABLE jr_entry_info AS
WITH built AS (
    SELECT entry_key, any_value(kind) AS kind, max(entry_date) AS entry_date, max(anchor_date) AS anchor_date,
           any_value(currency) AS currency, max(payout_day) AS payout_day,
           coalesce(any_value(payout_id), CASE WHEN any_value(kind) IN ('payout', 'payout_failure')
                                               THEN any_value(source_id) END) AS payout_id,
           bool_or(composition = 'does_not_tie_out') AS does_not_tie_out
    FROM jr_homes
    WHERE entry_key IN (SELECT entry_key FROM jr_rebuild) AND kind <> 'opening_balance'
    GROUP BY entry_key
    UNION ALL
    SELECT o.entry_key, 'opening_balance', s.start_day, s.start_day, o.currency, NULL, NULL, false
    FROM jr_openings o CROSS JOIN jr_settings s
    WHERE o.entry_key IN (SELECT entry_key FROM jr_rebuild)
)
SELECT b.*,
       CASE b.kind
           WHEN 'summary' THEN 'Stripe payout ' || b.payout_id || ' of ' || strftime(b.payout_day, '%Y-%m-%d')
                               || ': sales, refunds, fees and adjustments'
                               || CASE WHEN date_trunc('month', b.entry_date) <> date_trunc('month', b.payout_day)
                                       THEN ' created in ' || strftime(b.entry_date, '%B %Y') ELSE '' END
           WHEN 'payout' THEN 'Stripe payout ' || b.payout_id || ' to the bank'
           WHEN 'payout_failure' THEN 'Stripe payout ' || b.payout_id || ' failed: returned to the Stripe balance'
           WHEN 'balance_activity' THEN 'Stripe balance activity of ' || strftime(b.entry_date, '%Y-%m-%d') || ' ('
                                        || upper(b.currency) || ') not carried by an automatic payout'
           ELSE 'Opening Stripe balance (' || upper(b.currency) || ') on ' || strftime(b.entry_date, '%Y-%m-%d')
       END AS memo,
       coalesce(b.payout_id, 'Stripe ' || upper(b.currency) || ' ' || strftime(b.entry_date, '%Y-%m-%d')) AS reference
FROM built b;

-- Entries that cannot be booked as they are, whatever the mapping says.
INSERT INTO jr_problems
SELECT i.entry_key, NULL, NULL, 'payout_composition', i.payout_id,
       'automatic payout ' || i.payout_id || ' paid out ' || p.amount || ' but its balance transactions net to '
           || coalesce(p.paid_out, 0) || ' (' || upper(p.currency) || ' minor units) though Stripe reports it reconciled',
       '(no mapping: check the payout in Stripe, then re-run the Stripe extraction of its day)'
FROM jr_entry_info i
JOIN jr_payouts p ON p.id = i.payout_id
WHERE i.does_not_tie_out
UNION ALL
SELECT i.entry_key, NULL, NULL, 'opening_balance', strftime(s.opening_as_of, '%Y-%m-%d'),
       'the opening balance is stated as of ' || strftime(s.opening_as_of, '%Y-%m-%d') || ' but the books start on '
           || strftime(s.start_day, '%Y-%m-%d') || ' (start_date)',
       'opening_balance.as_of (state the Stripe balance at the start of the first day booked)'
FROM jr_entry_info i
CROSS JOIN jr_settings s
WHERE i.kind = 'opening_balance' AND s.opening_as_of IS NOT NULL AND s.opening_as_of <> s.start_day;

CREATE OR REPLACE TEMP TABLE jr_quarantine AS
WITH held AS (
    SELECT entry_key, list(DISTINCT id ORDER BY id) AS transactions,
           coalesce(list(DISTINCT source_id ORDER BY source_id) FILTER (WHERE source_id IS NOT NULL), []) AS sources
    FROM jr_scope
    WHERE entry_key IN (SELECT entry_key FROM jr_problems)
    GROUP BY entry_key
)
SELECT p.entry_key, s.tenant, s.mode, i.kind, i.entry_date, i.anchor_date, i.currency, i.payout_id, p.value_kind,
       p.value, min(p.reason) AS reason, s.mapping_file, p.mapping_key,
       coalesce(list(DISTINCT p.balance_transaction_id ORDER BY p.balance_transaction_id)
                FILTER (WHERE p.balance_transaction_id IS NOT NULL), h.transactions) AS balance_transaction_ids,
       coalesce(h.transactions, []) AS entry_balance_transaction_ids,
       coalesce(list(DISTINCT p.source_id ORDER BY p.source_id) FILTER (WHERE p.source_id IS NOT NULL), h.sources, [])
           AS source_ids,
       s.version, s.built_at
FROM jr_problems p
JOIN jr_entry_info i ON i.entry_key = p.entry_key
LEFT JOIN held h ON h.entry_key = p.entry_key
CROSS JOIN jr_settings s
GROUP BY p.entry_key, s.tenant, s.mode, i.kind, i.entry_date, i.anchor_date, i.currency, i.payout_id, p.value_kind,
         p.value, s.mapping_file, p.mapping_key, h.transactions, h.sources, s.version, s.built_at;

-- One line per account and meaning: placements that look the same in the books share a line.
CREATE OR REPLACE TEMP TABLE jr_line_keys AS
SELECT placement,
       hash(role, description, account_ref, account_name, tax_code_ref, tax_code_name,
            CASE WHEN role = 'tax' THEN tax_rate_id END, item_ref, item_name,
            CASE WHEN role IN ('revenue', 'discounts') THEN product_id END, tracking_ref, tracking_name) AS line_key
FROM jr_placed;

CREATE OR REPLACE TEMP TABLE jr_line_attributes AS
SELECT * FROM (
    SELECT DISTINCT ON (k.line_key) k.line_key, p.role, p.role_key, p.description, p.account_ref, p.account_name,
           p.tax_code_ref, p.tax_code_name, CASE WHEN p.role = 'tax' THEN p.tax_rate_id END AS tax_rate_id,
           p.item_ref, p.item_name, CASE WHEN p.role IN ('revenue', 'discounts') THEN p.product_id END AS product_id,
           p.tracking_ref, p.tracking_name
    FROM jr_line_keys k
    JOIN jr_placed p ON p.placement = k.placement
    ORDER BY k.line_key, p.role_key
)
UNION ALL
-- where converting each transaction into the books currency left the entry a unit or two out of
-- balance, a rounding line (never revenue) takes the difference
SELECT hash('books rounding'), 'rounding', 'books', 'Rounding (books currency)', a.ref, a.name, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL
FROM jr_accounts a
WHERE a.role = 'rounding' AND a.key = '';

-- Postings summed per entry and placement first (few rows), then per line.
CREATE OR REPLACE TEMP TABLE jr_placement_sums AS
SELECT p.entry_key, p.placement, sum(p.amount) AS amount, sum(p.books_amount) AS books_amount
FROM jr_postings p
WHERE p.entry_key NOT IN (SELECT entry_key FROM jr_problems)
GROUP BY p.entry_key, p.placement;

CREATE OR REPLACE TEMP TABLE jr_lines AS
WITH grouped AS (
    SELECT s.entry_key, k.line_key, any_value(i.currency) AS currency, sum(s.amount)::BIGINT AS amount,
           sum(s.books_amount)::BIGINT AS books_amount
    FROM jr_placement_sums s
    JOIN jr_line_keys k ON k.placement = s.placement
    JOIN jr_entry_info i ON i.entry_key = s.entry_key
    GROUP BY s.entry_key, k.line_key
),
rounded AS (
    SELECT * FROM grouped
    UNION ALL
    SELECT entry_key, hash('books rounding'), any_value(currency), 0, -sum(books_amount)::BIGINT
    FROM grouped
    GROUP BY entry_key
    HAVING sum(books_amount) <> 0
)
SELECT r.*, a.role, a.role_key, a.description, a.account_ref, a.account_name, a.tax_code_ref, a.tax_code_name,
       a.tax_rate_id, a.item_ref, a.item_name, a.product_id, a.tracking_ref, a.tracking_name,
       row_number() OVER (
           PARTITION BY r.entry_key
           -- within a kind of line: what came in (credits) before what went back out
           ORDER BY coalesce(o.position, 99), r.amount > 0, a.description, a.account_ref, a.tracking_ref NULLS FIRST,
                    a.role_key, r.line_key) AS line_no
FROM rounded r
JOIN jr_line_attributes a ON a.line_key = r.line_key
LEFT JOIN jr_role_order o ON o.role = a.role;

-- The line each placement of an entry landed on, for the lineage.
CREATE OR REPLACE TEMP TABLE jr_placement_lines AS
SELECT s.entry_key, s.placement, l.line_no
FROM jr_placement_sums s
JOIN jr_line_keys k ON k.placement = s.placement
JOIN jr_lines l ON l.entry_key = s.entry_key AND l.line_key = k.line_key;

CREATE OR REPLACE TEMP TABLE jr_entries AS
WITH totals AS (
    SELECT entry_key,
           sum(greatest(amount, 0))::BIGINT AS total_debit, sum(greatest(-amount, 0))::BIGINT AS total_credit,
           sum(greatest(books_amount, 0))::BIGINT AS books_total_debit,
           sum(greatest(-books_amount, 0))::BIGINT AS books_total_credit,
           count(*) AS line_count,
           string_agg(concat_ws('|', line_no, account_ref, greatest(amount, 0), greatest(-amount, 0),
                                greatest(books_amount, 0), greatest(-books_amount, 0), coalesce(tax_code_ref, ''),
                                coalesce(item_ref, ''), coalesce(tracking_ref, ''), description),
                      chr(10) ORDER BY line_no) AS posted
    FROM jr_lines
    GROUP BY entry_key
),
sources AS (
    SELECT entry_key, count(*) AS source_count FROM jr_scope GROUP BY entry_key
)
SELECT i.entry_key, s.tenant, s.mode, i.kind, 'journal_entry' AS document_type, i.entry_date,
       date_trunc('month', i.entry_date)::DATE AS period, i.anchor_date, i.currency, s.books_currency, i.payout_id,
       NULL::VARCHAR AS counterparty, i.reference, i.memo, t.total_debit, t.total_credit, t.books_total_debit,
       t.books_total_credit, t.line_count, coalesce(src.source_count, 0) AS source_count,
       sha256(concat_ws(chr(10), i.entry_key, strftime(i.entry_date, '%Y-%m-%d'), i.currency, s.books_currency,
                        i.reference, i.memo, s.version, t.posted)) AS content_hash,
       s.version AS mapping_version, s.built_at
FROM jr_entry_info i
JOIN totals t ON t.entry_key = i.entry_key
LEFT JOIN sources src ON src.entry_key = i.entry_key
CROSS JOIN jr_settings s;
