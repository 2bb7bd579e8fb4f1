-- Which entries this run (re)builds: those of the partition's day, any whose set of transactions differs
-- from what is stored (new, grown, moved, gone), every quarantined one (its mapping may be fixed now) and
-- the opening balance. Everything else stays as stored, so posted entries are not churned.
CREATE OR REPLACE TEMP TABLE jr_stored AS
SELECT balance_transaction_id, entry_key
FROM journal.bookings
WHERE tenant = (SELECT tenant FROM jr_settings) AND mode = (SELECT mode FROM jr_settings)
  AND status IN ('booked', 'quarantined');

CREATE OR REPLACE TEMP TABLE jr_rebuild AS
SELECT entry_key FROM jr_homes
WHERE entry_key IS NOT NULL AND (anchor_date = (SELECT day FROM jr_settings) OR kind = 'opening_balance')
UNION
SELECT h.entry_key
FROM jr_homes h
LEFT JOIN jr_stored s ON s.balance_transaction_id = h.id
WHERE h.entry_key IS NOT NULL AND s.entry_key IS DISTINCT FROM h.entry_key
UNION
SELECT s.entry_key
FROM jr_stored s
LEFT JOIN jr_homes h ON h.id = s.balance_transaction_id
WHERE s.entry_key IS DISTINCT FROM h.entry_key
UNION
SELECT entry_key FROM quarantine.journal_entries
WHERE tenant = (SELECT tenant FROM jr_settings) AND mode = (SELECT mode FROM jr_settings)
UNION
SELECT entry_key FROM journal.entries
WHERE tenant = (SELECT tenant FROM jr_settings) AND mode = (SELECT mode FROM jr_settings) AND kind = 'opening_balance'
UNION
SELECT entry_key FROM jr_openings;

-- The transactions of the entries being built.
CREATE OR REPLACE TEMP TABLE jr_scope AS
SELECT h.* FROM jr_homes h WHERE h.entry_key IN (SELECT entry_key FROM jr_rebuild);
