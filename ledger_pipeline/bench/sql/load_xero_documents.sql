-- What journal.documents says about each Xero benchmark document: who is on the other side (a new customer per
-- payment; Stripe for the fees), where the money went.
INSERT INTO journal.documents (entry_key, tenant, group_key, status, source_type, source_id, number, applies_to,
                               counterparty_type, counterparty_name, counterparty_email, deposit_account_ref,
                               deposit_account_name, built_at)
SELECT e.entry_key, e.tenant, e.entry_key, NULL,
       CASE e.kind WHEN 'sales_receipt' THEN 'charge' ELSE 'balance_transaction' END, e.reference, NULL, NULL,
       CASE e.kind WHEN 'sales_receipt' THEN 'customer' ELSE 'stripe' END,
       CASE e.kind WHEN 'sales_receipt' THEN printf('Bench Customer %s', e.counterparty) ELSE 'Stripe' END,
       CASE e.kind WHEN 'sales_receipt' THEN printf('%s@bench.invalid', e.counterparty) END, '091', 'Stripe Clearing',
       now()
FROM journal.entries AS e
WHERE e.tenant = $tenant AND e.anchor_date = $day
