-- The token store (SQLite, outside the repository, 0600). One row per (target, company).
CREATE TABLE IF NOT EXISTS tokens (
    target             TEXT    NOT NULL,  -- quickbooks | xero
    company_id         TEXT    NOT NULL,  -- realm id / tenant id
    payload            BLOB    NOT NULL,  -- the token set as JSON, Fernet-encrypted when a key is configured
    encrypted          INTEGER NOT NULL,  -- 1 when payload is encrypted
    access_expires_at  REAL,              -- epoch seconds (not secret: lets `doctor` report without the key)
    refresh_expires_at REAL,
    version            INTEGER NOT NULL,  -- +1 on every write (each rotation)
    updated_at         REAL    NOT NULL,
    PRIMARY KEY (target, company_id)
)
