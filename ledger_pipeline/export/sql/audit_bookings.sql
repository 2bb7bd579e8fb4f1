-- Where every balance transaction stands: booked (in which entry), quarantined, or awaiting its payout.
SELECT * FROM journal.bookings WHERE tenant = $tenant ORDER BY mode, created, balance_transaction_id;
