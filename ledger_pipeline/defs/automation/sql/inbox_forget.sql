-- Drained events old enough that neither Stripe's webhook retries nor polling can bring them back.
DELETE FROM stripe_event_inbox WHERE seq <= ? AND received_at < ?;
