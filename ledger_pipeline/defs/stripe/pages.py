"""What we read in each page as it arrives: are its objects well formed, and what must be fetched next.

Pages go to the warehouse as the JSON text Stripe sent (DuckDB splits them into objects, slice.py), so
Python never re-serializes an object; it only reads the parsed page to validate it and plan requests.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger_pipeline.defs.stripe.client import Answer
from ledger_pipeline.defs.stripe.crawl import Fetch
from ledger_pipeline.defs.stripe.objects import TRACKED_TYPES, problem

FRESH = frozenset({"list", "relist", "expand", "retrieve", "account"})  # the state at fetch time


@dataclass(frozen=True)
class Reject:
    seq: int
    idx: int
    part: str          # object | source (a balance transaction's) | payload (an event's)
    object_type: str | None
    object_id: str | None
    reason: str


def _id_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


@dataclass
class Observer:
    """Validates objects and remembers what the next wave of requests needs."""

    rejects: list[Reject] = field(default_factory=list)
    fresh_charges: set[str] = field(default_factory=set)     # charges whose state now this run has
    charge_refs: set[str] = field(default_factory=set)       # charges named by refunds and disputes
    payouts: dict[str, dict[str, Any]] = field(default_factory=dict)  # automatic payouts seen, by id
    lines_needed: dict[str, str] = field(default_factory=dict)  # invoice / credit note id -> its type
    composition_targets: list[str] = field(default_factory=list)  # decided after wave one
    refreshed_charges: list[str] = field(default_factory=list)    # decided after wave one

    def page(self, seq: int, fetch: Fetch, answer: Answer) -> None:
        items = answer.data["data"] if fetch.is_list else [answer.data]
        for idx, obj in enumerate(items):
            reason = problem(obj, fetch.object_type)
            if reason:  # filed under the list it came from, whatever it claims to be
                self._reject(seq, idx, "object", obj, reason, fetch.object_type)
            else:
                self._note(obj, fetch.origin)
            if not isinstance(obj, dict):
                continue
            # What rides inside is loaded as an observation of its own even when its parent is rejected,
            # so it is checked either way.
            kind = obj.get("object")
            if kind == "balance_transaction" and isinstance(obj.get("source"), dict):
                self._inner(seq, idx, "source", obj["source"], "expand")
            elif kind == "event" and isinstance(obj.get("data"), dict):
                self._inner(seq, idx, "payload", obj["data"].get("object"), "event")

    def _inner(self, seq: int, idx: int, part: str, obj: Any, origin: str) -> None:
        if not isinstance(obj, dict) or obj.get("object") not in TRACKED_TYPES:
            return  # kept inside its parent's JSON only
        reason = problem(obj)
        if reason:
            self._reject(seq, idx, part, obj, reason)
        else:
            self._note(obj, origin)

    def _note(self, obj: dict[str, Any], origin: str) -> None:
        kind, object_id = obj["object"], obj["id"]
        if kind == "charge" and origin in FRESH:
            self.fresh_charges.add(object_id)
        elif kind in ("refund", "dispute"):
            charge = _id_of(obj.get("charge"))
            if charge:
                self.charge_refs.add(charge)
        elif kind == "payout" and obj.get("automatic") is True:
            seen = self.payouts.setdefault(object_id, {"origins": set()})
            seen["origins"].add(origin)
            if origin in FRESH or "status" not in seen:
                seen.update(status=obj.get("status"), reconciliation_status=obj.get("reconciliation_status"))
        elif kind in ("invoice", "credit_note") and isinstance(obj.get("lines"), dict):
            if obj["lines"].get("has_more"):
                self.lines_needed[object_id] = kind

    def _reject(self, seq: int, idx: int, part: str, obj: Any, reason: str, kind: str | None = None) -> None:
        if kind is None and isinstance(obj, dict) and isinstance(obj.get("object"), str):
            kind = obj["object"]
        object_id = obj.get("id") if isinstance(obj, dict) else None
        self.rejects.append(Reject(seq, idx, part, kind, object_id if isinstance(object_id, str) else None, reason))


class PageFiles:
    """Each answer in its own file of a scratch folder, exactly as Stripe sent it (DuckDB reads them in
    C++, off the GIL), plus one small row per answer for the `fetched_pages` table."""

    def __init__(self, observed_at: int):
        self.observed_at = observed_at
        self._folder = tempfile.TemporaryDirectory(prefix="stripe-pages-")
        self.folder = Path(self._folder.name)
        self.rows: list[tuple] = []

    def add(self, seq: int, fetch: Fetch, answer: Answer) -> None:
        body = answer.body if fetch.is_list else '{"object":"list","has_more":false,"data":[' + answer.body + "]}"
        path = self.folder / f"{seq:08d}.json"
        path.write_text(body, encoding="utf-8")
        self.rows.append((seq, fetch.object_type, fetch.origin, fetch.parent_id, self.observed_at,
                          fetch.page_index, str(path)))

    def close(self) -> None:
        self._folder.cleanup()
