-- Stripe extraction: raw objects as fetched, typed staging tables, and the quarantine.
--
-- Money is BIGINT minor units exactly as Stripe sends them (JPY has no decimals, KWD three); exchange rates
-- and tax percentages are DECIMAL(38,18) read from the JSON text, never through a rounded float.
--
-- Two kinds of staging tables:
--   day slices     one row per object, in the partition whose window [start, end) holds its `created`:
--                  balance_transactions, balance_transaction_fees, events. A re-run replaces its slice.
--   current state  one row per object, its latest known state from every observation in raw (listings,
--                  re-listings, expanded sources, event payloads, retrievals), so re-running an old day
--                  can never roll an object back. `partition_date` names the partition that saw that state.

CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS quarantine;

-- Every object as Stripe returned it, one row per observation, replaced per (tenant, day) partition.
CREATE TABLE raw.stripe_objects (
    tenant          VARCHAR     NOT NULL,
    partition_date  DATE        NOT NULL,  -- the partition whose extraction fetched it
    object_type     VARCHAR     NOT NULL,  -- Stripe's `object`: balance_transaction, charge, event, ...
    object_id       VARCHAR     NOT NULL,
    origin          VARCHAR     NOT NULL,  -- list | relist | expand | event | retrieve | account | payout | lines | absent
    parent_id       VARCHAR,               -- the balance transaction (expand), event (event), payout (payout),
                                           -- invoice or credit note (lines) it came inside or under
    observed_at     TIMESTAMPTZ NOT NULL,  -- Stripe's clock: the answer's Date header, or the event's `created`
    position        INTEGER     NOT NULL,  -- place in the answer (lists come newest first)
    deleted         BOOLEAN     NOT NULL,  -- a `*.deleted` event, a deleted stub, or gone from a full listing
    has_fields      BOOLEAN     NOT NULL,  -- false for a bare {"id", "object", "deleted"} stub
    data            JSON        NOT NULL,
    extracted_at    TIMESTAMPTZ NOT NULL
);

-- Objects that failed validation: kept whole with the reason, never loaded into staging.
CREATE TABLE quarantine.stripe_objects (
    tenant          VARCHAR     NOT NULL,
    partition_date  DATE        NOT NULL,
    object_type     VARCHAR,
    object_id       VARCHAR,
    origin          VARCHAR     NOT NULL,
    parent_id       VARCHAR,
    reason          VARCHAR     NOT NULL,
    data            JSON,
    extracted_at    TIMESTAMPTZ NOT NULL
);

-- The latest known state of each object of one type, over every partition's observations (or over a
-- subset of them with the same columns, e.g. the observations of the objects a run touched).
-- Fields come from the newest real observation (a deleted stub or an "absent from the listing" marker
-- only stands in when nothing else is known); on equal times an event beats a listing of the same
-- second, since the listing may predate the change. Deletion is terminal: once seen, it sticks.
CREATE MACRO raw.current_state(kind, observations := 'raw.stripe_objects') AS TABLE
SELECT object_id, data, partition_date, observed_at, extracted_at, ever_deleted AS deleted, deleted_at
FROM (
    SELECT
        o.*,
        bool_or(deleted) OVER per_object AS ever_deleted,
        min(CASE WHEN deleted THEN observed_at END) OVER per_object AS deleted_at,
        row_number() OVER (
            PARTITION BY object_id
            ORDER BY has_fields DESC, (origin <> 'absent') DESC, observed_at DESC, (origin = 'event') DESC,
                     extracted_at DESC, position ASC
        ) AS pick
    FROM query_table(observations) o
    WHERE object_type = kind AND origin NOT IN ('payout', 'lines')
    WINDOW per_object AS (PARTITION BY object_id)
)
WHERE pick = 1;

-- Day slices -------------------------------------------------------------------------------------------

