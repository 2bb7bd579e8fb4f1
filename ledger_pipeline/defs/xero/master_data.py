"""Master data before documents: the contacts and items the documents name, matched to what the organisation
already has before anything is created, and the tracking options their lines use.

- Contacts: Xero keeps customers and suppliers in one list, names unique among active contacts. Matched by
  our marker (ContactNumber), then email, then name; a name held by a contact with another email is
  somebody else, so ours is created as `<name> (<Stripe id>)` rather than taking theirs. Created with
  ContactNumber = our marker. A document Xero will not take without a contact (invoice, credit note,
  receive/spend money) and no Stripe counterparty gets the contact Stripe.
- Items: a Xero line books to its own AccountCode, so an item only labels it: the one the mapping names
  (by Code) is matched, or created with the line's account as its sales account.
- Tracking options: the options tracked lines name, added to their category when missing. A category is
  a setting (Xero allows two active ones): a missing one is reported with the fix, never created.

Contacts and items go through the posting protocol like documents (intent, Idempotency-Key,
sync.external_ids with key `contact/<Stripe id>`, `contact/stripe`, `item/<code>`), so a crash in the middle
never creates a second one: the next run matches it first. They are linked once and never updated: what an
accountant changes on a contact in Xero stays.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from xero_python.accounting.models import Contact, Item, Purchase, TrackingOption

from ledger_pipeline.defs.quickbooks.entries import Entry, Line
from ledger_pipeline.defs.xero import adapter, documents
from ledger_pipeline.posting import PostRecord, Remote, TargetError, matching
from ledger_pipeline.targets.xero.kinds import kind_of, status_of

CONTACTS, ITEMS = "Contacts", "Items"
NAME_LIMIT = 255                      # Xero: contact Name
ITEM_CODE_LIMIT, ITEM_NAME_LIMIT = 30, 50
PAGE = 1000                           # contacts per page read (Xero's largest pageSize)
LINKED = matching.LINKED


def clean_name(text: str, limit: int = NAME_LIMIT) -> str:
    return " ".join(text.split())[:limit]


@dataclass(frozen=True)
class Wanted:
    """A contact or item a document needs."""

    kind: str                        # Contacts | Items
    key: str                         # the record key in sync.external_ids
    name: str
    email: str | None = None
    code: str | None = None          # items: Code
    account_ref: str | None = None   # items: the sales account code
    account_name: str | None = None
    note: str | None = None

    @property
    def stripe_id(self) -> str:
        return self.key.split("/", 1)[1]

    def payload(self, mark: str | None = None, name: str | None = None) -> Any:
        if self.kind == ITEMS:
            return Item(code=self.code, name=self.name, description=self.note,
                        sales_details=Purchase(account_code=self.account_ref))
        return Contact(name=name or self.name, email_address=self.email, contact_number=mark)


STRIPE = Wanted(CONTACTS, "contact/stripe", "Stripe")


def wanted_for(entry: Entry, home_currency: str, how: documents.Shape | None = None) -> Wanted | None:
    """The contact on the other side of a document, when its Xero object takes one (`how`: its shape, when
    the caller has it). Xero's contacts take any currency: `home_currency` changes nothing here."""
    if not (how or documents.shape(entry)).needs_contact:
        return None
    kind, stripe_id = entry.counterparty_type, entry.counterparty
    if kind == "customer" and stripe_id:
        name = entry.counterparty_name or entry.counterparty_email or f"Stripe customer {stripe_id}"
        return Wanted(CONTACTS, f"contact/{stripe_id}", clean_name(name), entry.counterparty_email,
                      note=f"Stripe customer {stripe_id}")
    if kind == "connected_account" and (stripe_id or entry.counterparty_name):
        name = entry.counterparty_name or f"Stripe account {stripe_id}"
        return Wanted(CONTACTS, f"contact/{stripe_id or name}", clean_name(name), entry.counterparty_email)
    if kind == "platform" and entry.counterparty_name:
        return Wanted(CONTACTS, "contact/platform", clean_name(entry.counterparty_name), entry.counterparty_email)
    return STRIPE  # Stripe's fees, and the other side of what has no counterparty


def item_wanted(line: Line) -> Wanted | None:
    """The item the mapping names on the line (by Code), if it names one."""
    if not line.item_ref:
        return None
    code = line.item_ref[:ITEM_CODE_LIMIT]
    return Wanted(ITEMS, f"item/{code}", clean_name(line.item_name or code, ITEM_NAME_LIMIT), code=code,
                  account_ref=line.account_ref, account_name=line.account_name,
                  note=f"Sold through Stripe, booked by ledger_pipeline to {line.account_name}")


class Directory:
    """The organisation's active contacts and its items, each list read once, when first needed."""

    def __init__(self, company: Any):
        self.company = company         # anything with `.client`, a XeroClient
        self._lists: dict[str, list[Any]] = {}

    def refresh(self) -> None:
        self._lists.clear()

    def rows(self, kind: str) -> list[Any]:
        if kind not in self._lists:
            self._lists[kind] = _contacts(self.company.client) if kind == CONTACTS else _items(self.company.client)
        return self._lists[kind]

    @property
    def items(self) -> list[Any]:
        return self.rows(ITEMS)

    def income_account(self, code: str | None) -> str | None:
        """The sales account of the item with this Code, if the organisation has it."""
        found = self.item(code)
        return str(found.sales_details.account_code) if found is not None and found.sales_details else None

    def item(self, code: str | None) -> Any | None:
        wanted = (code or "").casefold()
        return next((i for i in self.items if (i.code or "").casefold() == wanted), None) if wanted else None

    def match(self, wanted: Wanted, mark: str | None = None) -> Any | None:
        if wanted.kind == ITEMS:
            return self.item(wanted.code)
        rows = self.rows(CONTACTS)
        found = next((r for r in rows if mark and r.contact_number == mark), None)
        email = (wanted.email or "").casefold()
        found = found or next((r for r in rows if email and (r.email_address or "").casefold() == email), None)
        named = self.named(wanted.name)
        if found is None and named is not None and _same_party(wanted.email, named.email_address):
            found = named
        return found

    def named(self, name: str) -> Any | None:
        name = name.casefold()
        return next((r for r in self.rows(CONTACTS) if (r.name or "").casefold() == name), None)


