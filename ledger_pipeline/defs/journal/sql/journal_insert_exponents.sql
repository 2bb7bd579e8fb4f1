INSERT INTO jr_exponents VALUES (?, ?);
