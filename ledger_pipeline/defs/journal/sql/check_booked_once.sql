-- Balance transactions booked more than once, booked though Stripe never had them, or left unbooked
-- where nothing excuses it. Excused: held in quarantine (its own check names why), or still waiting for
-- the automatic payout that will carry it (in payout-summary mode, on an automatic schedule, while no
-- tied-out payout has passed it by).
WITH settings AS (
    SELECT v.posting_mode, v.payout_schedule FROM mapping.current c JOIN mapping.versions v ON v.version = c.version
    WHERE c.tenant = $tenant
),
-- every booking carries exactly one net part per transaction: its move on Stripe Clearing
booked AS (
    SELECT balance_transaction_id AS id, min(entry_key) AS first_entry, max(entry_key) AS last_entry,
           count(*) AS bookings
    FROM journal.line_sources
    WHERE component = 'net' AND balance_transaction_id IS NOT NULL
      AND entry_key IN (SELECT entry_key FROM journal.entries WHERE tenant = $tenant)
    GROUP BY 1
),
held AS (
    SELECT DISTINCT unnest(entry_balance_transaction_ids) AS id FROM quarantine.journal_entries WHERE tenant = $tenant
),
payouts AS (
    SELECT p.id, p.currency, p.created, p.balance_transaction,
           coalesce(sum(c.net) FILTER (WHERE c.balance_transaction_id IS DISTINCT FROM p.balance_transaction), 0)
               = p.amount AS ties_out
    FROM staging.payouts p
    LEFT JOIN staging.payout_composition c ON c.payout_id = p.id
    WHERE p.automatic
    GROUP BY p.id, p.currency, p.created, p.balance_transaction, p.amount
),
carried AS (
    SELECT DISTINCT c.balance_transaction_id AS id
    FROM staging.payout_composition c JOIN payouts p ON p.id = c.payout_id AND p.ties_out
),
staged AS (
    SELECT b.id, b.currency, b.available_on, coalesce(b.reporting_category, b.type) AS category
    FROM staging.balance_transactions b
    WHERE b.created >= $start_at
)
-- with its amounts, for the reader (a transaction only a payout carried is known from its composition)
SELECT x.id, x.problem, coalesce(b.currency, c.currency), coalesce(b.amount, c.amount), coalesce(b.net, c.net)
FROM (
    SELECT id, 'booked ' || bookings || ' times (' || first_entry || ' and ' || last_entry || ')' AS problem
    FROM booked WHERE bookings > 1
    UNION ALL
    SELECT b.id, 'booked in ' || b.first_entry || ' but not a staged transaction nor one an automatic payout carried'
    FROM booked b
    WHERE b.id NOT IN (SELECT id FROM staged)
      AND b.id NOT IN (SELECT balance_transaction_id FROM staging.payout_composition)
    UNION ALL
    SELECT st.id,
           'not booked: ' || CASE
               WHEN st.category IN ('payout', 'payout_reversal') THEN 'a payout books at once'
               WHEN st.id IN (SELECT id FROM carried) THEN 'its automatic payout tied out'
               WHEN s.posting_mode <> 'payout_summary' THEN 'every transaction is its own document'
               WHEN s.payout_schedule = 'manual' THEN 'the account pays out by hand, so nothing waits for a payout'
               ELSE 'a later automatic payout passed it by' END
    FROM staged st
    CROSS JOIN settings s
    WHERE st.id NOT IN (SELECT id FROM booked) AND st.id NOT IN (SELECT id FROM held)
      AND (st.category IN ('payout', 'payout_reversal') OR st.id IN (SELECT id FROM carried)
           OR s.posting_mode <> 'payout_summary' OR s.payout_schedule = 'manual'
           OR EXISTS (SELECT 1 FROM payouts p WHERE p.ties_out AND p.currency = st.currency
                                              AND p.created >= st.available_on + INTERVAL 1 DAY))
) x
LEFT JOIN staging.balance_transactions b ON b.id = x.id
LEFT JOIN (SELECT DISTINCT ON (balance_transaction_id) * FROM staging.payout_composition
           ORDER BY balance_transaction_id, payout_id) c ON c.balance_transaction_id = x.id
ORDER BY x.id, x.problem;
