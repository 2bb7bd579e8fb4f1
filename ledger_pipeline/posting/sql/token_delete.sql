DELETE FROM tokens WHERE target = :target AND company_id = :company_id
