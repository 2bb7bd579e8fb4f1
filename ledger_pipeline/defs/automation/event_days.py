"""Which of a tenant's days a Stripe event changes: the partitions to run again after it.

- Catalog objects (customers, products, prices, tax rates, ...) have no day of their own in the books: the
  run of the day the event happened reads the change from that day's events.
- Money objects (charges, refunds, disputes, fees, transfers, invoices, ...): their own day, whose
  journals carry them, and the day the event happened, when that day's balance transactions moved (a
  late refund, a capture, a dispute withdrawal) or its events carry the change.
- A refund: its balance transaction's day, and the refunded charge's day when the charge changed with it.
- A dispute: its own day, the disputed charge's day and the day of each of its balance transactions.
- A payout: its creation day, whose run re-reads its state and composition; a failed or canceled payout
  also the day the money came back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

# (object type, id) -> the object's `created` (unix seconds), or None when it cannot be found.
Lookup = Callable[[str, str], int | None]

CATALOG = frozenset({
    "account", "bank_account", "capability", "card", "coupon", "customer", "customer_balance_transaction",
    "payment_method", "person", "plan", "price", "product", "promotion_code", "source", "subscription",
    "subscription_schedule", "tax_id", "tax_rate",
})
MONEY_BACK = frozenset({"payout.failed", "payout.canceled"})
# Refund changes that also change the charge (its amount refunded).
REFUND_MOVES_CHARGE = frozenset({"refund.created", "refund.failed", "charge.refund.updated", "refund.updated"})


def local_day(timestamp: int, zone: ZoneInfo) -> dt.date:
    return dt.datetime.fromtimestamp(int(timestamp), zone).date()


def affected_days(event: dict[str, Any], zone: ZoneInfo, lookup: Lookup) -> dict[dt.date, list[str]]:
    """The days (in the tenant's zone) an event changes, each with why, most specific first."""
    days: dict[dt.date, list[str]] = {}

    def add(timestamp: int | None, why: str) -> None:
        if timestamp is not None:
            reasons = days.setdefault(local_day(timestamp, zone), [])
            if why not in reasons:
                reasons.append(why)

    kind = event.get("type", "")
    data = event.get("data") or {}
    obj = data.get("object") or {}
    object_type = obj.get("object", "")
    happened = event.get("created")

    if object_type == "payout":
        add(obj.get("created"), "the payout's creation day")
        if kind in MONEY_BACK:
            add(happened, "the day the payout's money came back")
        return days
    if object_type in CATALOG:
        add(happened, f"the day the {object_type} changed")
        return days

    if object_type == "refund":
        add(_created(obj.get("balance_transaction"), "balance_transaction", lookup) or obj.get("created"),
            "the refund's balance transaction day")
        changed = set(data.get("previous_attributes") or {})
        if kind in REFUND_MOVES_CHARGE and (kind != "refund.updated" or {"status", "amount"} & changed):
            add(_created(obj.get("charge"), "charge", lookup), "the refunded charge's day")
    elif object_type == "dispute":
        add(obj.get("created"), "the dispute's day")
        add(_created(obj.get("charge"), "charge", lookup), "the disputed charge's day")
        for txn in obj.get("balance_transactions") or []:
            add(_created(txn, "balance_transaction", lookup), "a dispute balance transaction's day")
    else:
        add(obj.get("created"), f"the {object_type or 'object'}'s day")
    add(happened, "the day the change happened")
    return days


def _created(ref: Any, object_type: str, lookup: Lookup) -> int | None:
    """`created` of an expanded object, or of an id looked up at Stripe."""
    if isinstance(ref, dict):
        return ref.get("created")
    if isinstance(ref, str) and ref:
        return lookup(object_type, ref)
    return None
