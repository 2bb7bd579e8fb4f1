INSERT INTO stripe_webhook_deliveries (event_id, signed_at) VALUES (?, ?) ON CONFLICT DO NOTHING;
