-- Deletable objects we hold as alive, created inside a window this run lists in full: if the listing no
-- longer returns one, Stripe deleted it (finish_slice.sql marks it, keeping its last known fields).
INSERT INTO live_before
SELECT $object_type, c.object_id, c.data
FROM raw.current_state($object_type) c
WHERE NOT c.deleted
  AND (c.data ->> '$.created')::BIGINT >= $window_start
  AND (c.data ->> '$.created')::BIGINT < $window_end;
