-- What the demo extracted for one tenant, per settlement currency.
SELECT
    bt.currency,
    count(*)                                                    AS balance_transactions,
    sum(bt.amount) FILTER (WHERE bt.reporting_category = 'charge') AS gross_charges,
    sum(bt.fee)                                                 AS fees,
    sum(bt.net)                                                 AS net,
    (SELECT count(*) FROM staging.payouts p WHERE p.currency = bt.currency AND p.automatic)     AS automatic_payouts,
    (SELECT count(*) FROM staging.payouts p WHERE p.currency = bt.currency AND NOT p.automatic) AS manual_payouts
FROM staging.balance_transactions bt
WHERE bt.partition_date BETWEEN ? AND ?
GROUP BY bt.currency
ORDER BY bt.currency
