"""A tenant's warehouse with hand-made Stripe staging rows, the mapping file, and the journal built from them.

Tests write the Stripe side as an accountant would read it (a charge of $100.00 with a $3.20 fee, paid out
on the 3rd) and compare the journal with lines written out literally: (account, debit, credit, description).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ledger_pipeline.config import Tenant
from ledger_pipeline.defs.journal import checks
from ledger_pipeline.defs.journal.build import BuildSummary, current_mapping
from ledger_pipeline.defs.journal.mapping_file import load_mapping
from ledger_pipeline.defs.journal.mapping_tables import store_mapping
from ledger_pipeline.defs.journal.posting_modes import build_journal
from ledger_pipeline.defs.journal.rules import TYPE_CATEGORIES
from ledger_pipeline.warehouse import migrate

START = dt.date(2026, 10, 1)
UTC = dt.timezone.utc

MAPPING = """
books:
  currency: usd
  target: quickbooks
  company: "9130350000000001"
  posting_mode: payout_summary
  payout_schedule: automatic
accounts:
  clearing:
    usd: {ref: "3", name: Stripe Clearing}
  bank:
    usd: {ref: "1", name: Checking}
  revenue: {ref: "24", name: Uncategorized Income}
  discounts: {ref: "23", name: Refunds and Discounts}
  refunds: {ref: "23", name: Refunds and Discounts}
  disputes: {ref: "34", name: Chargebacks and Disputes}
  dispute_fees: {ref: "34", name: Chargebacks and Disputes}
  platform_fees: {ref: "22", name: Platform Fee Income}
  transfers: {ref: "35", name: Transfers Out}
  topups: {ref: "1", name: Checking}
  adjustments: {ref: "36", name: Uncategorized Expense}
  tax_payable: {ref: "12", name: Sales Tax Payable}
  rounding: {ref: "38", name: Rounding}
  opening_balance_equity: {ref: "14", name: Opening Balance Equity}
fees:
  stripe_fee: {ref: "31", name: Stripe Fees}
  application_fee: {ref: "32", name: Merchant Fees}
stripe_fees:
  billing: {ref: "31", name: Stripe Fees}
  radar: {ref: "31", name: Stripe Fees}
  tax: {ref: "31", name: Stripe Fees}
products:
  - name: Ledger Pro
    account: {ref: "21", name: Services}
    item: {ref: "3", name: Subscription}
  - name: Sticker pack
    account: {ref: "20", name: Sales of Product Income}
    item: {ref: "2", name: Sales}
tax_rates:
  - jurisdiction: CA - CALIFORNIA
    account: {ref: "12", name: Sales Tax Payable}
    tax_code: {ref: TAX, name: TAX}
untaxed_tax_code: {ref: NON, name: NON}
"""


def at(text: str) -> dt.datetime:
    """'2026-10-05 10:00' (UTC) as a timestamp."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


