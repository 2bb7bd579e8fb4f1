INSERT INTO mapping.tracking VALUES (?, ?, ?, ?, ?);
