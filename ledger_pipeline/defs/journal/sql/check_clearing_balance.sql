-- Stripe Clearing as the books show it at the end of the partition's day (every entry dated up to then)
-- against Stripe's balance then: the opening balance plus the net of every transaction created since.
-- Transactions created by then that no entry dated by then books (waiting for their payout, held in
-- quarantine) are the reconciling items between the two.
WITH clearing_lines AS (
    SELECT e.currency, e.kind, e.entry_date, ls.balance_transaction_id, ls.amount
    FROM journal.entries e
    JOIN journal.lines l ON l.entry_key = e.entry_key AND l.role = 'clearing'
    JOIN journal.line_sources ls ON ls.entry_key = l.entry_key AND ls.line_no = l.line_no
    WHERE e.tenant = $tenant
),
books AS (
    SELECT currency, sum(amount) FILTER (WHERE entry_date <= $day) AS clearing,
           sum(amount) FILTER (WHERE kind = 'opening_balance') AS opening
    FROM clearing_lines GROUP BY 1
),
staged AS (
    SELECT id, currency, net, available_on FROM staging.balance_transactions
    WHERE created >= $start_at AND created < $day_end
),
booked_by_day AS (
    SELECT DISTINCT balance_transaction_id AS id FROM clearing_lines WHERE entry_date <= $day
),
stripe AS (
    SELECT currency, sum(net) AS net, sum(net) FILTER (WHERE available_on <= $day_end) AS available_net,
           sum(net) FILTER (WHERE id NOT IN (SELECT id FROM booked_by_day)) AS in_transit,
           count(*) FILTER (WHERE id NOT IN (SELECT id FROM booked_by_day)) AS in_transit_count
    FROM staged GROUP BY 1
)
SELECT coalesce(s.currency, b.currency) AS currency, coalesce(b.opening, 0) AS opening,
       coalesce(b.opening, 0) + coalesce(s.net, 0) AS stripe_balance,
       coalesce(b.opening, 0) + coalesce(s.available_net, 0) AS stripe_available,
       coalesce(b.clearing, 0) AS books_clearing, coalesce(s.in_transit, 0) AS in_transit,
       coalesce(s.in_transit_count, 0) AS in_transit_count
FROM stripe s
FULL JOIN books b ON b.currency = s.currency
ORDER BY 1;
