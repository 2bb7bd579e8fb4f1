-- The tenant's own Stripe account as the extraction last saw it: its currency and payout schedule.
SELECT default_currency, payout_interval
FROM staging.accounts
WHERE is_tenant
ORDER BY observed_at DESC
LIMIT 1;
