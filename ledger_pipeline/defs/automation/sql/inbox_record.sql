INSERT INTO stripe_event_inbox (event_id, tenant, event_type, event_created, received_by, received_at, payload)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (event_id) DO NOTHING;
