INSERT INTO mapping.opening_balances VALUES (?, ?, ?, ?);
