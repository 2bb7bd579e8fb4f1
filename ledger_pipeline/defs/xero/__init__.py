"""Posting to Xero: `xero/preflight` (blocking checks on the organisation) and `xero/posted_entries` (the
loader, with its read-back checks), on the shared posting protocol (ledger_pipeline.posting) and our Xero
client (ledger_pipeline.targets.xero). It mirrors the QuickBooks loader and reads the same journal
(defs/quickbooks/entries.py).

    adapter.py       markers; payout-summary journal entries -> ManualJournal (base currency)
    documents.py     per-transaction documents -> BankTransactions (receive/spend money on Stripe Clearing),
                     Invoices, Payments, CreditNotes (+ allocation), BankTransfers; ManualJournals otherwise
    master_data.py   contacts, items, tracking: matched before created
    organisation.py  the configured resource aimed at the tenant's organisation; calls counted; the day's budget
    budget.py        the calls each posting step takes, counted before it begins
    readiness.py     what preflight looks at, and the fix for each finding
    post.py          one tenant-day through the Poster, in order, within the day's budget
    read_back.py     the checks after posting
    preflight.py, loader.py   the assets
"""
