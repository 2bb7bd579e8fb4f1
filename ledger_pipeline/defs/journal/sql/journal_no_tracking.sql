-- No tracking dimension in the mapping: nothing to look up.
CREATE OR REPLACE TEMP TABLE jr_tracking (id VARCHAR, value VARCHAR);