class Ledger:
    """One tenant's warehouse: Stripe rows in, journal out."""

    def __init__(self, folder: Path, tenant: str = "demo", timezone: str = "UTC", start: dt.date = START):
        self.folder = folder
        self.tenant = Tenant(key=tenant, stripe_account=None, timezone=timezone)
        self.start = start
        self.conn = duckdb.connect()  # in memory: the SQL is the same, the tests faster
        migrate(self.conn)
        self.mapping_dir = folder / "mappings"
        self.mapping_dir.mkdir(exist_ok=True)

    # --- the mapping ---------------------------------------------------------------------------------

    def use_mapping(self, text: str = MAPPING, name: str | None = None) -> str:
        path = self.mapping_dir / (name or f"{self.tenant.key}.yaml")
        path.write_text(text, encoding="utf-8")
        loaded = store_mapping(self.conn, self.tenant.key, load_mapping(path, f"mappings/{path.name}"))
        return loaded.version

    # --- Stripe staging rows -------------------------------------------------------------------------

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))

    def _stamps(self, when: dt.datetime) -> dict[str, Any]:
        return {"partition_date": when.astimezone(UTC).date(), "observed_at": when, "extracted_at": when}

    def bt(self, id: str, type: str, amount: int, *, created: str, fees: list[tuple[str, int]] = (),
           currency: str = "usd", category: str | None = "", source: str | None = None,
           exchange_rate: str | None = None, available_on: str | None = None, description: str | None = None,
           source_type: str | None = None) -> None:
        when = at(created)
        fee = sum(amount for _, amount in fees)
        if category == "":
            category = TYPE_CATEGORIES.get(type, type)
        self._insert("staging.balance_transactions", {
            "id": id, "partition_date": when.date(), "type": type, "reporting_category": category,
            "amount": amount, "fee": fee, "net": amount - fee, "currency": currency,
            "exchange_rate": Decimal(exchange_rate) if exchange_rate else None, "created": when,
            "available_on": at(available_on) if available_on else when + dt.timedelta(days=2),
            "status": "available", "balance_type": "payments", "source_id": source, "source_type": source_type,
            "description": description, "extracted_at": when})
        for n, (kind, value) in enumerate(fees):
            self._insert("staging.balance_transaction_fees", {
                "balance_transaction_id": id, "position": n, "partition_date": when.date(), "type": kind,
                "amount": value, "currency": currency, "extracted_at": when})

    def charge(self, id: str, amount: int, *, created: str, currency: str = "usd", payment_intent: str | None = None,
               metadata: dict | None = None, balance_transaction: str | None = None) -> None:
        self._insert("staging.charges", {
            "id": id, "amount": amount, "amount_captured": amount, "amount_refunded": 0, "currency": currency,
            "status": "succeeded", "paid": True, "captured": True, "payment_intent": payment_intent,
            "balance_transaction": balance_transaction, "metadata": json.dumps(metadata or {}),
            "created": at(created), **self._stamps(at(created))})

    def refund(self, id: str, charge: str, amount: int, *, created: str, currency: str = "usd") -> None:
        self._insert("staging.refunds", {"id": id, "amount": amount, "currency": currency, "charge": charge,
                                         "status": "succeeded", "metadata": "{}", "created": at(created),
                                         **self._stamps(at(created))})

    def dispute(self, id: str, charge: str, amount: int, *, created: str, status: str, currency: str = "usd") -> None:
        self._insert("staging.disputes", {"id": id, "amount": amount, "currency": currency, "charge": charge,
                                          "status": status, "metadata": "{}", "created": at(created),
                                          **self._stamps(at(created))})

    def application_fee(self, id: str, amount: int, *, created: str, account: str, charge: str,
                        currency: str = "usd") -> None:
        self._insert("staging.application_fees", {"id": id, "amount": amount, "amount_refunded": 0,
                                                  "currency": currency, "account": account, "charge": charge,
                                                  "created": at(created), **self._stamps(at(created))})

    def product(self, id: str, name: str) -> None:
        self._insert("staging.products", {"id": id, "name": name, "active": True, "deleted": False,
                                          "metadata": "{}", **self._stamps(at("2026-09-01 00:00"))})

    def price(self, id: str, product: str, currency: str = "usd", lookup_key: str | None = None) -> None:
        self._insert("staging.prices", {"id": id, "product": product, "currency": currency, "lookup_key": lookup_key,
                                        "active": True, "deleted": False, "metadata": "{}",
                                        **self._stamps(at("2026-09-01 00:00"))})

    def tax_rate(self, id: str, *, display_name: str, jurisdiction: str, percentage: str, inclusive: bool = False,
                 country: str = "US") -> None:
        self._insert("staging.tax_rates", {"id": id, "display_name": display_name, "jurisdiction": jurisdiction,
                                           "percentage": Decimal(percentage), "inclusive": inclusive,
                                           "active": True, "country": country, "metadata": "{}",
                                           **self._stamps(at("2026-09-01 00:00"))})

    def invoice(self, id: str, *, created: str, lines: list[dict[str, Any]], payment_intents: list[str],
                status: str = "paid", currency: str = "usd", tax_style: str = "basil") -> None:
        """Lines: {id, price, product, amount, discount, taxes: [(tax_rate, amount, inclusive)]}."""
        when = at(created)
        subtotal = sum(line["amount"] for line in lines)
        discount = sum(line.get("discount", 0) for line in lines)
        exclusive = sum(t[1] for line in lines for t in line.get("taxes", []) if not t[2])
        total = subtotal - discount + exclusive
        self._insert("staging.invoices", {
            "id": id, "status": status, "currency": currency, "subtotal": subtotal, "total": total,
            "total_discount_amount": discount, "amount_due": total, "amount_paid": total if status == "paid" else 0,
            "deleted": False, "created": when, "metadata": "{}", **self._stamps(when)})
        for n, line in enumerate(lines):
            taxes = line.get("taxes", [])
            shaped = ([{"amount": a, "tax_behavior": "inclusive" if inc else "exclusive",
                        "tax_rate_details": {"tax_rate": rate}, "taxable_amount": 0, "type": "tax_rate_details"}
                       for rate, a, inc in taxes] if tax_style == "basil" else
                      [{"amount": a, "inclusive": inc, "tax_rate": rate} for rate, a, inc in taxes])
            self._insert("staging.invoice_lines", {
                "invoice_id": id, "id": line["id"], "position": n, "price_id": line.get("price"),
                "product_id": line.get("product"), "quantity": line.get("quantity", 1), "amount": line["amount"],
                "currency": currency, "discount_amount": line.get("discount", 0),
                "tax_amount": sum(t[1] for t in taxes), "tax_amounts": json.dumps(shaped),
                "partition_date": when.date(), "extracted_at": when})
        # Basil keeps which payments paid an invoice on the invoice itself; staging reads it from raw.
        data = {"id": id, "object": "invoice", "currency": currency, "status": status,
                "payments": {"object": "list", "data": [
                    {"object": "invoice_payment", "payment": {"type": "payment_intent", "payment_intent": pi}}
                    for pi in payment_intents]}}
        self._insert("raw.stripe_objects", {
            "tenant": self.tenant.key, "partition_date": when.date(), "object_type": "invoice", "object_id": id,
            "origin": "list", "observed_at": when, "position": 0, "deleted": False, "has_fields": True,
            "data": json.dumps(data), "extracted_at": when})

    def credit_note(self, id: str, invoice: str, *, created: str, refund: str,
                    lines: list[dict[str, Any]], currency: str = "usd") -> None:
        """Lines: {id, invoice_line_item, amount, taxes: [(tax_rate, amount, inclusive)]}."""
        when = at(created)
        total = sum(line["amount"] + sum(t[1] for t in line.get("taxes", []) if not t[2]) for line in lines)
        self._insert("staging.credit_notes", {
            "id": id, "invoice": invoice, "status": "issued", "type": "post_payment", "currency": currency,
            "amount": total, "total": total, "refunds": json.dumps([{"refund": refund, "type": "refund",
                                                                      "amount_refunded": total}]),
            "metadata": "{}", "created": when, **self._stamps(when)})
        for n, line in enumerate(lines):
            taxes = line.get("taxes", [])
            self._insert("staging.credit_note_lines", {
                "credit_note_id": id, "id": line["id"], "position": n, "type": "invoice_line_item",
                "invoice_line_item": line["invoice_line_item"], "amount": line["amount"], "discount_amount": 0,
                "tax_amount": sum(t[1] for t in taxes),
                "tax_amounts": json.dumps([{"amount": a, "tax_behavior": "inclusive" if inc else "exclusive",
                                            "tax_rate_details": {"tax_rate": rate}} for rate, a, inc in taxes]),
                "partition_date": when.date(), "extracted_at": when})

    def payout(self, id: str, amount: int, *, created: str, members: list[str], currency: str = "usd",
               automatic: bool = True, status: str = "paid", reconciliation: str = "completed",
               extra_members: list[dict[str, Any]] = ()) -> str:
        """A payout, its own balance transaction (returned) and, if automatic, its composition."""
        when = at(created)
        own = f"txn_{id}"
        self.bt(own, "payout", -amount, created=created, currency=currency, source=id, source_type="payout",
                available_on=created)
        self._insert("staging.payouts", {
            "id": id, "amount": amount, "currency": currency, "automatic": automatic, "status": status,
            "reconciliation_status": reconciliation if automatic else "not_applicable",
            "balance_transaction": own, "arrival_date": when + dt.timedelta(days=1), "created": when,
            "metadata": "{}", **self._stamps(when)})
        if automatic:
            for member in [*members, own]:
                row = self.conn.execute(
                    "SELECT type, reporting_category, amount, fee, net, currency, created, source_id "
                    "FROM staging.balance_transactions WHERE id = ?", [member]).fetchone()
                assert row is not None, f"stage {member} before its payout"
                self._composition(id, member, row, when)
            for extra in extra_members:   # transactions from before the first day booked (not staged)
                self._composition(id, extra["id"], (extra["type"], extra.get("category", extra["type"]),
                                                    extra["amount"], extra.get("fee", 0),
                                                    extra["amount"] - extra.get("fee", 0), currency,
                                                    at(extra["created"]), extra.get("source")), when)
        return own

    def _composition(self, payout: str, member: str, row: tuple, when: dt.datetime) -> None:
        type_, category, amount, fee, net, currency, created, source = row
        self._insert("staging.payout_composition", {
            "payout_id": payout, "balance_transaction_id": member, "type": type_, "reporting_category": category,
            "amount": amount, "fee": fee, "net": net, "currency": currency, "created": created, "source_id": source,
            **self._stamps(when)})

    def account(self, currency: str = "usd", payout_interval: str = "daily") -> None:
        self._insert("staging.accounts", {"id": "acct_self", "default_currency": currency,
                                          "payout_interval": payout_interval, "is_tenant": True,
                                          **self._stamps(at("2026-09-01 00:00"))})

    # --- the journal -------------------------------------------------------------------------------------

    def book(self, day: str | dt.date) -> BuildSummary:
        day = dt.date.fromisoformat(day) if isinstance(day, str) else day
        return build_journal(self.conn, self.tenant, day, self.start, current_mapping(self.conn, self.tenant.key))

    def checks(self, day: str | dt.date) -> dict[str, Any]:
        """The accounting checks as the asset computes them for the partition `day`, by name."""
        day = dt.date.fromisoformat(day) if isinstance(day, str) else day
        return {r.check_name: r for r in checks.evaluate(self.conn, self.tenant, day, self.start)}

    def failed(self, day: str | dt.date) -> dict[str, Any]:
        return {name: r for name, r in self.checks(day).items() if not r.passed}

    def entry_keys(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT entry_key FROM journal.entries ORDER BY entry_key").fetchall()]

    def lines(self, entry_key: str) -> list[tuple[str, int, int, str]]:
        """(account ref, debit, credit, description) in line order."""
        return self.conn.execute(
            "SELECT account_ref, debit, credit, description FROM journal.lines WHERE entry_key = ? ORDER BY line_no",
            [entry_key]).fetchall()

    def books_lines(self, entry_key: str) -> list[tuple[str, int, int, int, int]]:
        return self.conn.execute(
            "SELECT account_ref, debit, credit, books_debit, books_credit FROM journal.lines WHERE entry_key = ? "
            "ORDER BY line_no", [entry_key]).fetchall()

    def entry(self, entry_key: str) -> dict[str, Any]:
        cursor = self.conn.execute("SELECT * FROM journal.entries WHERE entry_key = ?", [entry_key])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        assert row is not None, f"no entry {entry_key}; have {self.entry_keys()}"
        return dict(zip(names, row))

    def quarantined(self) -> list[dict[str, Any]]:
        cursor = self.conn.execute("SELECT * FROM quarantine.journal_entries ORDER BY entry_key, value_kind, value")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def bookings(self) -> dict[str, tuple[str, str | None]]:
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            "SELECT balance_transaction_id, status, entry_key FROM journal.bookings").fetchall()}

    def sources(self, entry_key: str) -> list[tuple[int, str | None, str, int]]:
        return self.conn.execute(
            "SELECT line_no, balance_transaction_id, component, amount FROM journal.line_sources "
            "WHERE entry_key = ? ORDER BY line_no, balance_transaction_id, component", [entry_key]).fetchall()


@pytest.fixture
def ledger(tmp_path) -> Iterator[Ledger]:
    books = Ledger(tmp_path)
    books.use_mapping()
    yield books
    books.conn.close()


@pytest.fixture
def make_ledger(tmp_path):
    made: list[Ledger] = []

    def build(**kwargs: Any) -> Ledger:
        folder = tmp_path / f"w{len(made)}"
        folder.mkdir()
        books = Ledger(folder, **kwargs)
        made.append(books)
        return books

    yield build
    for books in made:
        books.conn.close()
