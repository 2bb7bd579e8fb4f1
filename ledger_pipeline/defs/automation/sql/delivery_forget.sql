-- A delivery signed before the tolerance window is refused on its timestamp alone: no need to remember it.
DELETE FROM stripe_webhook_deliveries WHERE signed_at < ?;
