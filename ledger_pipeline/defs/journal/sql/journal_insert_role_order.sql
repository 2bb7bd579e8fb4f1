INSERT INTO jr_role_order VALUES (?, ?);
