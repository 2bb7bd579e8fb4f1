-- The version being (re)loaded, for the statements that follow.
CREATE OR REPLACE TEMP TABLE mapping_load AS SELECT $version::VARCHAR AS version;
