-- A batch of answers (files written as they arrived) split into objects, and into observations: each
-- object itself, the source expanded inside a balance transaction (its state at fetch time) and the
-- object inside an event (its state at the event).
CREATE OR REPLACE TEMP TABLE batch_parts AS
WITH items AS (
    SELECT p.seq, p.origin, p.parent_id, p.observed_at, p.page_index,
           unnest(p.items) AS data, unnest(range(len(p.items))) AS idx
    FROM (
        SELECT m.*, json_extract(t.content, '$.data[*]') AS items
        FROM read_text($files) t
        JOIN fetched_pages m ON m.file = t.filename
    ) p
),
direct AS (
    -- One parse per object for what sorting it needs; an event's object and a source come out as JSON.
    SELECT seq, idx, 'object' AS part, origin, parent_id, to_timestamp(observed_at) AS observed_at,
           page_index * 100 + idx AS position, NULL::VARCHAR AS event_type, data,
           from_json(data, '{"object": "VARCHAR", "id": "VARCHAR", "type": "VARCHAR", "created": "BIGINT",
                             "deleted": "BOOLEAN", "source": "JSON", "data": {"object": "JSON"}}') AS j
    FROM items
),
inner_parts AS (
    SELECT seq, idx, 'source' AS part, 'expand' AS origin, j.id AS parent_id, observed_at, position,
           NULL::VARCHAR AS event_type, j.source AS data
    FROM direct
    WHERE j.object = 'balance_transaction' AND json_type(j.source) = 'OBJECT'
    UNION ALL
    SELECT seq, idx, 'payload' AS part, 'event' AS origin, j.id AS parent_id, to_timestamp(j.created), position,
           j.type AS event_type, j.data.object AS data
    FROM direct
    WHERE j.object = 'event' AND json_type(j.data.object) = 'OBJECT'
)
SELECT seq, idx, part, origin, parent_id, observed_at, position, event_type, data,
       j.object AS object_type, j.id AS object_id, j.created, j.deleted
FROM direct
UNION ALL
SELECT * EXCLUDE (k), k.object, k.id, k.created, k.deleted
FROM (
    SELECT *, from_json(data, '{"object": "VARCHAR", "id": "VARCHAR", "created": "BIGINT", "deleted": "BOOLEAN"}') AS k
    FROM inner_parts
);
