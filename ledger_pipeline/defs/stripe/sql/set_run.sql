INSERT INTO extraction_run VALUES ($tenant, $partition_date, $window_start, $window_end, $extracted_at, $server_now, $snapshot_at);
