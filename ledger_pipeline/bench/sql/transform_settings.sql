-- What to synthesize: this many balance transactions (payouts' own included) over this many days.
CREATE OR REPLACE TEMP TABLE bench_settings AS
SELECT $transactions::BIGINT AS transactions, $days::INTEGER AS days, $start::TIMESTAMPTZ AS start_at,
       $transactions::BIGINT - 4 * $days::INTEGER AS activity;
