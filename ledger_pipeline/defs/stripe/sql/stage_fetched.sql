-- Split the fetched pages into objects, and into observations: each object itself, the source expanded
-- inside a balance transaction (its state at fetch time) and the object inside an event (its state at the
-- event). Rejected parts are left out; repeats of one observation (a boundary second fetched twice) too.
CREATE OR REPLACE TEMP TABLE fetched_parts AS
WITH items AS (
    SELECT seq, origin, parent_id, observed_at, page_index,
           unnest(items) AS data, unnest(range(len(items))) AS idx
    FROM (SELECT *, json_extract(body, '$.data[*]') AS items FROM fetched_pages)
),
direct AS (
    SELECT seq, idx, 'object' AS part, origin, parent_id, to_timestamp(observed_at) AS observed_at,
           page_index * 100 + idx AS position, NULL::VARCHAR AS event_type, data
    FROM items
),
sources AS (
    SELECT seq, idx, 'source' AS part, 'expand' AS origin, data ->> '$.id' AS parent_id, observed_at, position,
           NULL::VARCHAR AS event_type, data -> '$.source' AS data
    FROM direct
    WHERE data ->> '$.object' = 'balance_transaction' AND json_type(data, '$.source') = 'OBJECT'
),
payloads AS (
    SELECT seq, idx, 'payload' AS part, 'event' AS origin, data ->> '$.id' AS parent_id,
           to_timestamp((data ->> '$.created')::BIGINT) AS observed_at, position,
           data ->> '$.type' AS event_type, data -> '$.data.object' AS data
    FROM direct
    WHERE data ->> '$.object' = 'event' AND json_type(data, '$.data.object') = 'OBJECT'
)
SELECT *, data ->> '$.object' AS object_type, data ->> '$.id' AS object_id FROM direct
UNION ALL
SELECT *, data ->> '$.object' AS object_type, data ->> '$.id' AS object_id FROM sources
UNION ALL
SELECT *, data ->> '$.object' AS object_type, data ->> '$.id' AS object_id FROM payloads;

CREATE OR REPLACE TEMP TABLE fetched_objects AS
SELECT object_type, object_id, origin, parent_id, observed_at, position,
       coalesce(data ->> '$.deleted' = 'true', false) OR coalesce(event_type LIKE '%.deleted', false) AS deleted,
       NOT list_has_all(['id', 'object', 'deleted'], json_keys(data)) AS has_fields,
       data
FROM fetched_parts p
WHERE (part = 'object' OR object_type IN (SELECT object_type FROM tracked_types))
  AND NOT EXISTS (SELECT 1 FROM fetched_rejects r WHERE r.seq = p.seq AND r.idx = p.idx AND r.part = p.part)
QUALIFY row_number() OVER (PARTITION BY object_type, object_id, origin, parent_id ORDER BY seq, idx) = 1;

CREATE OR REPLACE TEMP TABLE fetched_quarantine AS
SELECT r.object_type, r.object_id, p.origin, p.parent_id, r.reason, p.data
FROM fetched_rejects r
LEFT JOIN fetched_parts p ON p.seq = r.seq AND p.idx = r.idx AND p.part = r.part;
