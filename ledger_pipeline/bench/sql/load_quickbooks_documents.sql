-- What journal.documents says about each benchmark document: who is on the other side, where the money went.
INSERT INTO journal.documents (entry_key, tenant, group_key, status, source_type, source_id, number, applies_to,
                               counterparty_type, counterparty_name, counterparty_email, deposit_account_ref,
                               deposit_account_name, built_at)
SELECT e.entry_key, e.tenant, printf('%s/per_transaction/sales_receipt/%s', e.tenant, e.reference), NULL,
       CASE e.kind WHEN 'sales_receipt' THEN 'charge' ELSE 'balance_transaction' END, e.reference, NULL, NULL,
       CASE e.kind WHEN 'sales_receipt' THEN 'customer' ELSE 'stripe' END,
       CASE e.kind WHEN 'sales_receipt' THEN printf('Bench Customer %s', e.reference) ELSE 'Stripe' END,
       CASE e.kind WHEN 'sales_receipt' THEN printf('%s@bench.invalid', e.reference) END, '3', 'Stripe Clearing', now()
FROM journal.entries AS e
WHERE e.tenant = $tenant AND e.anchor_date = $day AND e.reference LIKE 'ch_bench%'
  AND NOT EXISTS (SELECT 1 FROM journal.documents AS x WHERE x.entry_key = e.entry_key)
