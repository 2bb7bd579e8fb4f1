"""Posting to QuickBooks Online: `quickbooks/preflight` (blocking checks on the company) and
`quickbooks/posted_entries` (the loader, with its read-back checks), on the shared posting protocol
(ledger_pipeline.posting) and our QuickBooks client (ledger_pipeline.targets.quickbooks).

    entries.py      the journal as the loader reads it (sql/ beside it)
    adapter.py      markers; payout-summary journal entries -> JournalEntry
    documents.py    per-transaction documents -> SalesReceipt, Invoice, Payment, RefundReceipt, CreditMemo,
                    Purchase, Transfer (JournalEntry when the lines do not fit the document)
    master_data.py  customers, vendors, items: matched before created
    company.py      the configured resource aimed at the tenant's realm; calls counted, batches paced
    readiness.py    what preflight looks at, and the fix for each finding
    post.py         one tenant-day through the Poster, in order
    read_back.py    the checks after posting
    preflight.py, loader.py   the assets
"""
