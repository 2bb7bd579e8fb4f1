INSERT INTO mapping.versions VALUES (
    $version, $tenant, $file, $content_hash, $books_currency, $target, $company, $posting_mode,
    $payout_schedule, $tracking_dimension, $tracking_metadata_key, $untaxed_tax_code_ref,
    $untaxed_tax_code_name, $opening_balance_as_of, $content, $loaded_at);
