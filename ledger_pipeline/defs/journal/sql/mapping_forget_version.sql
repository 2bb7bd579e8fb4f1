-- Reloading a version replaces its rows (the file is the same; what it resolves to may not be).
DELETE FROM mapping.accounts WHERE version = (SELECT version FROM mapping_load);
DELETE FROM mapping.products WHERE version = (SELECT version FROM mapping_load);
DELETE FROM mapping.tax_rates WHERE version = (SELECT version FROM mapping_load);
DELETE FROM mapping.tracking WHERE version = (SELECT version FROM mapping_load);
DELETE FROM mapping.exchange_rates WHERE version = (SELECT version FROM mapping_load);
DELETE FROM mapping.opening_balances WHERE version = (SELECT version FROM mapping_load);
DELETE FROM mapping.versions WHERE version = (SELECT version FROM mapping_load);
