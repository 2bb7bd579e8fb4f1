-- The two lines of each benchmark document: the sale on Stripe Clearing and Uncategorized Income, the fee on
-- Stripe Fees paid from Stripe Clearing (see load_quickbooks_entries.sql).
INSERT INTO journal.lines (entry_key, line_no, role, role_key, description, account_ref, account_name, debit, credit,
                           books_debit, books_credit, currency, books_currency, tax_code_ref, mapping_version)
SELECT e.entry_key, l.line_no, l.role, l.role_key, l.description, l.account_ref, l.account_name, l.debit, l.credit,
       l.debit, l.credit, 'usd', 'usd', l.tax_code, $version
FROM journal.entries AS e
CROSS JOIN LATERAL (
    SELECT * FROM (VALUES
        ('sales_receipt', 1, 'clearing', 'usd', 'Deposited to Stripe Clearing', '3', 'Stripe Clearing',
         e.total_debit, 0, NULL),
        ('sales_receipt', 2, 'revenue', '', 'Sales', '24', 'Uncategorized Income', 0, e.total_debit, 'NON'),
        ('transaction_fees', 1, 'clearing', 'usd', 'Paid from Stripe Clearing', '3', 'Stripe Clearing', 0,
         e.total_debit, NULL),
        ('transaction_fees', 2, 'fee', 'stripe_fee', 'Stripe processing fees', '31', 'Stripe Fees', e.total_debit, 0,
         NULL)) AS v(kind, line_no, role, role_key, description, account_ref, account_name, debit, credit, tax_code)
    WHERE v.kind = e.kind) AS l
WHERE e.tenant = $tenant AND e.anchor_date = $day AND e.reference LIKE 'ch_bench%'
  AND NOT EXISTS (SELECT 1 FROM journal.lines AS x WHERE x.entry_key = e.entry_key)
