"""The sandbox's objects, per account and type, with the indexes lists and cursors need.

Objects are kept in the API's own shape (what a retrieve answers). Which account owns an object is kept
beside it: the seed format marks a connected account's objects with a top-level `"account"` key, which is
stripped here, except for types whose Stripe shape has a real `account` field.
"""

from __future__ import annotations

import copy
import gc
import marshal
import threading
from dataclasses import dataclass
from typing import Any, Iterator

from .index import EMPTY, Entry, SortedIndex

Account = str | None  # None is the platform

# Types whose top-level `account` is a real Stripe field, not the seed's owner marker; they belong to the
# platform (an application fee names the connected account it came from).
REAL_ACCOUNT_FIELD = {"application_fee", "bank_account", "card", "person", "capability", "platform_tax_fee"}

# Equality filters of the list endpoints, indexed so a filtered page never scans the whole list.
INDEXED_FIELDS: dict[str, tuple[str, ...]] = {
    "balance_transaction": ("type", "source", "currency"),
    "charge": ("customer", "payment_intent", "transfer_group"),
    "payment_intent": ("customer",),
    "refund": ("charge", "payment_intent"),
    "dispute": ("charge", "payment_intent"),
    "payout": ("status", "destination"),
    "customer": ("email",),
    "product": ("active",),
    "price": ("product", "active", "currency", "type"),
    "invoice": ("customer", "status", "subscription", "collection_method"),
    "credit_note": ("invoice", "customer"),
    "invoice_payment": ("invoice",),
    "tax_rate": ("active", "inclusive"),
    "application_fee": ("charge",),
    "transfer": ("destination", "transfer_group"),
    "event": ("type",),
}


def plain_copy(obj: Any) -> Any:
    """A deep copy of JSON-shaped data; marshal does it several times faster than copy.deepcopy."""
    try:
        return marshal.loads(marshal.dumps(obj))
    except ValueError:  # something marshal cannot carry (an OrderedDict, a Decimal): the slow way
        return copy.deepcopy(obj)


