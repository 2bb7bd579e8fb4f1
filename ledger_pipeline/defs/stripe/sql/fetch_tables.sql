-- Scratch tables of one extraction, private to its connection.
CREATE OR REPLACE TEMP TABLE extraction_run (
    tenant VARCHAR, partition_date DATE, window_start BIGINT, window_end BIGINT,
    extracted_at TIMESTAMPTZ, server_now BIGINT, snapshot_at BIGINT
);
-- One row per answer; the answer itself, exactly as Stripe sent it, is in `file` (single objects wrapped as
-- a one-item list). `observed_at` is the run's snapshot time on Stripe's event clock (see extract.py).
CREATE OR REPLACE TEMP TABLE fetched_pages (
    seq INTEGER, object_type VARCHAR, origin VARCHAR, parent_id VARCHAR, observed_at BIGINT,
    page_index INTEGER, file VARCHAR
);
-- Objects that failed validation: (page, place in it, which part) and why.
CREATE OR REPLACE TEMP TABLE fetched_rejects (
    seq INTEGER, idx INTEGER, part VARCHAR, object_type VARCHAR, object_id VARCHAR, reason VARCHAR
);
-- Deletable objects we held as alive in windows this run lists in full (see snapshot_live.sql).
CREATE OR REPLACE TEMP TABLE live_before (object_type VARCHAR, object_id VARCHAR, data JSON);
-- Automatic payouts whose composition this run fetched (what the tie-out check looks at).
CREATE OR REPLACE TEMP TABLE composition_targets (payout_id VARCHAR);
-- Object types with current-state tables (observations of them inside other objects count).
CREATE OR REPLACE TEMP TABLE tracked_types (object_type VARCHAR);
