-- Per-transaction mode's rules (document_rules.py) as tables: the kind of document per reporting category,
-- each kind's document type and counterparty, and the line order inside a document.
CREATE OR REPLACE TEMP TABLE jr_category_kinds (category VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL,
                                                keyed_by VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE jr_kinds (kind VARCHAR PRIMARY KEY, type_out VARCHAR NOT NULL, type_in VARCHAR NOT NULL,
                                       counterparty VARCHAR NOT NULL, label VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE jr_document_role_order (role VARCHAR PRIMARY KEY, position INTEGER NOT NULL);

-- Minor units as the major-unit text a reader expects (12345 EUR -> '123.45', 9800 JPY -> '9800').
CREATE OR REPLACE TEMP MACRO major_units(amount, e) AS
    CASE e WHEN 0 THEN amount::VARCHAR
           WHEN 3 THEN (amount::DECIMAL(38, 3) / 1000)::DECIMAL(38, 3)::VARCHAR
           ELSE (amount::DECIMAL(38, 2) / 100)::DECIMAL(38, 2)::VARCHAR END;

-- An amount into the books currency: amount x num / den, rounded half up (NULL when no rate applies).
CREATE OR REPLACE TEMP MACRO convert_minor(amount, num, den) AS
    CASE WHEN num = 1 AND den = 1 THEN amount ELSE half_up_div(amount::HUGEINT * num, den)::BIGINT END;
