-- What the run just did: entries written, entry keys looked at, entries held back.
SELECT (SELECT count(*) FROM jr_entries), (SELECT count(*) FROM jr_rebuild),
       (SELECT count(DISTINCT entry_key) FROM jr_quarantine);
