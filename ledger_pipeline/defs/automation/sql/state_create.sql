-- Stripe events waiting to become runs, whichever way they came (webhook or polling); one row per event.
CREATE TABLE IF NOT EXISTS stripe_event_inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- arrival order: the events sensor drains past its cursor
    event_id TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event_created INTEGER NOT NULL,
    received_by TEXT NOT NULL,               -- 'webhook' or 'poll'
    received_at REAL NOT NULL,
    payload TEXT NOT NULL
);

-- Signed webhook deliveries still inside the signature tolerance: the same (event, timestamp) twice is a replay.
CREATE TABLE IF NOT EXISTS stripe_webhook_deliveries (
    event_id TEXT NOT NULL,
    signed_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, signed_at)
);

-- One row per alert and channel already delivered, so a retried run never sends it again.
CREATE TABLE IF NOT EXISTS sent_alerts (
    alert_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    run_id TEXT NOT NULL,
    sent_at REAL NOT NULL,
    PRIMARY KEY (alert_key, channel)
);
