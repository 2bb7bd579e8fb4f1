-- DuckDB's memory ceiling for the run: past it, joins, sorts and aggregates spill to the database's temp folder.
SET memory_limit = $limit;
