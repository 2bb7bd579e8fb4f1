-- The yardstick: one plain pass over the same staged rows, totals by currency and category.
SELECT currency, reporting_category, count(*), sum(amount), sum(fee), sum(net)
FROM staging.balance_transactions
GROUP BY currency, reporting_category;
