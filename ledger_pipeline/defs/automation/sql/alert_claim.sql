INSERT INTO sent_alerts (alert_key, channel, run_id, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING;
