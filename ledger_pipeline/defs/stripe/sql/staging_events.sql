-- Day slice: the events created in the partition's window (Stripe keeps them `events_retention_days`).
DELETE FROM staging.events WHERE partition_date = (SELECT partition_date FROM extraction_run);
INSERT INTO staging.events
SELECT j.id, partition_date, j.type, to_timestamp(j.created), j.data.object.object, j.data.object.id, j.account,
       j.api_version, j.request.id, j.request.idempotency_key, j.pending_webhooks, extracted_at
FROM (
    SELECT o.partition_date, o.extracted_at,
           from_json(o.data, '{"id": "VARCHAR", "type": "VARCHAR", "created": "BIGINT", "account": "VARCHAR",
               "api_version": "VARCHAR", "pending_webhooks": "BIGINT",
               "request": {"id": "VARCHAR", "idempotency_key": "VARCHAR"},
               "data": {"object": {"object": "VARCHAR", "id": "VARCHAR"}}}') AS j
    FROM raw.stripe_objects o
    WHERE o.partition_date = (SELECT partition_date FROM extraction_run)
      AND o.object_type = 'event' AND o.origin = 'list'
);
