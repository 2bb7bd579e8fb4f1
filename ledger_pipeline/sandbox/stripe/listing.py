"""Stripe's list answers: filters, `limit`, `starting_after` / `ending_before`, newest first.

Every list reads a sorted index (see index.py), narrowed by bisecting on `created` and on the cursor's
place, and walks only as far as the page needs. Equality filters read their own index; a second equality
filter, or a range on another date, is checked per object while walking.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Callable

from .errors import invalid, no_such, unknown_parameter
from .index import Entry
from .params import as_bool, as_int, as_range
from .store import INDEXED_FIELDS, Account, Record, Store, value_key

Predicate = Callable[[dict[str, Any]], bool]

PAGING = {"limit", "starting_after", "ending_before", "expand"}


@dataclass(frozen=True)
class ListSpec:
    kind: str                                   # the object type listed, e.g. "charge"
    url: str                                    # the collection's path, e.g. "/v1/charges"
    filters: tuple[str, ...] = ()               # equality filters on a top-level field
    bool_filters: tuple[str, ...] = ()          # equality filters that take true/false
    ranges: tuple[str, ...] = ("created",)      # date filters taking gt/gte/lt/lte
    special: tuple[str, ...] = ()               # parameters the route handles itself
    platform_only: bool = False


def parse_limit(params: dict[str, Any]) -> int:
    if "limit" not in params:
        return 10
    limit = as_int(params["limit"], "limit")
    if limit < 1:
        raise invalid("This value must be greater than or equal to 1.", param="limit")
    if limit > 100:
        raise invalid("This value must be less than or equal to 100.", param="limit")
    return limit


def list_objects(store: Store, spec: ListSpec, account: Account, params: dict[str, Any], *, url: str,
                 candidates: list[Entry] | None = None, predicates: list[Predicate] | None = None,
                 floor: int | None = None) -> dict[str, Any]:
    """One page of `spec.kind` objects of `account` as Stripe answers it.

    `candidates` replaces the type's index (e.g. a payout's transactions); `floor` is a lowest `created`
    (event retention); `predicates` are the route's own filters.
    """
    allowed = PAGING | set(spec.filters) | set(spec.bool_filters) | set(spec.ranges) | set(spec.special)
    for name in params:
        if name not in allowed:
            raise unknown_parameter(name)
    limit = parse_limit(params)
    checks: list[Predicate] = list(predicates or [])

    equal: list[tuple[str, str]] = []
    for name in spec.filters + spec.bool_filters:
        if name in params:
            raw = params[name]
            if not isinstance(raw, str):
                raise invalid(f"Invalid string: {raw}", param=name)
            equal.append((name, value_key(as_bool(raw, name)) if name in spec.bool_filters else raw))

    low, high = floor, None
    for name in spec.ranges:
        if name not in params:
            continue
        start, end = as_range(params[name], name)
        if name == "created":
            if start is not None:
                low = start if low is None else max(low, start)
            high = end
        else:
            checks.append(_in_range(name, start, end))

    with store.lock:
        indexed = [(name, value) for name, value in equal if name in INDEXED_FIELDS.get(spec.kind, ())]
        if candidates is None and indexed:
            # The narrowest equality index leads; the other equalities are checked per object.
            sizes = [(len(store.field_index(account, spec.kind, n, v)), n, v) for n, v in indexed]
            _, lead_name, lead_value = min(sizes)
            candidates = store.field_index(account, spec.kind, lead_name, lead_value).entries
            equal = [(n, v) for n, v in equal if n != lead_name]
        entries = candidates if candidates is not None else store.index(account, spec.kind).entries
        checks.extend(_equals(name, value) for name, value in equal)

        lo = 0 if low is None else bisect_left(entries, (low,))
        hi = len(entries) if high is None else bisect_left(entries, (high + 1,))
        after, before = params.get("starting_after"), params.get("ending_before")
        if after is not None and before is not None:
            raise invalid("You may only specify one of these parameters: ending_before, starting_after.",
                          param="ending_before")
        if after is not None:
            created, seq = _cursor(store, spec.kind, account, after, "starting_after")
            hi = min(hi, bisect_left(entries, (created, seq)))
        if before is not None:
            created, seq = _cursor(store, spec.kind, account, before, "ending_before")
            lo = max(lo, bisect_left(entries, (created, seq + 1)))

        check = _all(checks)
        records = store.records
        found: list[Record] = []
        # Newest first below a starting_after; the items just above an ending_before come oldest first.
        steps = range(lo, hi) if before is not None else range(hi - 1, lo - 1, -1)
        for position in steps:
            record = records[entries[position][2]]
            if check is None or check(record.obj):
                found.append(record)
                if len(found) > limit:
                    break
        has_more = len(found) > limit
        found = found[:limit]
        if before is not None:
            found.reverse()
        return {"object": "list", "data": [record.obj for record in found], "has_more": has_more, "url": url}


def list_embedded(items: list[dict[str, Any]], params: dict[str, Any], *, url: str, kind: str) -> dict[str, Any]:
    """Pages over a list an object carries inside it (invoice and credit note lines), in its own order."""
    for name in params:
        if name not in PAGING:
            raise unknown_parameter(name)
    limit = parse_limit(params)
    after, before = params.get("starting_after"), params.get("ending_before")
    if after is not None and before is not None:
        raise invalid("You may only specify one of these parameters: ending_before, starting_after.",
                      param="ending_before")
    ids = [item.get("id") for item in items]
    if after is not None:
        if after not in ids:
            raise no_such(kind, after, param="starting_after", status=400)
        window = items[ids.index(after) + 1:]
        return {"object": "list", "data": window[:limit], "has_more": len(window) > limit, "url": url}
    if before is not None:
        if before not in ids:
            raise no_such(kind, before, param="ending_before", status=400)
        window = items[:ids.index(before)]
        return {"object": "list", "data": window[-limit:], "has_more": len(window) > limit, "url": url}
    return {"object": "list", "data": items[:limit], "has_more": len(items) > limit, "url": url}


def _cursor(store: Store, kind: str, account: Account, object_id: Any, param: str) -> tuple[int, int]:
    record = store.get(object_id) if isinstance(object_id, str) else None
    if record is None or record.type != kind or record.account != account:
        raise no_such(kind, str(object_id), param=param, status=400)
    created, seq, _ = record.entry
    return created, seq


def _equals(name: str, value: str) -> Predicate:
    return lambda obj: value_key(obj.get(name)) == value


def _in_range(name: str, start: int | None, end: int | None) -> Predicate:
    def check(obj: dict[str, Any]) -> bool:
        stamp = obj.get(name)
        if stamp is None:
            return False
        return (start is None or stamp >= start) and (end is None or stamp <= end)
    return check


def _all(checks: list[Predicate]) -> Predicate | None:
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    return lambda obj: all(check(obj) for check in checks)
