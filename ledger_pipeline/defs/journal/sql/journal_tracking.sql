-- The tracking value of each transaction being booked: the chosen metadata key on its Stripe object,
-- else on the charge behind it (a refund or dispute of a tracked sale is tracked the same way).
CREATE OR REPLACE TEMP TABLE jr_tracking AS
SELECT b.id, coalesce(coalesce(ch.metadata, rf.metadata, du.metadata, tr.metadata) ->> s.tracking_key,
                      pc.metadata ->> s.tracking_key) AS value
FROM jr_scope sc
JOIN jr_bt b ON b.id = sc.id
CROSS JOIN jr_settings s
LEFT JOIN staging.charges ch ON ch.id = b.source_id
LEFT JOIN staging.refunds rf ON rf.id = b.source_id
LEFT JOIN staging.disputes du ON du.id = b.source_id
LEFT JOIN staging.transfers tr ON tr.id = b.source_id
LEFT JOIN staging.charges pc ON pc.id = coalesce(rf.charge, du.charge);
