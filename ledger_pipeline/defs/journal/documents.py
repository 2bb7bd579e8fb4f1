"""Build a tenant's per-transaction documents (sales receipts, invoices, payments, refund receipts, credit
notes, expenses, transfers) into the same journal tables as payout summaries, on the same steps.

The SQL runs in this order; the `journal_*` steps are shared with payout summaries (build.py):
  journal_transactions  the staged transactions since the first day booked, the automatic payouts
  journal_links       the invoice each payment paid, the credit note each refund gave back
  documents_objects   the invoices and credit notes that are documents of their own (and their voids)
  documents_homes     each transaction's document (its group), keyed tenant/per_transaction/<kind>/<id>
  journal_openings    the opening Stripe balance per currency
  journal_rebuild     which groups this run builds: its day's, changed ones, quarantined ones ...
  documents_rebuild   ... and the invoices and credit notes new, changed or of the day, and whole fee days
  journal_tracking    the tracking value of each transaction
  journal_sources     the Stripe objects behind each transaction, its conversion into the books currency
  journal_parts       the lines of the invoices and credit notes involved
  documents_parts     their lines as documents, refunds split over them, what each payment settles
  documents_postings  every amount on its document, by meaning (fees on the day's fee expense)
  journal_resolve     accounts, items, tax codes and tracking from the mapping version; what cannot be placed
  documents_info      each document's type, date, counterparty, reference; the groups held in quarantine
  documents_lines     lines, rounding, entries and their hashes
  documents_write     replace those groups' documents in one transaction; journal_bookings as in payout mode
"""

from __future__ import annotations

import datetime as dt

import duckdb

from ledger_pipeline.config import Tenant
from ledger_pipeline.defs.journal import document_rules
from ledger_pipeline.defs.journal.build import SQL, BuildSummary, CurrentMapping, prepare, run
from ledger_pipeline.lib.sql import load_sql

STEPS = ("journal_transactions", "journal_links", "documents_objects", "documents_homes", "journal_openings",
         "journal_rebuild", "documents_rebuild", "journal_tracking", "journal_sources", "journal_parts",
         "documents_parts", "documents_postings", "journal_resolve", "documents_info", "documents_lines")
WRITES = ("documents_write", "journal_bookings")


def build_documents(conn: duckdb.DuckDBPyConnection, tenant: Tenant, day: dt.date, start_date: dt.date,
                    mapping: CurrentMapping, built_at: dt.datetime | None = None) -> BuildSummary:
    """(Re)build the tenant's documents that the partition `day` owns or that changed."""
    if mapping.posting_mode != "per_transaction":
        return BuildSummary(mode=mapping.posting_mode,
                            skipped=f"{mapping.file} posts payout summaries: build.py builds them")
    prepare(conn, tenant, day, start_date, mapping, built_at)
    conn.execute(load_sql(SQL, "documents_rule_tables"))
    for name, rows in (("category_kinds", document_rules.category_kind_rows()),
                       ("kinds", document_rules.kind_rows()), ("role_order", document_rules.role_order_rows())):
        conn.executemany(load_sql(SQL, f"documents_insert_{name}"), rows)
    return run(conn, mapping, STEPS, WRITES)
