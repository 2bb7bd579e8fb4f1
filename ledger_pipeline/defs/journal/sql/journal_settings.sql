-- What this run books: one tenant, its posting mode, its mapping version, its reporting day, its books currency.
CREATE OR REPLACE TEMP TABLE jr_settings AS
SELECT $tenant::VARCHAR AS tenant, $mode::VARCHAR AS mode, $version::VARCHAR AS version,
       $mapping_file::VARCHAR AS mapping_file, $timezone::VARCHAR AS timezone, $start_day::DATE AS start_day,
       $start_at::TIMESTAMPTZ AS start_at, $day::DATE AS day, $day_start::TIMESTAMPTZ AS day_start,
       $day_end::TIMESTAMPTZ AS day_end, $books_currency::VARCHAR AS books_currency,
       $payout_schedule::VARCHAR AS payout_schedule, $tracking_key::VARCHAR AS tracking_key,
       $tracking_dimension::VARCHAR AS tracking_dimension, $discounts_apart::BOOLEAN AS discounts_apart,
       $opening_as_of::DATE AS opening_as_of, $built_at::TIMESTAMPTZ AS built_at;
