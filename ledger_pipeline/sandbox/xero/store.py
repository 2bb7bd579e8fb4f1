"""One organisation's books: its settings and every document, kept as Xero-shaped dicts.

Stored dicts use Xero's field names with Python values (Decimal amounts, `date` dates, epoch-ms
`UpdatedDateUTC`); keys starting with `_` are the sandbox's own bookkeeping and never go out.
Handlers never edit a stored dict in place: they build a new one and `put` it, so a batch can be
rolled back (Xero saves nothing from a summarised batch that has an invalid element).
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Iterator

COLLECTIONS = (
    "accounts", "tax_rates", "tracking_categories", "currencies", "contacts", "items", "invoices",
    "credit_notes", "payments", "allocations", "overpayments", "manual_journals", "bank_transactions",
    "bank_transfers", "meta",
)


class Books:
    """A tenant's state. `organisation` is the Organisation record; `fx_rates` are foreign units per base unit."""

    def __init__(self, tenant_id: str, organisation: dict, fx_rates: dict[str, Decimal] | None = None,
                 data: dict[str, dict[str, dict]] | None = None):
        self.tenant_id = tenant_id
        self.organisation = organisation
        self.fx_rates = dict(fx_rates or {})
        self.data: dict[str, dict[str, dict]] = {name: {} for name in COLLECTIONS}
        for name, rows in (data or {}).items():
            self.data[name] = dict(rows)
        self._undo: list[tuple[str, str, dict | None]] = []
        self._depth = 0

    # ------------------------------------------------------------ reading
    @property
    def name(self) -> str:
        return self.organisation["Name"]

    @property
    def base_currency(self) -> str:
        return self.organisation["BaseCurrency"]

    def get(self, collection: str, key: str | None) -> dict | None:
        if not key:
            return None
        return self.data[collection].get(str(key).lower()) or self.data[collection].get(str(key))

    def all(self, collection: str) -> list[dict]:
        return list(self.data[collection].values())

    def __getitem__(self, collection: str) -> dict[str, dict]:
        return self.data[collection]

    # ------------------------------------------------------------ writing, with undo
    def put(self, collection: str, key: str, obj: dict) -> dict:
        key = key.lower()
        if self._depth:
            self._undo.append((collection, key, self.data[collection].get(key)))
        self.data[collection][key] = obj
        return obj

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo every `put` made inside if the block raises."""
        mark = len(self._undo)
        self._depth += 1
        try:
            yield
        except BaseException:
            self.rollback_to(mark)
            raise
        finally:
            self._depth -= 1
            if not self._depth:
                self._undo.clear()

    def mark(self) -> int:
        return len(self._undo)

    def rollback_to(self, mark: int) -> None:
        while len(self._undo) > mark:
            collection, key, old = self._undo.pop()
            if old is None:
                self.data[collection].pop(key, None)
            else:
                self.data[collection][key] = old

    # ------------------------------------------------------------ lookups Xero does by several keys
    def account(self, ref: dict | None) -> dict | None:
        """An account named by `AccountID` or `Code` (what requests carry)."""
        if not ref:
            return None
        if ref.get("AccountID"):
            return self.get("accounts", ref["AccountID"])
        if ref.get("Code") not in (None, ""):
            return self.account_by_code(str(ref["Code"]))
        return None

    def account_by_code(self, code: str) -> dict | None:
        wanted = code.strip().lower()
        for acc in self.data["accounts"].values():
            if str(acc.get("Code") or "").lower() == wanted and acc["Status"] != "DELETED":
                return acc
        return None

    def system_account(self, system: str) -> dict:
        for acc in self.data["accounts"].values():
            if acc.get("SystemAccount") == system and acc["Status"] != "DELETED":
                return acc
        raise KeyError(f"{self.name} has no {system} system account")

    def tax_rate(self, tax_type: str | None) -> dict | None:
        if not tax_type:
            return None
        return self.data["tax_rates"].get(tax_type.lower())

    def contact_by(self, field: str, value: str) -> dict | None:
        wanted = value.strip().casefold()
        for contact in self.data["contacts"].values():
            if contact["ContactStatus"] != "ARCHIVED" and str(contact.get(field) or "").strip().casefold() == wanted:
                return contact
        return None

    def tracking_category(self, key: str) -> dict | None:
        found = self.get("tracking_categories", key)
        if found:
            return found
        wanted = key.strip().casefold()
        for cat in self.data["tracking_categories"].values():
            if cat["Name"].casefold() == wanted and cat["Status"] != "DELETED":
                return cat
        return None

    def currency_enabled(self, code: str) -> bool:
        return code.lower() in self.data["currencies"]

    def next_number(self, counter: str, prefix: str, taken: set[str]) -> str:
        """Xero's next document number (INV-0001, CN-0001, ...), skipping numbers already used."""
        meta = dict(self.get("meta", "counters") or {})
        n = int(meta.get(counter, 0))
        while True:
            n += 1
            number = f"{prefix}{n:04d}"
            if number.casefold() not in taken:
                break
        meta[counter] = n
        self.put("meta", "counters", meta)
        return number

    # ------------------------------------------------------------ persistence
    def to_state(self) -> dict[str, Any]:
        return {"tenant_id": self.tenant_id, "organisation": self.organisation, "fx_rates": self.fx_rates,
                "data": self.data}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Books":
        return cls(state["tenant_id"], state["organisation"], state.get("fx_rates"), state.get("data"))
