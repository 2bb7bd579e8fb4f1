SELECT object_type, object_id, origin, reason
FROM quarantine.stripe_objects
WHERE partition_date = (SELECT partition_date FROM extraction_run)
ORDER BY object_type, object_id;
