"""The generator's shared state: accounts, the clock, the objects made so far, events and balance history.

Objects are recorded with the account that owns them (None = the platform); the seed's `"account"` marker
is added only when the seed is assembled, so event snapshots never carry it.

Event snapshots are shallow copies: the generator changes objects only by replacing top-level fields, never
by editing a nested dict or list in place, so an earlier snapshot keeps the nested values it saw. The price
is that a snapshot and the object may share unchanged nested sub-objects in the returned seed; deep-copy
before editing a seed in place (the sandbox store does on load; JSON round-trips do).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from . import factories as f
from .gen_ids import IdMaker
from .gen_money import PRICING, FxTable, Pricing

DAY = 86400
Obj = dict[str, Any]


@dataclass
class Account:
    id: str
    fragment: str
    index: int               # 0 = the platform
    country: str
    currency: str            # settlement currency
    kind: str                # platform | standard | express
    flow: str                # platform | direct | destination
    payout_interval: str     # daily | manual
    display_name: str
    descriptor: str
    bank_account: str = ""
    payout_minute: int = 150  # automatic payouts are created this many minutes after midnight (+ jitter)

    def __post_init__(self) -> None:
        # the seed's owner marker: None for the platform (a plain attribute: it is read for every object)
        self.marker: str | None = None if self.kind == "platform" else self.id

    @property
    def pricing(self) -> Pricing:
        return PRICING[self.country]


@dataclass
class World:
    rng: random.Random
    ids: IdMaker
    start: int                # first second of the window (UTC midnight)
    days: int
    fx: FxTable
    emit_events: bool = True
    accounts: list[Account] = field(default_factory=list)
    records: list[tuple[int, int, Obj, str | None]] = field(default_factory=list)  # (created, seq, obj, marker)
    bts: dict[str, list[Obj]] = field(default_factory=dict)   # account id -> its balance transactions
    composition: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The moment the data describes ("now"): midnight after the last generated day.
        self.end: int = self.start + self.days * DAY

    @property
    def platform(self) -> Account:
        return self.accounts[0]

    # --- time ---------------------------------------------------------------------------------------

    def day_of(self, t: int) -> int:
        return (t - self.start) // DAY

    def midnight_after(self, t: int, days: int) -> int:
        """00:00 UTC `days` days after the day of `t` (Stripe's available_on for card funds)."""
        return (t // DAY + days) * DAY

    def in_day(self, day: int, low: int = 1, high: int = DAY - 1) -> int:
        """A random second of window day `day` between `low` and `high` seconds after midnight."""
        return self.start + day * DAY + low + int(self.rng.random() * (high - low + 1))

    def later(self, t: int, low: int, high: int) -> int:
        """A random moment `low`..`high` seconds after `t`, never exactly on a midnight."""
        moment = t + low + int(self.rng.random() * (high - low + 1))
        if moment % DAY == 0:
            moment += 1
        return moment

    def at_fraction(self, fraction: float, jitter: int = 3600) -> int:
        """A moment at `fraction` of the window (plus jitter), inside it and off midnight."""
        moment = self.start + int((self.end - self.start) * fraction) + self.rng.randint(1, jitter)
        moment = min(max(moment, self.start + 1), self.end - 2)
        if DAY - moment % DAY <= 900:   # keep a margin: callers add a few minutes for follow-up steps
            moment -= 1000
        return self.off_midnight(max(moment, self.start + 1))

    @staticmethod
    def off_midnight(t: int) -> int:
        """`t`, or a second later if it falls exactly on 00:00:00 (kept for the one deliberate case)."""
        return t + 1 if t % DAY == 0 else t

    def before_end(self, t: int) -> bool:
        return t < self.end

    # --- recording ----------------------------------------------------------------------------------

    def new_id(self, prefix: str, account: Account) -> str:
        return self.ids.new(prefix, account.fragment)

    def add(self, obj: Obj, account: Account) -> Obj:
        self.records.append((obj["created"], len(self.records), obj, account.marker))
        return obj

    def event(self, kind: str, obj: Obj, t: int, account: Account, previous: Obj | None = None,
              automatic: bool = False) -> Obj | None:
        """Record an event with a snapshot of `obj` as it is now (call before the next change).

        `automatic` events (payout schedule, disputes, automatic invoice steps) have no request id."""
        if not self.emit_events:
            return None
        if t >= self.end:
            raise AssertionError(f"event {kind} at {t} is after the window ends ({self.end})")
        if automatic:
            request = {"id": None, "idempotency_key": None}
        else:
            request_id, key = self.ids.request()
            request = {"id": request_id, "idempotency_key": key}
        data: Obj = {"object": dict(obj)}
        if previous is not None:
            data["previous_attributes"] = previous
        marker = account.marker
        evt = {"id": self.ids.new("evt", account.fragment), "object": "event", "api_version": f.API_VERSION,
               "context": marker, "created": t, "data": data, "livemode": False,
               "pending_webhooks": 1 if t > self.end - 3600 else 0, "request": request, "type": kind}
        if marker:
            evt["account"] = marker
        self.records.append((t, len(self.records), evt, marker))
        return evt

    def update(self, kind: str, obj: Obj, t: int, account: Account, changes: Obj, automatic: bool = False,
               extra_previous: Obj | None = None) -> None:
        """Apply top-level `changes` to `obj` and record a `kind` event whose `previous_attributes` hold the
        old values of the fields that changed (as Stripe sends them)."""
        previous = {key: obj.get(key) for key, value in changes.items() if obj.get(key) != value}
        if extra_previous:
            previous.update(extra_previous)
        obj.update(changes)
        self.event(kind, obj, t, account, previous=previous, automatic=automatic)

    def balance_transaction(self, account: Account, *, amount: int, currency: str, created: int,
                            available_on: int, type: str, reporting_category: str, source: str | None,
                            fee_details: list[Obj] | None = None, description: str | None = None,
                            exchange_rate: float | None = None) -> Obj:
        txn = f.balance_transaction(
            id=self.new_id("txn", account), amount=amount, currency=currency, created=created,
            available_on=available_on, type=type, reporting_category=reporting_category, source=source,
            fee_details=fee_details or [], as_of=self.end, description=description,
            exchange_rate=exchange_rate)
        self.add(txn, account)
        self.bts.setdefault(account.id, []).append(txn)
        return txn

    # --- output -------------------------------------------------------------------------------------

    def seed(self) -> dict[str, Any]:
        """Objects in `created` order (ties in the order they were made), connected ones marked."""
        self.records.sort()  # (created, seq) are unique, so the dicts themselves are never compared
        objects = []
        for _, _, obj, marker in self.records:
            if marker and obj["object"] not in ("event", "account", "application_fee"):
                obj["account"] = marker
            objects.append(obj)
        return {"objects": objects, "payout_composition": self.composition}


def utc_midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
