"""Master data before documents: the customers, vendors and items the documents name, matched to what the
company already has before anything is created.

- Customers and vendors: matched by email, then by DisplayName (QuickBooks keeps one namespace of display
  names for customers, vendors and employees), active ones only; created otherwise, in batches.
- Items: a QuickBooks sales line books to its item's income account, not to an account of its own. A line
  keeps the item the mapping names when that item books to the line's account; otherwise it takes an item
  that does (ours, `<account name> (Stripe)`, created once per income account).

Each one goes through the posting protocol like a document (intent, requestid, sync.external_ids with key
`customer/<stripe id>`, `vendor/<name>`, `item/<account id>`), so a crash in the middle never creates a
second one: the next run matches it by email or name first. They are linked once and never updated: what
an accountant changes on a customer in QuickBooks stays.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from quickbooks.objects.base import EmailAddress
from quickbooks.objects.customer import Customer
from quickbooks.objects.item import Item
from quickbooks.objects.vendor import Vendor

from ledger_pipeline.defs.quickbooks.adapter import marker, ref
from ledger_pipeline.defs.quickbooks.company import Company
from ledger_pipeline.defs.quickbooks.entries import Entry, Line
from ledger_pipeline.posting import PostRecord, Remote, matching
from ledger_pipeline.targets.quickbooks.client import to_remote

NAME_LIMIT = 100   # QuickBooks: DisplayName and item Name
_NOT_IN_NAMES = str.maketrans({":": " ", "\t": " ", "\n": " ", "\r": " "})  # QuickBooks refuses these in names


def clean_name(text: str) -> str:
    return " ".join(text.translate(_NOT_IN_NAMES).split())[:NAME_LIMIT]
LINKED = matching.LINKED


@dataclass(frozen=True)
class Wanted:
    """A customer, vendor or item a document needs."""

    kind: str                      # Customer | Vendor | Item
    key: str                       # the record key in sync.external_ids
    name: str
    email: str | None = None
    currency: str | None = None    # CurrencyRef, when not the home currency
    account_ref: str | None = None  # items: the income account they book to
    account_name: str | None = None
    note: str | None = None

    def payload(self, mark: str | None = None) -> Any:
        """The object to create (QuickBooks keeps no marker on customers, vendors and items)."""
        if self.kind == "Item":
            item = Item()
            item.Name, item.Type = self.name, "Service"
            item.IncomeAccountRef = ref(self.account_ref, self.account_name)
            item.Description = self.note
            return item
        party = Customer() if self.kind == "Customer" else Vendor()
        party.DisplayName = self.name
        if self.email:
            party.PrimaryEmailAddr = EmailAddress()
            party.PrimaryEmailAddr.Address = self.email
        if self.currency:
            party.CurrencyRef = ref(self.currency)
        if self.kind == "Customer":
            party.Notes = self.note or ""
        return party


def wanted_for(entry: Entry, home_currency: str) -> Wanted | None:
    """The customer or vendor on the other side of a document, if it has one."""
    currency = entry.books_currency.upper()
    currency = None if currency == home_currency.upper() else currency
    kind = entry.counterparty_type
    if kind == "customer" and entry.counterparty:
        # a name QuickBooks would refuse once cleaned (only colons, tabs, ...) falls back like a missing one
        name = (clean_name(entry.counterparty_name or "") or clean_name(entry.counterparty_email or "")
                or f"Stripe customer {entry.counterparty}")
        return Wanted("Customer", f"customer/{entry.counterparty}", name, entry.counterparty_email,
                      currency, note=f"Stripe customer {entry.counterparty}")
    if kind == "stripe":
        return Wanted("Vendor", "vendor/stripe", "Stripe", None, currency)
    if kind == "connected_account" and (entry.counterparty or entry.counterparty_name):
        name = clean_name(entry.counterparty_name or "") or f"Stripe account {entry.counterparty}"
        return Wanted("Vendor", f"vendor/{entry.counterparty or entry.counterparty_name}", name,
                      entry.counterparty_email, currency)
    return None


def item_wanted(line: Line) -> Wanted:
    name = clean_name(f"{line.account_name} (Stripe)")
    return Wanted("Item", f"item/{line.account_ref}", name, account_ref=line.account_ref,
                  account_name=line.account_name, note=f"Sales booked by ledger_pipeline to {line.account_name}")


class Directory:
    """The company's customers, vendors and items (active ones), each list read once, when first needed."""

    def __init__(self, company: Company):
        self.company = company
        self._lists: dict[str, list[dict]] = {}

    def refresh(self) -> None:
        self._lists.clear()

    def rows(self, kind: str) -> list[dict]:
        if kind not in self._lists:
            self._lists[kind] = self.company.client.query_all(kind)
        return self._lists[kind]

    @property
    def items(self) -> list[dict]:
        return self.rows("Item")

    def income_account(self, item_id: str | None) -> str | None:
        row = next((i for i in self.items if str(i.get("Id")) == str(item_id)), None)
        return str((row.get("IncomeAccountRef") or {}).get("value")) if row else None

    def match(self, wanted: Wanted) -> dict | None:
        if wanted.kind == "Item":
            ours = [i for i in self.items if (i.get("IncomeAccountRef") or {}).get("value") == wanted.account_ref]
            return next((i for i in ours if i.get("Name", "").casefold() == wanted.name.casefold()),
                        ours[0] if ours else None)
        rows = self.rows(wanted.kind)
        if wanted.email:
            email = wanted.email.casefold()
            found = next((r for r in rows if ((r.get("PrimaryEmailAddr") or {}).get("Address") or "").casefold()
                          == email and _currency_fits(r, wanted)), None)
            if found:
                return found
        name = wanted.name.casefold()
        return next((r for r in rows if (r.get("DisplayName") or "").casefold() == name), None)


def _currency_fits(row: dict, wanted: Wanted) -> bool:
    return wanted.currency is None or (row.get("CurrencyRef") or {}).get("value") == wanted.currency


class MatchingTarget(matching.MatchingTarget):
    """The company as a posting target for master data (posting/matching.py): an object it already has is
    answered without a call; records naming one customer, vendor or item share one object."""

    def __init__(self, company: Company, directory: Directory, wanted: dict[str, Wanted]):
        super().__init__(company.target)
        self.directory, self.wanted = directory, wanted  # wanted by marker

    def match(self, kind: str, marker_: str) -> Remote | None:
        found = self.directory.match(self.wanted[marker_])
        return to_remote(found) if found else None

    def refresh(self) -> None:
        self.directory.refresh()

    def identity(self, record: PostRecord, earlier: dict[Hashable, PostRecord]) -> tuple[Hashable, PostRecord]:
        wanted = self.wanted[record.marker]
        return (wanted.kind if wanted.kind == "Item" else "party", wanted.name.casefold()), record


def master_records(tenant: str, wanted: list[Wanted]) -> tuple[list[PostRecord], dict[str, Wanted]]:
    return matching.master_records(wanted, lambda key: marker(tenant, key))
