"""The books a chaos run left, in a form two runs can be compared by.

Each accounting sandbox's full state (`/_sandbox/state/...`) with what legitimately differs between two
runs taken out: the ids the service assigned (QuickBooks Ids, Xero UUIDs) are replaced by a label of the
object they name (our marker, a display name or a code), and bookkeeping of the service itself (SyncToken,
timestamps, replay caches, id counters) is dropped. What is left is what an accountant sees: every
object, its lines, amounts, dates, statuses and whom it points at. Equal states mean equal books.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import requests

# the service's own bookkeeping: differs between two runs that post the same books
QUICKBOOKS_VOLATILE = frozenset({"Id", "SyncToken", "MetaData", "domain", "sparse", "CreateTime",
                                 "LastUpdatedTime"})
XERO_VOLATILE = frozenset({"UpdatedDateUTC", "CreatedDateUTC"})
QUICKBOOKS_LABELS = ("DocNumber", "DisplayName", "FullyQualifiedName", "Name", "PrivateNote", "Code")
XERO_LABELS = ("Reference", "ContactNumber", "Code", "Name", "Narration", "InvoiceNumber", "CreditNoteNumber")
# a reference's key -> the QuickBooks entity it names, where the key does not say it plainly
QUICKBOOKS_REF_KINDS = {"DepositToAccountRef": "Account", "ARAccountRef": "Account", "APAccountRef": "Account",
                        "FromAccountRef": "Account", "ToAccountRef": "Account", "IncomeAccountRef": "Account",
                        "ExpenseAccountRef": "Account", "AssetAccountRef": "Account"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


def fetch(base_url: str, company: str) -> dict[str, Any]:
    answer = requests.get(f"{base_url}/_sandbox/state/{company}", timeout=30)
    answer.raise_for_status()
    return answer.json()


# --- QuickBooks --------------------------------------------------------------------------------------

def quickbooks_books(state: dict[str, Any]) -> dict[str, Any]:
    """Objects (live and deleted) by entity, ids replaced by labels; and the ledger's balances by account."""
    labels: dict[tuple[str, str], str] = {}
    for part in ("objects", "deleted"):
        for kind, objects in state.get(part, {}).items():
            for obj_id, obj in objects.items():
                labels[(kind, str(obj_id))] = f"{kind}:{_first(obj, QUICKBOOKS_LABELS) or obj_id}"
    books: dict[str, Any] = {}
    for part in ("objects", "deleted"):
        for kind, objects in state.get(part, {}).items():
            books[f"{part}/{kind}"] = _sorted(_quickbooks_value(o, labels, None) for o in objects.values())
    books["balances"] = {labels.get(("Account", k), k): v["home"]
                         for k, v in state.get("ledger", {}).get("balances", {}).items()}
    return books


def _quickbooks_value(value: Any, labels: dict[tuple[str, str], str], key: str | None) -> Any:
    if isinstance(value, dict):
        kind = _ref_kind(key, value)
        out = {}
        for k, v in value.items():
            if k in QUICKBOOKS_VOLATILE:
                continue
            if k == "value" and kind is not None:
                out[k] = labels.get((kind, str(v)), v)
            elif k == "EntityRef" and isinstance(v, dict) and "value" in v:  # its kind: in the ref, or beside it
                entity = str(v.get("type") or value.get("Type"))
                out[k] = {**v, "value": labels.get((entity, str(v["value"])), v["value"])}
            elif k == "TxnId":
                out[k] = labels.get((str(value.get("TxnType")), str(v)), v)
            else:
                out[k] = _quickbooks_value(v, labels, k)
        return out
    if isinstance(value, list):
        return [_quickbooks_value(v, labels, key) for v in value]
    return value


def _ref_kind(key: str | None, ref: dict[str, Any]) -> str | None:
    if not key or not key.endswith("Ref") or "value" not in ref:
        return None
    if key == "EntityRef":
        return str(ref.get("type") or "")
    return QUICKBOOKS_REF_KINDS.get(key, key[:-3])


# --- Xero --------------------------------------------------------------------------------------------

def xero_books(state: dict[str, Any]) -> dict[str, Any]:
    """Every collection, UUIDs replaced by the label of what they name; balances by account code."""
    collections = {k: v for k, v in state.items() if isinstance(v, list)}
    labels: dict[str, str] = {}
    for name, rows in collections.items():
        for row in rows:
            own = row.get(f"{name[:-1]}ID") or next((v for k, v in row.items() if k.endswith("ID")
                                                     and isinstance(v, str) and UUID.match(v)), None)
            if isinstance(own, str):
                labels[own] = f"{name}:{_first(row, XERO_LABELS) or own}"
    books: dict[str, Any] = {name: _sorted(_xero_value(r, labels) for r in rows) for name, rows in collections.items()}
    books["balances"] = state.get("balances_by_code", {})
    return books


def _xero_value(value: Any, labels: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _xero_value(v, labels) for k, v in value.items() if k not in XERO_VOLATILE}
    if isinstance(value, list):
        return [_xero_value(v, labels) for v in value]
    if isinstance(value, str) and UUID.match(value):
        return labels.get(value, value)
    return value


# --- comparing ---------------------------------------------------------------------------------------

def differences(clean: dict[str, Any], other: dict[str, Any], limit: int = 5) -> list[str]:
    """What the second books hold that the first do not, and the reverse; [] when they are the same."""
    found: list[str] = []
    for part in sorted(set(clean) | set(other)):
        left, right = clean.get(part), other.get(part)
        if left == right:
            continue
        if isinstance(left, list) and isinstance(right, list):
            a, b = Counter(map(_key, left)), Counter(map(_key, right))
            extra, missing = b - a, a - b
            found.append(f"{part}: {sum(extra.values())} extra, {sum(missing.values())} missing")
            found += [f"  extra   {k[:300]}" for k in list(extra)[:limit]]
            found += [f"  missing {k[:300]}" for k in list(missing)[:limit]]
        else:
            found.append(f"{part}: {json.dumps(left, sort_keys=True)[:300]} != {json.dumps(right, sort_keys=True)[:300]}")
    return found


def count_objects(books: dict[str, Any]) -> int:
    return sum(len(v) for k, v in books.items() if isinstance(v, list) and not k.startswith("deleted/"))


def _first(obj: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    for name in fields:
        value = obj.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _sorted(values) -> list[Any]:
    return sorted(values, key=_key)
