-- The day partitions to check: from the first day booked to the last day Stripe or the journal has.
SELECT max(day) FROM (
    SELECT max(timezone($timezone, created))::DATE AS day FROM staging.balance_transactions
    UNION ALL
    SELECT max(anchor_date) FROM journal.entries WHERE tenant = $tenant
);
