-- The booking rules (rules.py) as tables the statements below join to.
-- Nothing here depends on row order, so DuckDB may build every table on all its threads.
SET preserve_insertion_order = false;
CREATE OR REPLACE TEMP TABLE jr_rules (category VARCHAR PRIMARY KEY, role VARCHAR, label VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE jr_type_categories (type VARCHAR PRIMARY KEY, category VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE jr_labels (role VARCHAR, key VARCHAR, label VARCHAR NOT NULL, PRIMARY KEY (role, key));
CREATE OR REPLACE TEMP TABLE jr_role_order (role VARCHAR PRIMARY KEY, position INTEGER NOT NULL);
CREATE OR REPLACE TEMP TABLE jr_exponents (currency VARCHAR PRIMARY KEY, exponent INTEGER NOT NULL);
-- Invoices and credit notes posted as documents of their own: filled in per-transaction mode
-- (documents_objects), empty for payout summaries.
CREATE OR REPLACE TEMP TABLE jr_document_objects (doc_kind VARCHAR, doc_id VARCHAR);

-- Integer division rounded half away from zero (Decimal's ROUND_HALF_UP), exact on HUGEINT.
CREATE OR REPLACE TEMP MACRO half_up_div(n, d) AS
    sign(n) * sign(d) * ((2 * abs(n::HUGEINT) + abs(d::HUGEINT)) // (2 * abs(d::HUGEINT)));
-- Minor units per major unit of a currency with `e` decimals.
CREATE OR REPLACE TEMP MACRO minor_per_major(e) AS CASE e WHEN 0 THEN 1 WHEN 3 THEN 1000 ELSE 100 END::HUGEINT;
-- An exact DECIMAL(38,18) rate as an integer count of 1e-18 (no float on the way).
CREATE OR REPLACE TEMP MACRO rate_units(r) AS
    trunc(r)::HUGEINT * 1000000000000000000::HUGEINT + ((r - trunc(r)) * 1000000000000000000)::HUGEINT;
