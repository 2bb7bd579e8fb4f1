-- Mapping tables, journal-ready records and their quarantine.
--
-- Money is BIGINT minor units. Every journal line carries two amounts: in the transaction's currency (the
-- settlement currency of its balance transactions, i.e. the Stripe balance it moved) and in the books
-- currency; a line is either a debit or a credit (the other column is 0). Every line records the mapping
-- version it was built with, and `journal.line_sources` says which balance transactions (and which part
-- of each: gross, fee, net) make up its amount, to the cent.
--
-- Both posting modes write here: payout summaries (journal entries) and, beside them, per-transaction
-- documents (sales receipts, invoices, payments, refund receipts, credit notes, expenses, transfers);
-- `mode` and `document_type` tell them apart, and the checks read both.

CREATE SCHEMA IF NOT EXISTS mapping;
CREATE SCHEMA IF NOT EXISTS journal;
CREATE SCHEMA IF NOT EXISTS quarantine;

-- Mapping: one row per version of a tenant's mapping file (never deleted: old lines point at them). ----

CREATE TABLE mapping.versions (
    version                VARCHAR PRIMARY KEY,   -- '<file name>@<sha256 first 12>'
    tenant                 VARCHAR     NOT NULL,  -- the tenant this row was loaded for
    file                   VARCHAR     NOT NULL,  -- where to edit it, e.g. mappings/demo.yaml
    content_hash           VARCHAR     NOT NULL,  -- sha256 of the file's bytes
    books_currency         VARCHAR     NOT NULL,  -- resolved ("account" becomes the account's currency)
    target                 VARCHAR     NOT NULL,  -- quickbooks | xero
    company                VARCHAR     NOT NULL,  -- QuickBooks realm id / Xero tenant id
    posting_mode           VARCHAR     NOT NULL,  -- payout_summary | per_transaction
    payout_schedule        VARCHAR     NOT NULL,  -- automatic | manual (resolved from "auto")
    tracking_dimension     VARCHAR,               -- class / Xero tracking category, if any
    tracking_metadata_key  VARCHAR,
    untaxed_tax_code_ref   VARCHAR,
    untaxed_tax_code_name  VARCHAR,
    opening_balance_as_of  DATE,
    content                JSON        NOT NULL,  -- the file as parsed, for the audit pack
    loaded_at              TIMESTAMPTZ NOT NULL
);

-- Which version each tenant uses now (the latest one loaded).
CREATE TABLE mapping.current (
    tenant     VARCHAR PRIMARY KEY,
    version    VARCHAR     NOT NULL,
    loaded_at  TIMESTAMPTZ NOT NULL
);

-- Every account the file names, by role: clearing/bank keyed by currency, fee by fee type, stripe_fee by
-- kind, category by reporting category, and the single accounts (revenue, refunds, ...) with key ''.
CREATE TABLE mapping.accounts (
    version  VARCHAR NOT NULL,
    role     VARCHAR NOT NULL,
    key      VARCHAR NOT NULL,
    ref      VARCHAR NOT NULL,   -- the target's account id / code
    name     VARCHAR NOT NULL,
    path     VARCHAR NOT NULL,   -- the key in the file, e.g. accounts.clearing.usd
    PRIMARY KEY (version, role, key)
);

-- Revenue account and item per product or price; `rank` orders the matchers (price id wins).
CREATE TABLE mapping.products (
    version       VARCHAR NOT NULL,
    rank          INTEGER NOT NULL,  -- 1 price, 2 lookup_key, 3 product, 4 name, 5 "*"
    match_on      VARCHAR NOT NULL,  -- price | lookup_key | product | name
    match_value   VARCHAR NOT NULL,
    account_ref   VARCHAR NOT NULL,
    account_name  VARCHAR NOT NULL,
    item_ref      VARCHAR,
    item_name     VARCHAR,
    path          VARCHAR NOT NULL
);

-- Tax payable account and tax code per Stripe tax rate.
CREATE TABLE mapping.tax_rates (
    version        VARCHAR NOT NULL,
    rank           INTEGER NOT NULL,  -- 1 tax_rate, 2 jurisdiction, 3 display_name, 4 country, 5 "*"
    match_on       VARCHAR NOT NULL,
    match_value    VARCHAR NOT NULL,
    account_ref    VARCHAR,           -- NULL: accounts.tax_payable
    account_name   VARCHAR,
    tax_code_ref   VARCHAR,
    tax_code_name  VARCHAR,
    path           VARCHAR NOT NULL
);

-- Tracking (QuickBooks class / Xero tracking option) per metadata value; value NULL = the default.
CREATE TABLE mapping.tracking (
    version  VARCHAR NOT NULL,
    value    VARCHAR,
    ref      VARCHAR NOT NULL,
    name     VARCHAR NOT NULL,
    path     VARCHAR NOT NULL
);

-- Books-currency units per unit of a settlement currency, where Stripe's own rate does not apply.
CREATE TABLE mapping.exchange_rates (
    version   VARCHAR        NOT NULL,
    currency  VARCHAR        NOT NULL,
    period    DATE,                     -- first day of the month; NULL = the default
    rate      DECIMAL(38,18) NOT NULL,
    path      VARCHAR        NOT NULL
);

-- A configured opening Stripe balance per currency (minor units).
CREATE TABLE mapping.opening_balances (
    version   VARCHAR NOT NULL,
    currency  VARCHAR NOT NULL,
    amount    BIGINT  NOT NULL,
    path      VARCHAR NOT NULL,
    PRIMARY KEY (version, currency)
);

-- Journal ---------------------------------------------------------------------------------------------

CREATE TABLE journal.entries (
    entry_key           VARCHAR PRIMARY KEY,  -- tenant/mode/kind/ids: deterministic, stable across re-runs
    tenant              VARCHAR     NOT NULL,
    mode                VARCHAR     NOT NULL,  -- payout_summary | per_transaction
    kind                VARCHAR     NOT NULL,  -- payout_summary: summary, payout, payout_failure,
                                               --   balance_activity, opening_balance; documents: theirs
    document_type       VARCHAR     NOT NULL,  -- journal_entry | sales_receipt | invoice | payment |
                                               --   refund_receipt | credit_note | expense | transfer
    entry_date          DATE        NOT NULL,  -- the date it posts on (always inside `period`)
    period              DATE        NOT NULL,  -- first day of the month it belongs to
    anchor_date         DATE        NOT NULL,  -- the day partition it belongs to (re-running it refreshes it)
    currency            VARCHAR     NOT NULL,  -- transaction (settlement) currency
    books_currency      VARCHAR     NOT NULL,
    payout_id           VARCHAR,               -- the payout it summarises or moves, if any
    counterparty        VARCHAR,               -- Stripe customer / account (documents)
    reference           VARCHAR,               -- shown in the books (DocNumber / Reference)
    memo                VARCHAR     NOT NULL,
    total_debit         BIGINT      NOT NULL,
    total_credit        BIGINT      NOT NULL,
    books_total_debit   BIGINT      NOT NULL,
    books_total_credit  BIGINT      NOT NULL,
    line_count          INTEGER     NOT NULL,
    source_count        INTEGER     NOT NULL,  -- balance transactions behind it
    content_hash        VARCHAR     NOT NULL,  -- sha256 over the posted fields and the mapping version
    mapping_version     VARCHAR     NOT NULL,
    built_at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE journal.lines (
    entry_key           VARCHAR NOT NULL,
    line_no             INTEGER NOT NULL,
    role                VARCHAR NOT NULL,  -- what the line is: clearing, revenue, tax, refunds, fee, ...
    role_key            VARCHAR NOT NULL,  -- which one: currency, product, tax rate, fee type, ...
    description         VARCHAR NOT NULL,
    account_ref         VARCHAR NOT NULL,
    account_name        VARCHAR NOT NULL,
    debit               BIGINT  NOT NULL,
    credit              BIGINT  NOT NULL,
    books_debit         BIGINT  NOT NULL,
    books_credit        BIGINT  NOT NULL,
    currency            VARCHAR NOT NULL,
    books_currency      VARCHAR NOT NULL,
    tax_code_ref        VARCHAR,
    tax_code_name       VARCHAR,
    tax_rate_id         VARCHAR,           -- Stripe txr_ behind a tax line
    item_ref            VARCHAR,           -- the target's item (documents; informative on journals)
    item_name           VARCHAR,
    product_id          VARCHAR,           -- Stripe prod_ behind a revenue line
    quantity            BIGINT,            -- documents: quantity and unit amount of a sales line
    unit_amount         BIGINT,
    tracking_dimension  VARCHAR,
    tracking_ref        VARCHAR,
    tracking_name       VARCHAR,
    mapping_version     VARCHAR NOT NULL,
    PRIMARY KEY (entry_key, line_no)
);

-- Lineage: which balance transactions, and which part of each, make up a line. Sums to the line's amount.
-- Kept narrow (a million transactions make three million rows); journal.line_lineage adds the Stripe
-- objects behind each one.
CREATE TABLE journal.line_sources (
    entry_key               VARCHAR NOT NULL,
    line_no                 INTEGER NOT NULL,
    balance_transaction_id  VARCHAR,          -- NULL only for a rounding residue or an untraced opening amount
    component               VARCHAR NOT NULL,  -- net (its move on Stripe Clearing: exactly one per booking),
                                               -- gross, fee, opening (equity side), rounding
    amount                  BIGINT  NOT NULL,  -- signed, debit positive, transaction currency
    books_amount            BIGINT  NOT NULL   -- signed, books currency
);

-- Each line's sources with their Stripe objects: the transaction's type, category and source (ch_, re_,
-- du_, po_, tr_, fee_, ...), and the charge behind a refund or dispute. Transactions from before the first
-- day booked are known from the payout that carried them.
CREATE VIEW journal.line_lineage AS
SELECT ls.*, l.account_ref, l.description,
       coalesce(b.type, c.type) AS type, coalesce(b.reporting_category, c.reporting_category) AS reporting_category,
       coalesce(b.source_id, c.source_id) AS source_id, coalesce(b.created, c.created) AS created,
       coalesce(ch.id, rf.charge, du.charge) AS charge_id, c.payout_id
FROM journal.line_sources ls
JOIN journal.lines l ON l.entry_key = ls.entry_key AND l.line_no = ls.line_no
LEFT JOIN staging.balance_transactions b ON b.id = ls.balance_transaction_id
LEFT JOIN (SELECT DISTINCT ON (balance_transaction_id) * FROM staging.payout_composition
           ORDER BY balance_transaction_id, payout_id) c ON c.balance_transaction_id = ls.balance_transaction_id
LEFT JOIN staging.charges ch ON ch.id = coalesce(b.source_id, c.source_id)
LEFT JOIN staging.refunds rf ON rf.id = coalesce(b.source_id, c.source_id)
LEFT JOIN staging.disputes du ON du.id = coalesce(b.source_id, c.source_id);

-- Where every balance transaction stands after the latest journal run: booked (in which entry),
-- quarantined, or waiting for the automatic payout that will carry it.
CREATE TABLE journal.bookings (
    tenant                  VARCHAR     NOT NULL,
    mode                    VARCHAR     NOT NULL,  -- the posting mode that books it
    balance_transaction_id  VARCHAR     NOT NULL,  -- one row per mode (no index: refreshed in bulk)
    status                  VARCHAR     NOT NULL,  -- booked | quarantined | awaiting_payout
    kind                    VARCHAR,               -- the entry kind that books (or will book) it
    entry_key               VARCHAR,
    payout_id               VARCHAR,
    currency                VARCHAR     NOT NULL,
    net                     BIGINT      NOT NULL,
    created                 TIMESTAMPTZ NOT NULL,
    reason                  VARCHAR,
    updated_at              TIMESTAMPTZ NOT NULL
);

-- Entries held back: one row per value that stopped them, with where to map it and the Stripe ids.
CREATE TABLE quarantine.journal_entries (
    entry_key                VARCHAR     NOT NULL,
    tenant                   VARCHAR     NOT NULL,
    mode                     VARCHAR     NOT NULL,
    kind                     VARCHAR     NOT NULL,
    entry_date               DATE        NOT NULL,
    anchor_date              DATE        NOT NULL,
    currency                 VARCHAR     NOT NULL,
    payout_id                VARCHAR,
    value_kind               VARCHAR     NOT NULL,  -- product | tax_rate | currency | fee_type | ...
    value                    VARCHAR     NOT NULL,
    reason                   VARCHAR     NOT NULL,
    mapping_file             VARCHAR     NOT NULL,
    mapping_key              VARCHAR     NOT NULL,  -- where in the file to map it
    balance_transaction_ids  VARCHAR[]   NOT NULL,  -- the ones needing the value
    entry_balance_transaction_ids VARCHAR[] NOT NULL,  -- all the entry holds back
    source_ids               VARCHAR[]   NOT NULL,
    mapping_version          VARCHAR     NOT NULL,
    quarantined_at           TIMESTAMPTZ NOT NULL
);
