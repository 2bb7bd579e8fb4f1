-- The lines of the entries being posted, in line order. Lines worth nothing in the books currency are left
-- out: QuickBooks has nothing to post for them.
SELECT entry_key, line_no, role, role_key, description, account_ref, account_name, books_debit, books_credit,
       tax_code_ref, item_ref, item_name, quantity, unit_amount, tracking_dimension, tracking_ref, tracking_name
FROM journal.lines
WHERE list_contains($keys, entry_key) AND (books_debit <> 0 OR books_credit <> 0)
ORDER BY entry_key, line_no
