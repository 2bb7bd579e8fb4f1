SELECT seq, tenant, payload FROM stripe_event_inbox WHERE seq > ? ORDER BY seq LIMIT ?;
