-- The tenant's journal in numbers, and the part of it the partition's day owns.
SELECT (SELECT count(*) FROM journal.entries WHERE tenant = $tenant),
       (SELECT count(*) FROM journal.lines l JOIN journal.entries e ON e.entry_key = l.entry_key WHERE e.tenant = $tenant),
       (SELECT count(*) FROM journal.entries WHERE tenant = $tenant AND anchor_date = $day),
       (SELECT count(*) FROM journal.lines l JOIN journal.entries e ON e.entry_key = l.entry_key
        WHERE e.tenant = $tenant AND e.anchor_date = $day),
       (SELECT count(DISTINCT entry_key) FROM quarantine.journal_entries WHERE tenant = $tenant),
       (SELECT count(*) FROM journal.bookings WHERE tenant = $tenant AND status = 'awaiting_payout'),
       (SELECT count(*) FROM journal.bookings WHERE tenant = $tenant AND status = 'booked');
