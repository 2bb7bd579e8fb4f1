-- The mode's entries dated inside the window, in date order.
SELECT entry_key, kind, document_type, entry_date, currency, books_currency, payout_id, counterparty, reference,
       memo, content_hash, mapping_version, source_count
FROM journal.entries
WHERE tenant = $tenant AND mode = $mode
  AND ($date_from IS NULL OR entry_date >= $date_from) AND ($date_to IS NULL OR entry_date <= $date_to)
ORDER BY entry_date, entry_key;
