-- The accounting checks' results, one row per day partition and check, as the audit pack writes them.
CREATE OR REPLACE TEMP TABLE audit_check_results (
    tenant       VARCHAR NOT NULL,
    day          DATE    NOT NULL,
    check_name   VARCHAR NOT NULL,
    passed       BOOLEAN NOT NULL,
    severity     VARCHAR NOT NULL,
    description  VARCHAR,
    metadata     JSON
);
