-- Day slice, a batch at a time: the events created in the partition's window (Stripe keeps them
-- `events_retention_days`).
INSERT INTO staging.events
SELECT j.id, run.partition_date, j.type, to_timestamp(j.created), j.data.object.object, j.data.object.id, j.account,
       j.api_version, j.request.id, j.request.idempotency_key, j.pending_webhooks, run.extracted_at
FROM (
    SELECT from_json(data, '{"id": "VARCHAR", "type": "VARCHAR", "created": "BIGINT", "account": "VARCHAR",
               "api_version": "VARCHAR", "pending_webhooks": "BIGINT",
               "request": {"id": "VARCHAR", "idempotency_key": "VARCHAR"},
               "data": {"object": {"object": "VARCHAR", "id": "VARCHAR"}}}') AS j
    FROM batch_objects
    WHERE object_type = 'event' AND origin = 'list'
      AND object_id NOT IN (
          SELECT id FROM staging.events WHERE partition_date = (SELECT partition_date FROM extraction_run))
), extraction_run run;
