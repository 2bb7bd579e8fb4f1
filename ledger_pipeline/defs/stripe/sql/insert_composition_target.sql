INSERT INTO composition_targets VALUES (?);
