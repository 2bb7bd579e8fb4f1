-- What the mapping loader reads about the tenant's own Stripe account (currency, payout schedule), copied
-- from its warehouse into a scratch one.
INSERT INTO staging.accounts (id, default_currency, payout_interval, is_tenant, partition_date, observed_at,
                              extracted_at)
VALUES ('tenant', $currency, $interval, true, current_date, now(), now());
