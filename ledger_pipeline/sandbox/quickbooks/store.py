"""One QuickBooks company's state: its objects by entity and Id, Id counters, requestid answers, indexes.

Objects are kept as QuickBooks JSON (dicts, amounts as Decimal). The ledger and the link indexes are
derived from them and rebuilt after loading a saved file.
"""

from __future__ import annotations

import copy
import threading
from collections import defaultdict
from decimal import Decimal
from typing import Any, Iterator

from .ledger import Ledger

# the unique name of each name-list entity; Customer, Vendor and Employee share one namespace
NAME_FIELD = {"Customer": "DisplayName", "Vendor": "DisplayName", "Employee": "DisplayName", "Account": "Name",
              "Item": "Name", "Class": "Name", "Department": "Name", "CompanyCurrency": "Code"}


def name_scope(entity: str) -> str:
    return "people" if entity in ("Customer", "Vendor", "Employee") else entity


class Company:
    def __init__(self, realm_id: str, name: str, *, timezone: str = "America/Los_Angeles",
                 forbid_duplicate_doc_numbers: bool = True,
                 exchange_rates: dict[str, Decimal] | None = None) -> None:
        self.realm_id = realm_id
        self.name = name
        self.settings: dict[str, Any] = {
            "timezone": timezone,
            # QBO's "warn if duplicate number" preference: when on, the API refuses a reused DocNumber
            "forbid_duplicate_doc_numbers": forbid_duplicate_doc_numbers,
        }
        self.exchange_rates: dict[str, Decimal] = dict(exchange_rates or {})
        self.objects: dict[str, dict[str, dict]] = defaultdict(dict)
        self.next_ids: dict[str, int] = defaultdict(lambda: 1)
        self.deleted: dict[str, dict[str, dict]] = defaultdict(dict)  # tombstones, for the state dump
        self.request_ids: dict[str, dict[str, Any]] = {}  # requestid -> {"status", "body"} of the first answer
        self.ledger = Ledger()
        # ("Invoice", "12") -> {("Payment", "40"), ...}: who points at a transaction through LinkedTxn
        self.linked_from: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        # customer Id -> {("Invoice", "12"), ...}: the customer's transactions, for Customer.Balance
        self.by_customer: dict[str, set[tuple[str, str]]] = defaultdict(set)
        # lookups kept in step by put/remove, so unique-name and DocNumber checks stay O(1)
        self.names: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
        self.doc_numbers: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.max_doc_number: dict[str, int] = defaultdict(int)
        self.lock = threading.RLock()

    # --- settings that live in the API-visible objects ---------------------------------------------
    @property
    def timezone(self) -> str:
        return self.settings["timezone"]

    @property
    def preferences(self) -> dict:
        return self.objects["Preferences"]["1"]

    @property
    def home_currency(self) -> str:
        return self.preferences.get("CurrencyPrefs", {}).get("HomeCurrency", {}).get("value", "USD")

    @property
    def multicurrency(self) -> bool:
        return bool(self.preferences.get("CurrencyPrefs", {}).get("MultiCurrencyEnabled", False))

    def enabled_currencies(self) -> set[str]:
        codes = {self.home_currency}
        if self.multicurrency:
            codes |= {c["Code"] for c in self.objects["CompanyCurrency"].values() if c.get("Active", True)}
        return codes

    # --- objects ------------------------------------------------------------------------------------
    def get(self, entity: str, ident: Any) -> dict | None:
        return self.objects[entity].get(str(ident)) if ident not in (None, "") else None

    def all(self, entity: str) -> Iterator[dict]:
        return iter(list(self.objects[entity].values()))

    def new_id(self, entity: str) -> str:
        ident = self.next_ids[entity]
        while str(ident) in self.objects[entity] or str(ident) in self.deleted[entity]:
            ident += 1
        self.next_ids[entity] = ident + 1
        return str(ident)

    def put(self, entity: str, obj: dict) -> None:
        self._unindex(entity, self.objects[entity].get(obj["Id"]))
        self.objects[entity][obj["Id"]] = obj
        self._index(entity, obj)

    def remove(self, entity: str, ident: str) -> dict | None:
        obj = self.objects[entity].pop(ident, None)
        if obj is not None:
            self._unindex(entity, obj)
            self.deleted[entity][ident] = obj
        return obj

    # --- lookups ------------------------------------------------------------------------------------
    @staticmethod
    def name_key(name: Any) -> str:
        return " ".join(str(name).split()).casefold()

    def name_owner(self, entity: str, name: Any) -> tuple[str, str] | None:
        """Who holds this name in the entity's namespace (customers and vendors share one)."""
        return self.names[name_scope(entity)].get(self.name_key(name))

    def doc_number_owners(self, entity: str, number: str) -> set[str]:
        return set(self.doc_numbers[entity].get(str(number), ()))

    def _index(self, entity: str, obj: dict | None) -> None:
        if obj is None:
            return
        field = NAME_FIELD.get(entity)
        if field and obj.get(field):
            self.names[name_scope(entity)][self.name_key(obj[field])] = (entity, obj["Id"])
        number = obj.get("DocNumber")
        if number not in (None, ""):
            self.doc_numbers[entity][str(number)].add(obj["Id"])
            if str(number).isdigit():
                self.max_doc_number[entity] = max(self.max_doc_number[entity], int(number))

    def _unindex(self, entity: str, obj: dict | None) -> None:
        if obj is None:
            return
        field = NAME_FIELD.get(entity)
        if field and obj.get(field):
            scope = self.names[name_scope(entity)]
            if scope.get(self.name_key(obj[field])) == (entity, obj["Id"]):
                del scope[self.name_key(obj[field])]
        number = obj.get("DocNumber")
        if number not in (None, ""):
            self.doc_numbers[entity][str(number)].discard(obj["Id"])

    def find_account(self, *, name: str | None = None, subtype: str | None = None,
                     account_type: str | None = None, currency: str | None = None) -> dict | None:
        """First active account matching all given traits (default accounts are looked up this way)."""
        for account in self.objects["Account"].values():
            if not account.get("Active", True):
                continue
            if name and account.get("Name") != name:
                continue
            if subtype and account.get("AccountSubType") != subtype:
                continue
            if account_type and account.get("AccountType") != account_type:
                continue
            if currency and account.get("CurrencyRef", {}).get("value", self.home_currency) != currency:
                continue
            return account
        return None

    # --- persistence --------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "realm_id": self.realm_id,
                "name": self.name,
                "settings": copy.deepcopy(self.settings),
                "exchange_rates": dict(self.exchange_rates),
                "objects": {e: copy.deepcopy(objs) for e, objs in self.objects.items() if objs},
                "deleted": {e: copy.deepcopy(objs) for e, objs in self.deleted.items() if objs},
                "next_ids": dict(self.next_ids),
                "request_ids": copy.deepcopy(self.request_ids),
            }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Company":
        company = cls(data["realm_id"], data["name"])
        company.settings.update(data.get("settings", {}))
        company.exchange_rates = {k: Decimal(str(v)) for k, v in data.get("exchange_rates", {}).items()}
        for entity, objs in data.get("objects", {}).items():
            for obj in objs.values():
                company.put(entity, obj)
        for entity, objs in data.get("deleted", {}).items():
            company.deleted[entity].update(objs)
        company.next_ids.update({k: int(v) for k, v in data.get("next_ids", {}).items()})
        company.request_ids.update(data.get("request_ids", {}))
        return company