def _same_party(email: str | None, other: str | None) -> bool:
    """One name, and emails that do not tell two people apart."""
    return not email or not other or email.casefold() == other.casefold()


def _contacts(client: Any) -> list[Any]:
    found: list[Any] = []
    page = 1
    while True:
        data = client.call(lambda acc: acc.get_contacts(client.tenant_id, page=page, page_size=PAGE,
                                                        _request_timeout=client.connection.request_timeout),
                           idempotent=True)
        rows = list(data.contacts or [])
        found += [r for r in rows if status_of(r, kind_of(CONTACTS)) in (None, "ACTIVE")]
        if len(rows) < PAGE:
            return found
        page += 1


def _items(client: Any) -> list[Any]:
    data = client.call(lambda acc: acc.get_items(client.tenant_id, _request_timeout=client.connection.request_timeout),
                       idempotent=True)
    return list(data.items or [])


def to_remote(kind: str, row: Any) -> Remote:
    spec = kind_of(kind)
    return Remote(str(getattr(row, spec.id_attr)), None, status_of(row, spec), row)


class MatchingTarget(matching.MatchingTarget):
    """The organisation as a posting target for master data (posting/matching.py): what it already has is
    answered without a call; a contact whose name somebody else holds is created under a name of its own."""

    def __init__(self, company: Any, directory: Directory, wanted: dict[str, Wanted]):
        super().__init__(company.target)
        self.directory, self.wanted = directory, wanted  # wanted by marker

    def match(self, kind: str, mark: str) -> Remote | None:
        found = self.directory.match(self.wanted[mark], mark)
        return to_remote(kind, found) if found is not None else None

    def refresh(self) -> None:
        self.directory.refresh()

    def identity(self, record: PostRecord, earlier: dict[Hashable, PostRecord]) -> tuple[Hashable, PostRecord]:
        """The contact's own name, unless somebody else has it (in Xero, or earlier in this batch)."""
        wanted = self.wanted[record.marker]
        name = wanted.name
        if wanted.kind == CONTACTS:
            taken = self.directory.named(name)
            first = earlier.get((CONTACTS, name.casefold()))
            if (taken is not None and not _same_party(wanted.email, taken.email_address)) or \
                    (first is not None and not _same_party(wanted.email, self.wanted[first.marker].email)):
                name = clean_name(f"{name[:NAME_LIMIT - 40]} ({wanted.stripe_id})")
        sent = record if name == wanted.name else replace(record, payload=wanted.payload(record.marker, name))
        return (wanted.kind, name.casefold()), sent


def master_records(tenant: str, wanted: list[Wanted]) -> tuple[list[PostRecord], dict[str, Wanted]]:
    return matching.master_records(wanted, lambda key: adapter.marker(tenant, key))


# --- tracking options ---------------------------------------------------------------------------------
@dataclass
class TrackingReport:
    created: list[str] = field(default_factory=list)     # "Category: Option"
    problems: list[str] = field(default_factory=list)    # what a person must fix, with the fix


def tracking_wanted(lines: Iterable[Line]) -> dict[str, set[str]]:
    """Tracking category -> the options the lines name (by name; an option named by its id exists)."""
    wanted: dict[str, set[str]] = {}
    for line in lines:
        category = adapter.tracking(line)
        if category is not None and category.option and not category.tracking_option_id:
            wanted.setdefault(category.name, set()).add(category.option)
    return wanted


def ensure_tracking(client: Any, wanted: dict[str, set[str]]) -> TrackingReport:
    """Add the missing options to their (active) categories; report what cannot be added."""
    report = TrackingReport()
    if not wanted:
        return report
    timeout = client.connection.request_timeout
    data = client.call(lambda acc: acc.get_tracking_categories(client.tenant_id, _request_timeout=timeout),
                       idempotent=True)
    categories = {(c.name or "").casefold(): c for c in data.tracking_categories or []
                  if str(getattr(c.status, "value", c.status)) == "ACTIVE"}
    for name, options in sorted(wanted.items()):
        category = categories.get(name.casefold())
        if category is None:
            report.problems.append(f"tracking category '{name}' is not an active category in Xero: add it there "
                                   "(two active at most) or change the mapping's tracking.dimension")
            continue
        have = {(o.name or "").casefold() for o in category.options or []
                if str(getattr(o.status, "value", o.status)) == "ACTIVE"}
        for option in sorted(o for o in options if o.casefold() not in have):
            key = "lp-tracking-" + hashlib.sha256(f"{category.tracking_category_id}|{option}".encode()).hexdigest()
            try:
                client.call(lambda acc: acc.create_tracking_options(
                    client.tenant_id, category.tracking_category_id, TrackingOption(name=option),
                    idempotency_key=key, _request_timeout=timeout), idempotent=True)
            except TargetError as error:
                if not error.definitive:
                    raise
                report.problems.append(f"tracking option '{option}' of '{name}': {error.message}")
                continue
            report.created.append(f"{name}: {option}")
    return report
