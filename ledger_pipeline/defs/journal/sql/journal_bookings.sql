-- Where each transaction stands now: booked in an entry, held in quarantine, or waiting for its payout.
-- Only the rows this run can have changed are replaced: the transactions of the entries it looked at,
-- those still waiting, and those Stripe no longer lists.
CREATE OR REPLACE TEMP TABLE jr_bookings AS
SELECT s.tenant, s.mode, h.id AS balance_transaction_id,
       CASE WHEN h.entry_key IN (SELECT entry_key FROM jr_entries) THEN 'booked'
            WHEN h.entry_key IN (SELECT entry_key FROM jr_quarantine) THEN 'quarantined'
            ELSE 'awaiting_payout' END AS status,
       h.kind, h.entry_key, h.payout_id, h.currency, h.net, h.created,
       CASE WHEN h.entry_key IN (SELECT entry_key FROM jr_entries) THEN NULL
            WHEN h.entry_key IN (SELECT entry_key FROM jr_quarantine)
                THEN (SELECT min(reason) FROM jr_quarantine q WHERE q.entry_key = h.entry_key)
            ELSE h.waiting END AS reason,
       s.built_at AS updated_at
FROM jr_homes h
CROSS JOIN jr_settings s
WHERE h.entry_key IS NULL OR h.entry_key IN (SELECT entry_key FROM jr_rebuild);

DELETE FROM journal.bookings
WHERE tenant = (SELECT tenant FROM jr_settings) AND mode = (SELECT mode FROM jr_settings)
  AND (balance_transaction_id IN (SELECT balance_transaction_id FROM jr_bookings)
       OR balance_transaction_id NOT IN (SELECT id FROM jr_homes)
       OR entry_key IN (SELECT entry_key FROM jr_rebuild));

INSERT INTO journal.bookings SELECT * FROM jr_bookings;
