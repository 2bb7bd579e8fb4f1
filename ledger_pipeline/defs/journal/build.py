"""Build a tenant's payout-summary journal in its warehouse, set-based in DuckDB; documents.py builds the
per-transaction documents on the same steps (`prepare`, `run`), posting_modes.py picks one per tenant.

Payout summaries run this SQL in order (each file says why it does what it does):
  journal_transactions  the staged transactions since the first day booked, the automatic payouts, what they carried
  journal_homes     where every balance transaction is booked (or that it still waits for its payout)
  journal_openings  the opening Stripe balance per currency
  journal_rebuild   which entries this run builds: its day's, changed ones, quarantined ones
  journal_tracking  the tracking value of each (journal_no_tracking when the mapping tracks none)
  journal_links     the invoice each payment paid, the credit note each refund gave back
  journal_sources   the Stripe objects behind each transaction (charge, invoice, credit note, metadata)
  journal_parts     what the invoices and credit notes involved are made of (products, discounts, tax)
  journal_postings  each transaction as signed amounts by meaning (net, fees, gross split)
  journal_resolve   accounts from the mapping version, books-currency amounts, what cannot be placed
  journal_assemble  quarantine, lines, lineage, entries and their hashes
  journal_write     replace those entries in one transaction; journal_bookings says where each one stands
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from ledger_pipeline.config import Tenant
from ledger_pipeline.defs.journal import rules
from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.defs.journal"
STEPS = ("journal_transactions", "journal_homes", "journal_openings", "journal_rebuild", "journal_tracking",
         "journal_links", "journal_sources", "journal_parts", "journal_postings", "journal_resolve", "journal_assemble")
WRITES = ("journal_write", "journal_bookings")


@dataclass(frozen=True)
class CurrentMapping:
    """The mapping version a tenant uses now, as stored in `mapping.versions`."""

    version: str
    file: str
    books_currency: str
    target: str
    company: str
    posting_mode: str
    payout_schedule: str
    tracking_dimension: str | None
    tracking_metadata_key: str | None
    untaxed_tax_code_ref: str | None
    untaxed_tax_code_name: str | None
    opening_balance_as_of: dt.date | None


@dataclass
class BuildSummary:
    mode: str
    built: int = 0            # entries written by this run
    rebuilt_keys: int = 0     # entry keys this run looked at (built, quarantined or dropped)
    quarantined: int = 0      # entries held back by this run
    skipped: str | None = None


class NoMappingLoaded(RuntimeError):
    pass


def current_mapping(conn: duckdb.DuckDBPyConnection, tenant: str) -> CurrentMapping:
    row = conn.execute(load_sql(SQL, "mapping_current"), {"tenant": tenant}).fetchone()
    if row is None:
        raise NoMappingLoaded(f"tenant {tenant!r} has no mapping loaded in its warehouse: materialize "
                              f"mapping/tables for it first (it reads mappings/{tenant}.yaml)")
    return CurrentMapping(*row)


def build_payout_summaries(conn: duckdb.DuckDBPyConnection, tenant: Tenant, day: dt.date, start_date: dt.date,
                           mapping: CurrentMapping, built_at: dt.datetime | None = None) -> BuildSummary:
    """(Re)build the tenant's payout-summary entries that the partition `day` owns or that changed."""
    if mapping.posting_mode != "payout_summary":
        return BuildSummary(mode=mapping.posting_mode,
                            skipped=f"{mapping.file} posts per transaction: documents.py builds its documents")
    prepare(conn, tenant, day, start_date, mapping, built_at)
    return run(conn, mapping, STEPS, WRITES)


def prepare(conn: duckdb.DuckDBPyConnection, tenant: Tenant, day: dt.date, start_date: dt.date,
            mapping: CurrentMapping, built_at: dt.datetime | None) -> None:
    """The run's settings and the booking rules as temp tables, for either mode."""
    day_start, day_end = tenant.day_window(day)
    start_at, _ = tenant.day_window(start_date)
    conn.execute(load_sql(SQL, "journal_settings"), {
        "tenant": tenant.key, "mode": mapping.posting_mode, "version": mapping.version,
        "mapping_file": mapping.file, "timezone": tenant.timezone,
        "start_day": start_date, "start_at": _utc(start_at), "day": day, "day_start": _utc(day_start),
        "day_end": _utc(day_end), "books_currency": mapping.books_currency,
        "payout_schedule": mapping.payout_schedule, "tracking_key": mapping.tracking_metadata_key,
        "tracking_dimension": mapping.tracking_dimension,
        "discounts_apart": _has_account(conn, mapping.version, "discounts"),
        "opening_as_of": mapping.opening_balance_as_of,
        "built_at": built_at or dt.datetime.now(dt.timezone.utc)})
    conn.execute(load_sql(SQL, "journal_rule_tables"))
    for name, rows in (("rules", rules.rule_rows()), ("type_categories", rules.type_rows()),
                       ("labels", rules.label_rows()), ("role_order", rules.role_order_rows()),
                       ("exponents", rules.exponent_rows())):
        conn.executemany(load_sql(SQL, f"journal_insert_{name}"), rows)


def run(conn: duckdb.DuckDBPyConnection, mapping: CurrentMapping, steps: tuple[str, ...],
        writes: tuple[str, ...]) -> BuildSummary:
    """Run the steps, then the writes in one transaction; say what the run did."""
    for step in steps:
        if step == "journal_tracking" and not mapping.tracking_metadata_key:
            step = "journal_no_tracking"
        conn.execute(load_sql(SQL, step))
    conn.execute("BEGIN TRANSACTION")
    try:
        for step in writes:
            conn.execute(load_sql(SQL, step))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    built, rebuilt, quarantined = conn.execute(load_sql(SQL, "journal_run_counts")).fetchone()
    return BuildSummary(mode=mapping.posting_mode, built=built, rebuilt_keys=rebuilt, quarantined=quarantined)


def _utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def _has_account(conn: duckdb.DuckDBPyConnection, version: str, role: str) -> bool:
    return conn.execute(load_sql(SQL, "mapping_has_account"), {"version": version, "role": role}).fetchone()[0]
