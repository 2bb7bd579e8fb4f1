INSERT INTO jr_labels VALUES (?, ?, ?);
