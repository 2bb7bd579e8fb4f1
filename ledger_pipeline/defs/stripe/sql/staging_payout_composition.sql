-- What each automatic payout paid out, from the most recent run that listed `?payout=`.
DELETE FROM staging.payout_composition
WHERE payout_id IN (SELECT parent_id FROM affected_parents WHERE origin = 'payout');

INSERT INTO staging.payout_composition
SELECT parent_id, j.id, j.type, j.reporting_category, j.amount, j.fee, j.net, j.currency, to_timestamp(j.created),
       CASE json_type(j.source) WHEN 'OBJECT' THEN j.source ->> '$.id' WHEN 'VARCHAR' THEN j.source ->> '$' END,
       partition_date, observed_at, extracted_at
FROM (
    SELECT o.parent_id, o.partition_date, o.observed_at, o.extracted_at, o.position,
           dense_rank() OVER (PARTITION BY o.parent_id ORDER BY o.extracted_at DESC, o.partition_date DESC) AS fetch_rank,
           from_json(o.data, '{"id": "VARCHAR", "type": "VARCHAR", "reporting_category": "VARCHAR",
               "amount": "BIGINT", "fee": "BIGINT", "net": "BIGINT", "currency": "VARCHAR", "created": "BIGINT",
               "source": "JSON"}') AS j
    FROM raw.stripe_objects o
    WHERE o.origin = 'payout' AND o.parent_id IN (SELECT parent_id FROM affected_parents WHERE origin = 'payout')
)
WHERE fetch_rank = 1
QUALIFY row_number() OVER (PARTITION BY parent_id, j.id ORDER BY position) = 1;
