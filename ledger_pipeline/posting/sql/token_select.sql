SELECT payload, encrypted, version FROM tokens WHERE target = :target AND company_id = :company_id
