-- The partition's own transactions, per currency: Stripe's gross, fees and net against what the journal
-- booked for them (plus what is not booked yet), and any transaction booked with different figures.
WITH staged AS (
    SELECT id, currency, amount, fee, net FROM staging.balance_transactions
    WHERE created >= $day_start AND created < $day_end AND created >= $start_at
),
booked AS (
    SELECT ls.balance_transaction_id AS id,
           -coalesce(sum(ls.amount) FILTER (WHERE ls.component = 'gross'), 0) AS gross,
           coalesce(sum(ls.amount) FILTER (WHERE ls.component = 'fee'), 0) AS fee,
           coalesce(sum(ls.amount) FILTER (WHERE ls.component = 'net'), 0) AS net
    FROM journal.line_sources ls
    JOIN journal.entries e ON e.entry_key = ls.entry_key AND e.tenant = $tenant
    WHERE ls.balance_transaction_id IN (SELECT id FROM staged)
    GROUP BY 1
)
SELECT s.currency, count(*) AS transactions, sum(s.amount), sum(s.fee), sum(s.net),
       count(b.id) AS booked, coalesce(sum(b.gross), 0), coalesce(sum(b.fee), 0), coalesce(sum(b.net), 0),
       coalesce(sum(s.amount) FILTER (WHERE b.id IS NULL), 0), coalesce(sum(s.fee) FILTER (WHERE b.id IS NULL), 0),
       coalesce(sum(s.net) FILTER (WHERE b.id IS NULL), 0),
       coalesce(list(s.id ORDER BY s.id) FILTER (WHERE b.id IS NOT NULL AND (b.gross <> s.amount OR b.fee <> s.fee
                                                                          OR b.net <> s.net)), [])
FROM staged s
LEFT JOIN booked b ON b.id = s.id
GROUP BY s.currency
ORDER BY s.currency;
