-- Objects the demo holds for one tenant, by kind, and what was quarantined.
SELECT 'charges' AS kind, count(*) AS n FROM staging.charges
UNION ALL SELECT 'refunds', count(*) FROM staging.refunds
UNION ALL SELECT 'disputes', count(*) FROM staging.disputes
UNION ALL SELECT 'customers', count(*) FROM staging.customers
UNION ALL SELECT 'invoices', count(*) FROM staging.invoices
UNION ALL SELECT 'events', count(*) FROM staging.events
UNION ALL SELECT 'quarantined', count(*) FROM quarantine.stripe_objects
