SELECT (SELECT count(*) FROM staging.balance_transactions) AS balance_transactions,
       (SELECT count(*) FROM staging.payouts) AS payouts,
       (SELECT count(*) FROM journal.entries) AS entries,
       (SELECT count(*) FROM journal.lines) AS lines,
       (SELECT count(*) FROM journal.line_sources) AS line_sources,
       (SELECT count(*) FROM quarantine.journal_entries) AS quarantined,
       (SELECT count(*) FILTER (WHERE status = 'booked') FROM journal.bookings) AS booked,
       (SELECT max(created)::DATE FROM staging.payouts) AS last_payout_day;