CREATE TABLE staging.balance_transactions (
    id                  VARCHAR PRIMARY KEY,
    partition_date      DATE           NOT NULL,
    type                VARCHAR        NOT NULL,
    reporting_category  VARCHAR,
    amount              BIGINT         NOT NULL,
    fee                 BIGINT         NOT NULL,
    net                 BIGINT         NOT NULL,
    currency            VARCHAR        NOT NULL,
    exchange_rate       DECIMAL(38,18),
    created             TIMESTAMPTZ    NOT NULL,
    available_on        TIMESTAMPTZ,
    status              VARCHAR,
    balance_type        VARCHAR,
    source_id           VARCHAR,
    source_type         VARCHAR,
    description         VARCHAR,
    extracted_at        TIMESTAMPTZ    NOT NULL
);

CREATE TABLE staging.balance_transaction_fees (
    balance_transaction_id  VARCHAR  NOT NULL,
    position                INTEGER  NOT NULL,
    partition_date          DATE     NOT NULL,
    type                    VARCHAR  NOT NULL,
    amount                  BIGINT   NOT NULL,
    currency                VARCHAR  NOT NULL,
    application             VARCHAR,
    description             VARCHAR,
    extracted_at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (balance_transaction_id, position)
);

CREATE TABLE staging.events (
    id                VARCHAR PRIMARY KEY,
    partition_date    DATE        NOT NULL,
    type              VARCHAR     NOT NULL,
    created           TIMESTAMPTZ NOT NULL,
    object_type       VARCHAR,
    object_id         VARCHAR,
    account           VARCHAR,
    api_version       VARCHAR,
    request_id        VARCHAR,
    idempotency_key   VARCHAR,
    pending_webhooks  BIGINT,
    extracted_at      TIMESTAMPTZ NOT NULL
);

-- Payout composition: what each automatic payout paid out, from its latest `?payout=` listing ----------

CREATE TABLE staging.payout_composition (
    payout_id               VARCHAR NOT NULL,
    balance_transaction_id  VARCHAR NOT NULL,
    type                    VARCHAR NOT NULL,
    reporting_category      VARCHAR,
    amount                  BIGINT  NOT NULL,
    fee                     BIGINT  NOT NULL,
    net                     BIGINT  NOT NULL,
    currency                VARCHAR NOT NULL,
    created                 TIMESTAMPTZ NOT NULL,
    source_id               VARCHAR,
    partition_date          DATE    NOT NULL,
    observed_at             TIMESTAMPTZ NOT NULL,
    extracted_at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (payout_id, balance_transaction_id)
);

-- Current state ---------------------------------------------------------------------------------------

