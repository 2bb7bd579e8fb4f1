"""Which days a Stripe event changes (pure: the lookups are a dict)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ledger_pipeline.defs.automation.event_days import affected_days

UTC = ZoneInfo("UTC")
DAY = 86400
MON = int(dt.datetime(2026, 11, 2, 10, tzinfo=dt.timezone.utc).timestamp())  # Monday 10:00 UTC
FRI = MON + 4 * DAY
CREATED = {("charge", "ch_1"): MON, ("balance_transaction", "txn_re"): FRI}


def lookup(object_type: str, object_id: str) -> int | None:
    return CREATED.get((object_type, object_id))


def event(kind: str, obj: dict, created: int = FRI, previous: dict | None = None) -> dict:
    data = {"object": obj} if previous is None else {"object": obj, "previous_attributes": previous}
    return {"id": "evt_1", "object": "event", "type": kind, "created": created, "data": data}


def days(evt: dict, zone: ZoneInfo = UTC) -> set[str]:
    return {str(day) for day in affected_days(evt, zone, lookup)}


def test_a_late_refund_changes_its_own_day_and_the_charge_day():
    refund = {"id": "re_1", "object": "refund", "charge": "ch_1", "balance_transaction": "txn_re", "created": FRI}
    assert days(event("refund.created", refund)) == {"2026-11-06", "2026-11-02"}
    charge = {"id": "ch_1", "object": "charge", "created": MON}
    assert days(event("charge.refunded", charge, previous={"amount_refunded": 0})) == {"2026-11-02", "2026-11-06"}
    # Only the refund's metadata changed: the charge did not.
    assert days(event("refund.updated", refund, previous={"metadata": {}})) == {"2026-11-06"}


def test_payouts_run_on_their_creation_day_and_money_coming_back_on_its_own():
    payout = {"id": "po_1", "object": "payout", "created": MON}
    assert days(event("payout.paid", payout)) == {"2026-11-02"}
    assert days(event("payout.reconciliation_completed", payout)) == {"2026-11-02"}
    assert days(event("payout.failed", payout)) == {"2026-11-02", "2026-11-06"}


def test_catalog_changes_rerun_the_day_they_happened():
    customer = {"id": "cus_1", "object": "customer", "created": MON - 30 * DAY}
    assert days(event("customer.updated", customer)) == {"2026-11-06"}


def test_a_dispute_changes_its_day_the_charge_day_and_its_balance_transactions_days():
    dispute = {"id": "dp_1", "object": "dispute", "charge": "ch_1", "created": MON + DAY,
               "balance_transactions": [{"id": "txn_dp", "created": MON + 2 * DAY}]}
    assert days(event("charge.dispute.funds_withdrawn", dispute)) == {
        "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-06"}


def test_days_are_the_tenants_own():
    # 10:00 UTC on Monday is 19:00 Monday in Tokyo, 02:00 Monday in Los Angeles; 23:30 UTC is Tuesday in Tokyo.
    late = MON + 13 * 3600 + 1800
    customer = {"id": "cus_1", "object": "customer", "created": late}
    assert days(event("customer.updated", customer, created=late), ZoneInfo("Asia/Tokyo")) == {"2026-11-03"}
    assert days(event("customer.updated", customer, created=late), ZoneInfo("America/Los_Angeles")) == {"2026-11-02"}


def test_an_object_stripe_no_longer_finds_falls_back_to_the_days_the_event_shows():
    refund = {"id": "re_2", "object": "refund", "charge": "ch_gone", "balance_transaction": "txn_gone",
              "created": FRI}
    assert days(event("refund.created", refund)) == {"2026-11-06"}