def value_key(value: Any) -> str | None:
    """How a field's value is compared with a query parameter (always a string on the wire)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return value.get("id")
    return str(value)


@dataclass(slots=True)
class Record:
    obj: dict[str, Any]
    account: Account
    seq: int
    deleted: bool = False

    @property
    def type(self) -> str:
        return self.obj["object"]

    @property
    def entry(self) -> Entry:
        return (int(self.obj.get("created") or 0), self.seq, self.obj["id"])


class Store:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.records: dict[str, Record] = {}  # Stripe ids are unique across accounts
        self.accounts: set[str] = set()       # connected accounts the platform may act as
        self.explicit_composition: dict[str, list[str]] = {}
        self.versions: dict[str, int] = {}    # per object type, bumped on change; derived views cache on it
        self._seq = 0
        self._indexes: dict[tuple[Account, str], SortedIndex] = {}
        self._field_indexes: dict[tuple[Account, str, str, str], SortedIndex] = {}

    # --- loading -------------------------------------------------------------------------------------

    def load(self, seed: dict[str, Any], copy_objects: bool = True) -> int:
        """Add (or replace, by id) the objects of a seed; returns how many objects it held.

        The objects are copied unless the caller hands them over (`copy_objects=False`)."""
        objects = seed.get("objects", []) if isinstance(seed, dict) else None
        if not isinstance(objects, list):
            raise ValueError("a seed is {'objects': [Stripe objects], 'payout_composition': {...}}")
        for raw in objects:  # refuse a bad seed before any of it is in
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or "object" not in raw:
                raise ValueError(f"seed object without id/object: {str(raw)[:120]}")
        composition = seed.get("payout_composition", {}) or {}
        if not isinstance(composition, dict):
            raise ValueError("seed 'payout_composition' must map payout ids to balance transaction ids")
        collecting = gc.isenabled()
        gc.disable()  # a bulk load makes only acyclic dicts; repeated collections would triple its time
        try:
            self._load(objects, composition, copy_objects)
        finally:
            if collecting:
                gc.enable()
        return len(objects)

    def _load(self, objects: list[Any], composition: dict[str, list[str]], copy_objects: bool) -> None:
        with self.lock:
            for raw in objects:
                obj = plain_copy(raw) if copy_objects else raw
                self.put(obj, self._owner(obj))
            for payout_id, txn_ids in composition.items():
                self.explicit_composition[payout_id] = list(txn_ids)
            self._bump("payout_composition")

    def _owner(self, obj: dict[str, Any]) -> Account:
        kind = obj["object"]
        if kind == "account":
            obj.pop("account", None)
            self.accounts.add(obj["id"])
            return None
        if kind == "event":  # an event's `account` is both Stripe's field and its owner
            owner = obj.get("account")
        elif kind in REAL_ACCOUNT_FIELD:
            return None
        else:
            owner = obj.pop("account", None)
        if owner:
            self.accounts.add(owner)
        return owner or None

    # --- writing -------------------------------------------------------------------------------------

    def put(self, obj: dict[str, Any], account: Account) -> Record:
        """Insert an object, or replace the one with its id (keeping its place among equal `created`)."""
        with self.lock:
            old = self.records.get(obj["id"])
            if old is not None:
                self._unindex(old)
                seq = old.seq
            else:
                self._seq += 1
                seq = self._seq
            record = Record(obj, account, seq, deleted=bool(obj.get("deleted")))
            self.records[obj["id"]] = record
            self._index(record)
            self._bump(record.type)
            return record

    def mark_deleted(self, object_id: str) -> Record:
        with self.lock:
            record = self.records[object_id]
            self._unindex(record)
            record.deleted = True
            self._bump(record.type)
            return record

    def _bump(self, kind: str) -> None:
        self.versions[kind] = self.versions.get(kind, 0) + 1

    def version(self, *kinds: str) -> tuple[int, ...]:
        return tuple(self.versions.get(kind, 0) for kind in kinds)

    def _index(self, record: Record) -> None:
        if record.deleted:
            return
        entry = record.entry
        account, kind = record.account, record.type
        _index_of(self._indexes, (account, kind)).add(entry)
        for field in INDEXED_FIELDS.get(kind, ()):
            value = value_key(record.obj.get(field))
            if value is not None:
                _index_of(self._field_indexes, (account, kind, field, value)).add(entry)

    def _unindex(self, record: Record) -> None:
        if record.deleted:
            return
        entry = record.entry
        key = (record.account, record.type)
        self._indexes.get(key, EMPTY).remove(entry)
        for field in INDEXED_FIELDS.get(record.type, ()):
            value = value_key(record.obj.get(field))
            if value is not None:
                self._field_indexes.get((*key, field, value), EMPTY).remove(entry)

    # --- reading -------------------------------------------------------------------------------------

    def get(self, object_id: str) -> Record | None:
        return self.records.get(object_id)

    def index(self, account: Account, kind: str) -> SortedIndex:
        return self._indexes.get((account, kind), EMPTY)

    def field_index(self, account: Account, kind: str, field: str, value: str) -> SortedIndex:
        return self._field_indexes.get((account, kind, field, value), EMPTY)

    def of_type(self, kind: str) -> Iterator[Record]:
        """Every live object of a type in every account (for derived views, not for requests)."""
        for (_, indexed_kind), index in list(self._indexes.items()):
            if indexed_kind == kind:
                for _, _, object_id in index.entries:
                    yield self.records[object_id]

    def __len__(self) -> int:
        return len(self.records)

    # --- saving --------------------------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        """The state in the seed format (load order kept, so ties in `created` come back the same)."""
        with self.lock:
            objects = [self._seed_form(record) for record in sorted(self.records.values(), key=lambda r: r.seq)]
            return {"objects": objects,
                    "payout_composition": {k: list(v) for k, v in self.explicit_composition.items()}}

    @staticmethod
    def _seed_form(record: Record) -> dict[str, Any]:
        obj = plain_copy(record.obj)
        if record.deleted and not obj.get("deleted"):
            obj = {"id": obj["id"], "object": obj["object"], "deleted": True}
        if record.account and record.type not in REAL_ACCOUNT_FIELD and record.type not in ("event", "account"):
            obj["account"] = record.account
        return obj


def _index_of(indexes: dict, key: tuple) -> SortedIndex:
    index = indexes.get(key)
    if index is None:
        index = indexes[key] = SortedIndex()
    return index
