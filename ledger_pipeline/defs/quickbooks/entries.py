"""The journal as a loader reads it: the entries a partition posts, their lines, and the records the books
still hold whose entry is gone. Amounts stay integer minor units here. Both loaders read it (QuickBooks and
Xero): `target` names whose sync.external_ids / sync.outbox rows count."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.defs.quickbooks"
TARGET = "quickbooks"
# A record key `<entry key>#<part>` is one more object an entry posts as (Xero: a payment's overpayment, its
# exchange difference); the SQL here reads it back to its entry with split_part(record_key, '#', 1). Entry
# keys never hold a '#' (tenant keys, posting modes, kinds and Stripe ids).
PART_SEPARATOR = "#"


def part_key(entry_key: str, part: str) -> str:
    return f"{entry_key}{PART_SEPARATOR}{part}"


def entry_key_of(record_key: str) -> str:
    """The journal entry a record posts (a part's entry, or the record's own key)."""
    return record_key.split(PART_SEPARATOR, 1)[0]


@dataclass(frozen=True)
class Line:
    entry_key: str
    line_no: int
    role: str
    role_key: str
    description: str
    account_ref: str
    account_name: str
    books_debit: int
    books_credit: int
    tax_code_ref: str | None
    item_ref: str | None
    item_name: str | None
    quantity: int | None
    unit_amount: int | None
    tracking_dimension: str | None
    tracking_ref: str | None
    tracking_name: str | None

    @property
    def amount(self) -> int:
        """Debit positive, books currency minor units."""
        return self.books_debit - self.books_credit


@dataclass(frozen=True)
class Entry:
    entry_key: str
    kind: str
    document_type: str
    entry_date: dt.date
    currency: str
    books_currency: str
    payout_id: str | None
    counterparty: str | None
    reference: str | None
    memo: str
    books_total: int
    record_hash: str              # what the books should hold: the entry's hash plus how we write it
    # per-transaction documents (journal.documents); None for payout summaries
    status: str | None = None     # invoices: open | paid | void | uncollectible; credit notes: issued | void
    applies_to: str | None = None  # the entry it pays, reverses, refunds or takes the fees of
    number: str | None = None     # the Stripe invoice's or credit note's number
    due_date: dt.date | None = None
    counterparty_type: str | None = None  # customer | stripe | connected_account
    counterparty_name: str | None = None
    counterparty_email: str | None = None
    lines: tuple[Line, ...] = field(default=())

    @property
    def voided(self) -> bool:
        """Stripe voided the document: the books void (or delete) it too."""
        return self.status == "void" and self.document_type in ("invoice", "credit_note") \
            and not self.kind.endswith("_void")

    @property
    def reversal(self) -> bool:
        """The journal's reversal of a voided document: QuickBooks voids the document instead."""
        return self.kind.endswith("_void")


@dataclass(frozen=True)
class Gone:
    """A record live in the books whose journal entry no longer exists."""

    record_key: str
    remote_kind: str
    content_hash: str
    marker: str


def entries_to_post(conn: duckdb.DuckDBPyConnection, tenant: str, day: dt.date, company: str,
                    adapter: str, target: str = TARGET) -> list[Entry]:
    rows = conn.execute(load_sql(SQL, "entries_to_post"), {
        "target": target, "company": company, "tenant": tenant, "day": day, "adapter": adapter}).fetchall()
    entries = [Entry(*row) for row in rows]
    if not entries:
        return []
    lines: dict[str, list[Line]] = defaultdict(list)
    for row in conn.execute(load_sql(SQL, "entry_lines"), {"keys": [e.entry_key for e in entries]}).fetchall():
        lines[row[0]].append(Line(*row))
    return [Entry(**{**e.__dict__, "lines": tuple(lines[e.entry_key])}) for e in entries]


def records_gone(conn: duckdb.DuckDBPyConnection, company: str, kinds: list[str], target: str = TARGET) -> list[Gone]:
    rows = conn.execute(load_sql(SQL, "records_gone"),
                        {"target": target, "company": company, "kinds": kinds}).fetchall()
    return [Gone(*row) for row in rows]
