INSERT INTO jr_category_kinds VALUES (?, ?, ?);
