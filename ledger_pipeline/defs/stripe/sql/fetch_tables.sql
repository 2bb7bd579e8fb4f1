-- Scratch tables of one extraction, private to its connection.
CREATE OR REPLACE TEMP TABLE extraction_run (
    tenant VARCHAR, partition_date DATE, window_start BIGINT, window_end BIGINT,
    extracted_at TIMESTAMPTZ, server_now BIGINT, snapshot_at BIGINT
);
-- Answers exactly as Stripe sent them (single objects wrapped as a one-item list). `observed_at` is the
-- run's snapshot time on Stripe's event clock (see extract.py).
CREATE OR REPLACE TEMP TABLE fetched_pages (
    seq INTEGER, object_type VARCHAR, origin VARCHAR, parent_id VARCHAR, observed_at BIGINT,
    page_index INTEGER, body VARCHAR
);
-- Objects that failed validation: (page, place in it, which part) and why.
CREATE OR REPLACE TEMP TABLE fetched_rejects (
    seq INTEGER, idx INTEGER, part VARCHAR, object_type VARCHAR, object_id VARCHAR, reason VARCHAR
);
-- Windows listed completely, per type: an object we hold from such a window that is missing now is gone.
CREATE OR REPLACE TEMP TABLE listed_windows (object_type VARCHAR, window_start BIGINT, window_end BIGINT);
-- Automatic payouts whose composition this run fetched (what the tie-out check looks at).
CREATE OR REPLACE TEMP TABLE composition_targets (payout_id VARCHAR);
-- Object types with current-state tables (observations of them inside other objects count).
CREATE OR REPLACE TEMP TABLE tracked_types (object_type VARCHAR);
