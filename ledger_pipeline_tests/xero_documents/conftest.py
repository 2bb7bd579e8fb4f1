"""Fixtures for the Xero documents: hand-made journal entries (`books.entry(...)`, amounts in minor units, debit
positive), and a Xero sandbox on a loopback port with our client (XeroResource, token store in a temporary
folder) and the posting machinery aimed at it.

The sandbox's US organisation: 090 bank, 091 Stripe Clearing (both bank accounts), 094 Stripe Reserve, 200
Sales, 205 Refunds, 260 Other Revenue, 405 Stripe Fees, 406 Chargebacks, 610 A/R, 820 Sales Tax (where Xero
books tax), 970 Owner Funds; tax rates NONE, OUTPUT 8.25%, TAX001 7.25%; tracking categories Region and
Channel. Its clock is frozen on 2024-05-01.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from ledger_pipeline.bench.load_xero import sandbox_resource
from ledger_pipeline.defs.quickbooks.adapter import marker
from ledger_pipeline.defs.quickbooks.entries import Entry, Line
from ledger_pipeline.defs.xero import documents, master_data, payment_parts
from ledger_pipeline.money import to_decimal
from ledger_pipeline.posting import Outbox, Poster, PostRecord
from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.xero import US_TENANT_ID, XeroSandbox
from ledger_pipeline.targets.xero import XeroTarget
from ledger_pipeline.warehouse import WarehouseResource

DAY = dt.date(2024, 5, 1)
START = dt.datetime(2024, 5, 1, 16, 0, tzinfo=dt.timezone.utc).timestamp()
CLIENT_ID, CLIENT_SECRET = "xero-documents-tests", "xero-documents-secret-0123456789"
TENANT = "acme"
ACCOUNTS = {"clearing": "091", "bank": "090", "receivables": "610", "revenue": "200", "refunds": "205",
            "discounts": "260", "tax": "820", "fee": "405", "disputes": "406", "reserves": "094",
            "opening_balance_equity": "970"}


class Books:
    """Builders for journal entries, and what the books should hold for them."""

    DAY, TENANT, ACCOUNTS = DAY, TENANT, ACCOUNTS

    @staticmethod
    def line(role: str, amount: int, account: str | None = None, **extra: Any) -> dict:
        return {"role": role, "amount": amount, "account": account or ACCOUNTS.get(role, "200"), **extra}

    @staticmethod
    def entry(key: str, document_type: str, lines: list[dict], currency: str = "usd", **extra: Any) -> Entry:
        books_currency = extra.pop("books_currency", currency)
        built = tuple(Line(
            entry_key=key, line_no=n, role=l["role"], role_key=l.get("role_key", ""),
            description=l.get("description", l["role"].replace("_", " ").capitalize()),
            account_ref=l["account"], account_name=l.get("account_name", f"Account {l['account']}"),
            books_debit=max(l["amount"], 0), books_credit=max(-l["amount"], 0), tax_code_ref=l.get("tax_code"),
            item_ref=l.get("item"), item_name=l.get("item_name"), quantity=l.get("quantity"),
            unit_amount=l.get("unit_amount"), tracking_dimension=l.get("dimension"), tracking_ref=l.get("option"),
            tracking_name=l.get("option_name")) for n, l in enumerate(lines, start=1))
        assert sum(l.amount for l in built) == 0, f"{key} does not balance"
        fields = {"kind": document_type, "entry_date": DAY, "payout_id": None, "counterparty": None,
                  "reference": key, "memo": f"Stripe {document_type.replace('_', ' ')} {key}",
                  "books_total": sum(l.books_debit for l in built), "record_hash": f"hash-{key}",
                  "status": None, "applies_to": None, "number": None, "due_date": None,
                  "counterparty_type": None, "counterparty_name": None, "counterparty_email": None}
        fields.update(extra)
        return Entry(entry_key=key, document_type=document_type, currency=currency, books_currency=books_currency,
                     lines=built, **fields)

    @staticmethod
    def customer(stripe_id: str, name: str, email: str | None = None) -> dict:
        return {"counterparty": stripe_id, "counterparty_type": "customer", "counterparty_name": name,
                "counterparty_email": email}

    @staticmethod
    def links(party: str | None = "00000000-0000-0000-0000-00000000c0de", posted: dict | None = None,
              rate: Decimal | None = None) -> documents.Links:
        return documents.Links(party=lambda e: party, item=lambda line: line.item_ref,
                               posted=lambda key: (posted or {}).get(key), currency_rate=lambda e: rate)

    @staticmethod
    def expected(entries: list[Entry]) -> dict[str, Decimal]:
        """Debit-positive balance per account code the entries' lines add up to (USD books)."""
        out: dict[str, int] = defaultdict(int)
        for entry in entries:
            for line in entry.lines:
                out[line.account_ref] += line.amount
        return {code: to_decimal(amount, "usd") for code, amount in out.items() if amount}


