-- Rows worth a look, per asset: the largest movements, failures, refunds, disputes, deletions.
SELECT * FROM (
    SELECT 'balance_transactions' AS asset, 'largest' AS label, id, abs(amount) AS weight
    FROM staging.balance_transactions WHERE partition_date = (SELECT partition_date FROM extraction_run)
    ORDER BY abs(amount) DESC, id LIMIT 3)
UNION ALL SELECT 'payouts', 'failed', id, 0 FROM staging.payouts
    WHERE partition_date = (SELECT partition_date FROM extraction_run) AND status IN ('failed', 'canceled')
UNION ALL SELECT 'payouts', 'not_automatic', id, 0 FROM staging.payouts
    WHERE partition_date = (SELECT partition_date FROM extraction_run) AND NOT automatic
UNION ALL SELECT 'charges', 'refunded', id, amount_refunded FROM staging.charges
    WHERE partition_date = (SELECT partition_date FROM extraction_run) AND amount_refunded > 0
UNION ALL SELECT 'charges', 'disputed', id, amount FROM staging.charges
    WHERE partition_date = (SELECT partition_date FROM extraction_run) AND disputed
UNION ALL SELECT 'charges', 'failed', id, amount FROM staging.charges
    WHERE partition_date = (SELECT partition_date FROM extraction_run) AND status = 'failed'
UNION ALL SELECT 'disputes', status, id, amount FROM staging.disputes
    WHERE partition_date = (SELECT partition_date FROM extraction_run)
UNION ALL SELECT 'customers', 'deleted', id, 0 FROM staging.customers
    WHERE partition_date = (SELECT partition_date FROM extraction_run) AND deleted
UNION ALL SELECT 'products', 'deleted', id, 0 FROM staging.products
    WHERE partition_date = (SELECT partition_date FROM extraction_run) AND deleted
ORDER BY asset, label, weight DESC, id;
