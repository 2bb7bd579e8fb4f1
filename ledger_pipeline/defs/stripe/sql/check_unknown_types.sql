-- The partition's balance transactions whose type or reporting category is not on Stripe's documented lists.
SELECT id, type, reporting_category, currency, amount
FROM staging.balance_transactions
WHERE partition_date = (SELECT partition_date FROM extraction_run)
  AND (NOT list_contains($types::VARCHAR[], type)
       OR (reporting_category IS NOT NULL AND NOT list_contains($categories::VARCHAR[], reporting_category)))
ORDER BY id;
