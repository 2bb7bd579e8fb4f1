-- Money created in the partition's window, per object type and currency (integer minor units).
SELECT object_type, data ->> '$.currency' AS currency, count(*) AS objects,
       sum((data ->> '$.amount')::BIGINT) AS amount,
       sum((data ->> '$.fee')::BIGINT) AS fee,
       sum((data ->> '$.net')::BIGINT) AS net,
       sum((data ->> '$.total')::BIGINT) AS total
FROM raw.stripe_objects
WHERE partition_date = (SELECT partition_date FROM extraction_run)
  AND origin = 'list' AND data ->> '$.currency' IS NOT NULL
GROUP BY ALL
ORDER BY ALL;
