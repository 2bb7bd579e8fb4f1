-- Posting to QuickBooks Online / Xero: the outbox of requests and the map of what is in the books.
--
-- Protocol (ledger_pipeline/posting): write a `pending` outbox row and commit BEFORE the network call;
-- send it with the target's idempotency (QuickBooks requestid, Xero Idempotency-Key = idempotency_key);
-- then, in one transaction, mark the row posted/failed and upsert the record's external id. A `pending`
-- row left by a crash is recovered on the next run (found by its marker, or sent again with the same key).
-- No secrets live here: tokens are in the token store, outside the warehouse.

CREATE SCHEMA IF NOT EXISTS sync;

-- One row per request we decided to send. The key is what the target saw, so a re-send is a replay.
CREATE TABLE sync.outbox (
    idempotency_key VARCHAR     PRIMARY KEY, -- QuickBooks requestid (<= 50) / Xero Idempotency-Key (<= 128)
    target          VARCHAR     NOT NULL,    -- quickbooks | xero
    company_id      VARCHAR     NOT NULL,    -- QuickBooks realm id / Xero tenant id
    record_key      VARCHAR     NOT NULL,    -- our record (the journal entry key)
    remote_kind     VARCHAR     NOT NULL,    -- JournalEntry, Invoice, ManualJournals, ...
    action          VARCHAR     NOT NULL,    -- create | update | void
    content_hash    VARCHAR     NOT NULL,    -- the content this request carries
    generation      INTEGER     NOT NULL,    -- 0, then +1 after each refusal of the same (action, hash)
    marker          VARCHAR     NOT NULL,    -- written into DocNumber / PrivateNote / Reference / Narration
    batch_key       VARCHAR,                 -- the batch request that carried it, if any
    status          VARCHAR     NOT NULL,    -- pending | posted | failed | superseded
    remote_id       VARCHAR,                 -- the object it created or changed
    error_kind      VARCHAR,                 -- posting.errors.ErrorKind of a failure
    error_code      VARCHAR,                 -- the target's code (QuickBooks Fault code, Xero status)
    error_message   VARCHAR,                 -- the target's message
    error_fix       VARCHAR,                 -- what to change, in the books or the mapping
    run_id          VARCHAR,                 -- the Dagster run that wrote the intent
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK (action IN ('create', 'update', 'void')),
    CHECK (status IN ('pending', 'posted', 'failed', 'superseded'))
);

-- One row per record per target company: the remote object and the content it holds now.
CREATE TABLE sync.external_ids (
    target          VARCHAR     NOT NULL,
    company_id      VARCHAR     NOT NULL,
    record_key      VARCHAR     NOT NULL,
    remote_kind     VARCHAR     NOT NULL,
    remote_id       VARCHAR     NOT NULL,
    sync_token      VARCHAR,                 -- QuickBooks SyncToken after our last write (NULL for Xero)
    content_hash    VARCHAR     NOT NULL,    -- the content the remote object holds
    marker          VARCHAR     NOT NULL,
    status          VARCHAR     NOT NULL,    -- posted | voided | deleted
    idempotency_key VARCHAR     NOT NULL,    -- the outbox row that wrote it last
    posted_at       TIMESTAMPTZ NOT NULL,    -- first posted
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (target, company_id, record_key),
    CHECK (status IN ('posted', 'voided', 'deleted'))
);
