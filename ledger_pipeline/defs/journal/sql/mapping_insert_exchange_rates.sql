INSERT INTO mapping.exchange_rates VALUES (?, ?, ?, ?, ?);