@pytest.fixture
def books() -> type[Books]:
    return Books


# --- the Xero sandbox, our client, the posting machinery ----------------------------------------------------
@pytest.fixture
def sandbox() -> XeroSandbox:
    return XeroSandbox(clock=SandboxClock(frozen_at=START), faults=Faults(seed=7), clients={CLIENT_ID: CLIENT_SECRET})


@pytest.fixture
def org(sandbox, tmp_path):
    """The US organisation as the loader sees it: client, target, an outbox in a tenant warehouse."""
    server = sandbox.serve(port=0)
    resource = sandbox_resource(sandbox, server.base_url, tmp_path, min_calls_left=0, backoff_seconds=0.01,
                                max_backoff_seconds=0.05)
    client = resource.client()
    with WarehouseResource(directory=str(tmp_path / "warehouse")).connect(TENANT) as conn:
        yield Org(sandbox, client, XeroTarget(client), conn)
    server.stop()


class Org:
    """One organisation and one tenant's outbox: master data and documents posted the way the loader does."""

    def __init__(self, sandbox: XeroSandbox, client, target: XeroTarget, conn):
        self.sandbox, self.client, self.target, self.conn = sandbox, client, target, conn
        self.company = SimpleNamespace(client=client, target=target)
        self.outbox = Outbox(conn, target.name, target.company_id, key_length=target.key_length,
                             batch_key_length=target.batch_key_length)
        self.linked = 0

    def master_data(self, entries: list[Entry], shapes: dict[str, documents.Shape]) -> dict[str, str]:
        """Contacts and items of the entries, matched or created; record key -> Xero id."""
        wanted = [w for e in entries if (w := master_data.wanted_for(e, "USD", shapes[e.entry_key]))]
        wanted += [w for e in entries for line in shapes[e.entry_key].items if (w := master_data.item_wanted(line))]
        records, by_marker = master_data.master_records(TENANT, wanted)
        target = master_data.MatchingTarget(self.company, master_data.Directory(self.company), by_marker)
        report = Poster(self.outbox, target).post(records, batch=True)
        assert not [o for o in report.outcomes if o.result in ("failed", "pending")], report.outcomes
        self.linked += target.linked
        return {o.record_key: o.remote_id for o in report.outcomes}

    def links(self, entries: list[Entry], shapes: dict[str, documents.Shape]) -> documents.Links:
        ids = self.master_data(entries, shapes)

        def party(entry: Entry) -> str | None:
            wanted = master_data.wanted_for(entry, "USD", shapes[entry.entry_key])
            return ids[wanted.key] if wanted else None

        def posted(key: str) -> tuple[str, str] | None:
            current = self.outbox.current(key)
            return (current.remote_kind, current.remote_id) if current is not None and current.live else None

        return documents.Links(party=party, item=lambda line: line.item_ref if f"item/{line.item_ref}" in ids else None,
                               posted=posted)

    def post(self, entries: list[Entry]):
        """Master data first, then every document but the payments (in batches), then the payments; a payment
        that leaves credit or an exchange difference as its parts (payment_parts.split), each a record."""
        entries = [piece for entry in entries for piece in payment_parts.split(entry)]
        shapes = {e.entry_key: documents.shape(e) for e in entries}
        links = self.links(entries, shapes)
        poster, outcomes = Poster(self.outbox, self.target), []
        for wave in ([e for e in entries if shapes[e.entry_key].kind != documents.PAYMENT],
                     [e for e in entries if shapes[e.entry_key].kind == documents.PAYMENT]):
            records = [PostRecord(e.entry_key, shapes[e.entry_key].kind, e.record_hash, marker(TENANT, e.entry_key),
                                  documents.build(e, shapes[e.entry_key], marker(TENANT, e.entry_key), "USD", links))
                       for e in wave]
            outcomes += poster.post(records, batch=True).outcomes
        return outcomes, shapes, links

    def balances(self, on: dt.date = DAY) -> dict[str, Decimal]:
        """The organisation's trial balance (read through our client), debit-positive per account code."""
        codes = {str(a.account_id): a.code for a in self.client.accounts()}
        return {codes[k]: v for k, v in self.client.trial_balance(on).balances().items() if v}

    def state(self, collection: str) -> list[dict]:
        with self.sandbox.lock:
            return [dict(v) for v in self.sandbox.organisations[US_TENANT_ID].all(collection)]
