-- The two lines of each Xero benchmark document (see load_xero_entries.sql), on the Xero sandbox's US chart:
-- a sale on Stripe Clearing (091) and Sales (200); the day's fees on Stripe Fees (405) paid from Stripe Clearing.
INSERT INTO journal.lines (entry_key, line_no, role, role_key, description, account_ref, account_name, debit, credit,
                           books_debit, books_credit, currency, books_currency, tax_code_ref, mapping_version)
SELECT e.entry_key, l.line_no, l.role, l.role_key, l.description, l.account_ref, l.account_name, l.debit, l.credit,
       l.debit, l.credit, 'usd', 'usd', NULL, $version
FROM journal.entries AS e
CROSS JOIN LATERAL (
    SELECT * FROM (VALUES
        ('sales_receipt', 1, 'clearing', 'usd', 'Deposited to Stripe Clearing', '091', 'Stripe Clearing',
         e.total_debit, 0),
        ('sales_receipt', 2, 'revenue', '', 'Sales', '200', 'Sales', 0, e.total_debit),
        ('daily_stripe_fees', 1, 'clearing', 'usd', 'Paid from Stripe Clearing', '091', 'Stripe Clearing', 0,
         e.total_debit),
        ('daily_stripe_fees', 2, 'fee', 'stripe_fee', 'Stripe processing fees', '405', 'Stripe Fees', e.total_debit, 0))
        AS v(kind, line_no, role, role_key, description, account_ref, account_name, debit, credit)
    WHERE v.kind = e.kind) AS l
WHERE e.tenant = $tenant AND e.anchor_date = $day
