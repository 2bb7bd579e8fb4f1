SELECT count(*) > 0 FROM mapping.accounts WHERE version = $version AND role = $role;
