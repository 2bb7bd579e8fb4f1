INSERT INTO tokens (target, company_id, payload, encrypted, access_expires_at, refresh_expires_at, version,
                    updated_at)
VALUES (:target, :company_id, :payload, :encrypted, :access_expires_at, :refresh_expires_at, 1, :now)
ON CONFLICT (target, company_id) DO UPDATE SET
    payload = excluded.payload,
    encrypted = excluded.encrypted,
    access_expires_at = excluded.access_expires_at,
    refresh_expires_at = excluded.refresh_expires_at,
    version = tokens.version + 1,
    updated_at = excluded.updated_at
