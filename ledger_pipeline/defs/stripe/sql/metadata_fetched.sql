-- How many distinct objects of each type the partition's slice holds, by why they were fetched.
SELECT object_type, origin, count(DISTINCT object_id) AS objects
FROM raw.stripe_objects
WHERE partition_date = (SELECT partition_date FROM extraction_run)
GROUP BY ALL
ORDER BY ALL;
