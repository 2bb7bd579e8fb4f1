INSERT INTO jr_rules VALUES (?, ?, ?);
