-- Per-transaction mode: what a loader needs beyond the journal to post each entry as the document it is
-- (sales receipt, invoice, payment, refund receipt, credit note, expense, transfer). One row per entry of
-- that mode (journal.entries keeps the type, kind, counterparty id, lines and amounts); replaced with it.

CREATE TABLE journal.documents (
    entry_key             VARCHAR     NOT NULL,  -- the journal.entries row (no index: replaced in bulk)
    tenant                VARCHAR     NOT NULL,
    group_key             VARCHAR     NOT NULL,  -- built and held with: a transaction's main document and its
                                                 -- fee expense, an invoice and its void, ...
    status                VARCHAR,               -- invoices: open | paid | void | uncollectible (Stripe's, now);
                                                 -- credit notes: issued | void
    source_type           VARCHAR     NOT NULL,  -- charge, invoice, refund, credit_note, dispute, payout, ...,
                                                 -- balance_transaction, opening_balance
    source_id             VARCHAR,               -- the Stripe object (ch_, in_, re_, cn_, du_, po_, txn_, ...)
    number                VARCHAR,               -- the invoice's or credit note's number
    applies_to            VARCHAR,               -- the entry it pays, reverses, refunds or takes the fees of
    counterparty_type     VARCHAR,               -- customer | stripe (vendor) | connected_account
    counterparty_name     VARCHAR,               -- for matching a customer / contact in the books
    counterparty_email    VARCHAR,
    deposit_account_ref   VARCHAR,               -- Stripe Clearing (or the bank) the money moved through
    deposit_account_name  VARCHAR,
    due_date              DATE,
    presentment_currency  VARCHAR,               -- what the customer saw, when Stripe settled another currency
    presentment_amount    BIGINT,
    built_at              TIMESTAMPTZ NOT NULL
);

-- Lines that come from a Stripe invoice or credit note line: which one, its price and its discount (when the
-- discount is inside the line's amount rather than on a line of its own).
CREATE TABLE journal.document_lines (
    entry_key        VARCHAR NOT NULL,
    line_no          INTEGER NOT NULL,
    source_line_id   VARCHAR NOT NULL,  -- il_ / cnli_
    price_id         VARCHAR,
    discount_amount  BIGINT  NOT NULL   -- transaction currency, already taken off the line's amount
);
