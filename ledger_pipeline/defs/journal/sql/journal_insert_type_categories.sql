INSERT INTO jr_type_categories VALUES (?, ?);