CREATE TABLE staging.payouts (
    id                           VARCHAR PRIMARY KEY,
    amount                       BIGINT  NOT NULL,
    currency                     VARCHAR NOT NULL,
    automatic                    BOOLEAN NOT NULL,
    status                       VARCHAR,
    reconciliation_status        VARCHAR,
    method                       VARCHAR,
    type                         VARCHAR,
    source_type                  VARCHAR,
    arrival_date                 TIMESTAMPTZ,
    balance_transaction          VARCHAR,
    failure_balance_transaction  VARCHAR,
    failure_code                 VARCHAR,
    failure_message              VARCHAR,
    destination                  VARCHAR,
    original_payout              VARCHAR,
    reversed_by                  VARCHAR,
    description                  VARCHAR,
    statement_descriptor         VARCHAR,
    metadata                     JSON,
    created                      TIMESTAMPTZ NOT NULL,
    partition_date               DATE NOT NULL,
    observed_at                  TIMESTAMPTZ NOT NULL,
    extracted_at                 TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.charges (
    id                           VARCHAR PRIMARY KEY,
    amount                       BIGINT  NOT NULL,
    amount_captured              BIGINT,
    amount_refunded              BIGINT,
    currency                     VARCHAR NOT NULL,
    status                       VARCHAR,
    paid                         BOOLEAN,
    captured                     BOOLEAN,
    refunded                     BOOLEAN,
    disputed                     BOOLEAN,
    customer                     VARCHAR,
    payment_intent               VARCHAR,
    payment_method_type          VARCHAR,
    balance_transaction          VARCHAR,
    failure_balance_transaction  VARCHAR,
    application                  VARCHAR,
    application_fee              VARCHAR,
    application_fee_amount       BIGINT,
    transfer                     VARCHAR,
    transfer_destination         VARCHAR,
    transfer_group               VARCHAR,
    source_transfer              VARCHAR,
    on_behalf_of                 VARCHAR,
    description                  VARCHAR,
    statement_descriptor         VARCHAR,
    failure_code                 VARCHAR,
    failure_message              VARCHAR,
    receipt_email                VARCHAR,
    metadata                     JSON,
    created                      TIMESTAMPTZ NOT NULL,
    partition_date               DATE NOT NULL,
    observed_at                  TIMESTAMPTZ NOT NULL,
    extracted_at                 TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.refunds (
    id                           VARCHAR PRIMARY KEY,
    amount                       BIGINT  NOT NULL,
    currency                     VARCHAR NOT NULL,
    charge                       VARCHAR,
    payment_intent               VARCHAR,
    status                       VARCHAR,
    reason                       VARCHAR,
    balance_transaction          VARCHAR,
    failure_balance_transaction  VARCHAR,
    failure_reason               VARCHAR,
    source_transfer_reversal     VARCHAR,
    transfer_reversal            VARCHAR,
    description                  VARCHAR,
    metadata                     JSON,
    created                      TIMESTAMPTZ NOT NULL,
    partition_date               DATE NOT NULL,
    observed_at                  TIMESTAMPTZ NOT NULL,
    extracted_at                 TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.disputes (
    id                    VARCHAR PRIMARY KEY,
    amount                BIGINT  NOT NULL,
    currency              VARCHAR NOT NULL,
    charge                VARCHAR,
    payment_intent        VARCHAR,
    status                VARCHAR,
    reason                VARCHAR,
    is_charge_refundable  BOOLEAN,
    evidence_due_by       TIMESTAMPTZ,
    metadata              JSON,
    created               TIMESTAMPTZ NOT NULL,
    partition_date        DATE NOT NULL,
    observed_at           TIMESTAMPTZ NOT NULL,
    extracted_at          TIMESTAMPTZ NOT NULL
);

-- The balance transactions a dispute carries (withdrawal, reinstatement), from its current state.
CREATE TABLE staging.dispute_balance_transactions (
    dispute_id              VARCHAR NOT NULL,
    balance_transaction_id  VARCHAR NOT NULL,
    type                    VARCHAR,
    reporting_category      VARCHAR,
    amount                  BIGINT  NOT NULL,
    fee                     BIGINT  NOT NULL,
    net                     BIGINT  NOT NULL,
    currency                VARCHAR NOT NULL,
    created                 TIMESTAMPTZ,
    partition_date          DATE NOT NULL,
    extracted_at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (dispute_id, balance_transaction_id)
);

CREATE TABLE staging.customers (
    id                 VARCHAR PRIMARY KEY,
    name               VARCHAR,
    email              VARCHAR,
    description        VARCHAR,
    phone              VARCHAR,
    currency           VARCHAR,
    balance            BIGINT,
    delinquent         BOOLEAN,
    tax_exempt         VARCHAR,
    address_country    VARCHAR,
    address            JSON,
    invoice_prefix     VARCHAR,
    preferred_locales  JSON,
    metadata           JSON,
    created            TIMESTAMPTZ,
    deleted            BOOLEAN NOT NULL,
    deleted_at         TIMESTAMPTZ,
    partition_date     DATE NOT NULL,
    observed_at        TIMESTAMPTZ NOT NULL,
    extracted_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.products (
    id                    VARCHAR PRIMARY KEY,
    name                  VARCHAR,
    description           VARCHAR,
    active                BOOLEAN,
    type                  VARCHAR,
    default_price         VARCHAR,
    tax_code              VARCHAR,
    unit_label            VARCHAR,
    statement_descriptor  VARCHAR,
    url                   VARCHAR,
    metadata              JSON,
    created               TIMESTAMPTZ,
    updated               TIMESTAMPTZ,
    deleted               BOOLEAN NOT NULL,
    deleted_at            TIMESTAMPTZ,
    partition_date        DATE NOT NULL,
    observed_at           TIMESTAMPTZ NOT NULL,
    extracted_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.prices (
    id                        VARCHAR PRIMARY KEY,
    product                   VARCHAR,
    currency                  VARCHAR NOT NULL,
    unit_amount               BIGINT,
    unit_amount_decimal       VARCHAR,  -- exact text: Stripe allows fractions of a minor unit here
    billing_scheme            VARCHAR,
    type                      VARCHAR,
    recurring_interval        VARCHAR,
    recurring_interval_count  BIGINT,
    recurring_usage_type      VARCHAR,
    active                    BOOLEAN,
    tax_behavior              VARCHAR,
    nickname                  VARCHAR,
    lookup_key                VARCHAR,
    metadata                  JSON,
    created                   TIMESTAMPTZ,
    deleted                   BOOLEAN NOT NULL,
    partition_date            DATE NOT NULL,
    observed_at               TIMESTAMPTZ NOT NULL,
    extracted_at              TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.invoices (
    id                       VARCHAR PRIMARY KEY,
    number                   VARCHAR,
    customer                 VARCHAR,
    status                   VARCHAR,
    currency                 VARCHAR NOT NULL,
    collection_method        VARCHAR,
    billing_reason           VARCHAR,
    subscription             VARCHAR,
    subtotal                 BIGINT,
    subtotal_excluding_tax   BIGINT,
    total_discount_amount    BIGINT,
    total_tax_amount         BIGINT,
    total_excluding_tax      BIGINT,
    total                    BIGINT,
    amount_due               BIGINT,
    amount_paid              BIGINT,
    amount_remaining         BIGINT,
    amount_overpaid          BIGINT,
    starting_balance         BIGINT,
    ending_balance           BIGINT,
    post_payment_credit_notes_amount  BIGINT,
    pre_payment_credit_notes_amount   BIGINT,
    period_start             TIMESTAMPTZ,
    period_end               TIMESTAMPTZ,
    due_date                 TIMESTAMPTZ,
    finalized_at             TIMESTAMPTZ,
    paid_at                  TIMESTAMPTZ,
    voided_at                TIMESTAMPTZ,
    marked_uncollectible_at  TIMESTAMPTZ,
    description              VARCHAR,
    total_taxes              JSON,
    metadata                 JSON,
    created                  TIMESTAMPTZ,
    deleted                  BOOLEAN NOT NULL,
    deleted_at               TIMESTAMPTZ,
    partition_date           DATE NOT NULL,
    observed_at              TIMESTAMPTZ NOT NULL,
    extracted_at             TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.invoice_lines (
    invoice_id        VARCHAR NOT NULL,
    id                VARCHAR NOT NULL,
    position          INTEGER NOT NULL,
    price_id          VARCHAR,
    product_id        VARCHAR,
    quantity          BIGINT,
    amount            BIGINT NOT NULL,
    currency          VARCHAR NOT NULL,
    description       VARCHAR,
    discount_amount   BIGINT NOT NULL,  -- sum of discount_amounts
    discount_amounts  JSON,
    tax_amount        BIGINT NOT NULL,  -- sum of taxes (Basil) or tax_amounts (older API versions)
    taxable_amount    BIGINT,
    tax_amounts       JSON,
    period_start      TIMESTAMPTZ,
    period_end        TIMESTAMPTZ,
    partition_date    DATE NOT NULL,
    extracted_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (invoice_id, id)
);

CREATE TABLE staging.credit_notes (
    id                      VARCHAR PRIMARY KEY,
    number                  VARCHAR,
    invoice                 VARCHAR,
    customer                VARCHAR,
    status                  VARCHAR,
    type                    VARCHAR,
    reason                  VARCHAR,
    currency                VARCHAR NOT NULL,
    amount                  BIGINT NOT NULL,
    subtotal                BIGINT,
    subtotal_excluding_tax  BIGINT,
    total                   BIGINT,
    total_excluding_tax     BIGINT,
    total_tax_amount        BIGINT,
    discount_amount         BIGINT,
    out_of_band_amount      BIGINT,
    pre_payment_amount      BIGINT,
    post_payment_amount     BIGINT,
    refunds                 JSON,
    memo                    VARCHAR,
    metadata                JSON,
    effective_at            TIMESTAMPTZ,
    voided_at               TIMESTAMPTZ,
    created                 TIMESTAMPTZ NOT NULL,
    partition_date          DATE NOT NULL,
    observed_at             TIMESTAMPTZ NOT NULL,
    extracted_at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.credit_note_lines (
    credit_note_id     VARCHAR NOT NULL,
    id                 VARCHAR NOT NULL,
    position           INTEGER NOT NULL,
    type               VARCHAR,
    invoice_line_item  VARCHAR,
    quantity           BIGINT,
    unit_amount        BIGINT,
    amount             BIGINT NOT NULL,
    discount_amount    BIGINT,
    tax_amount         BIGINT NOT NULL,
    tax_amounts        JSON,
    description        VARCHAR,
    partition_date     DATE NOT NULL,
    extracted_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (credit_note_id, id)
);

CREATE TABLE staging.tax_rates (
    id                    VARCHAR PRIMARY KEY,
    display_name          VARCHAR,
    description           VARCHAR,
    percentage            DECIMAL(38,18),
    effective_percentage  DECIMAL(38,18),
    inclusive             BOOLEAN,
    active                BOOLEAN,
    country               VARCHAR,
    state                 VARCHAR,
    jurisdiction          VARCHAR,
    jurisdiction_level    VARCHAR,
    tax_type              VARCHAR,
    rate_type             VARCHAR,
    metadata              JSON,
    created               TIMESTAMPTZ,
    partition_date        DATE NOT NULL,
    observed_at           TIMESTAMPTZ NOT NULL,
    extracted_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.application_fees (
    id                       VARCHAR PRIMARY KEY,
    amount                   BIGINT  NOT NULL,
    amount_refunded          BIGINT,
    currency                 VARCHAR NOT NULL,
    refunded                 BOOLEAN,
    account                  VARCHAR,
    application              VARCHAR,
    charge                   VARCHAR,
    originating_transaction  VARCHAR,
    balance_transaction      VARCHAR,
    created                  TIMESTAMPTZ NOT NULL,
    partition_date           DATE NOT NULL,
    observed_at              TIMESTAMPTZ NOT NULL,
    extracted_at             TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.transfers (
    id                   VARCHAR PRIMARY KEY,
    amount               BIGINT  NOT NULL,
    amount_reversed      BIGINT,
    currency             VARCHAR NOT NULL,
    reversed             BOOLEAN,
    destination          VARCHAR,
    destination_payment  VARCHAR,
    balance_transaction  VARCHAR,
    source_transaction   VARCHAR,
    source_type          VARCHAR,
    transfer_group       VARCHAR,
    description          VARCHAR,
    metadata             JSON,
    created              TIMESTAMPTZ NOT NULL,
    partition_date       DATE NOT NULL,
    observed_at          TIMESTAMPTZ NOT NULL,
    extracted_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE staging.accounts (
    id                 VARCHAR PRIMARY KEY,
    type               VARCHAR,
    business_name      VARCHAR,
    display_name       VARCHAR,
    email              VARCHAR,
    country            VARCHAR,
    default_currency   VARCHAR,
    timezone           VARCHAR,
    payout_interval    VARCHAR,
    charges_enabled    BOOLEAN,
    payouts_enabled    BOOLEAN,
    details_submitted  BOOLEAN,
    is_tenant          BOOLEAN NOT NULL,  -- the account this warehouse's books belong to
    metadata           JSON,
    created            TIMESTAMPTZ,
    partition_date     DATE NOT NULL,
    observed_at        TIMESTAMPTZ NOT NULL,
    extracted_at       TIMESTAMPTZ NOT NULL
);
