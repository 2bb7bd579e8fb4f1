"""Thin clients for the books targets (QuickBooks Online, Xero), built on the real client libraries and
the shared posting machinery in `ledger_pipeline.posting`. A sandbox is just another base address."""
