INSERT INTO tracked_types VALUES (?);
