"""Stripe's list pagination, through the real client: limit, cursors, has_more, newest first, auto-paging."""

from __future__ import annotations

import pytest
import stripe

from .conftest import AS_CONNECTED, T0, seed_objects


def ids(page) -> list[str]:
    return [obj["id"] for obj in page.data]


def test_lists_are_newest_first(reader):
    page = reader.v1.balance_transactions.list(params={"limit": 100})
    assert page["object"] == "list" and page["url"] == "/v1/balance_transactions"
    created = [txn["created"] for txn in page.data]
    assert created == sorted(created, reverse=True)


@pytest.mark.parametrize("limit", [0, 101, "many"])
def test_limit_outside_1_to_100_is_refused(reader, limit):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        reader.v1.charges.list(params={"limit": limit})
    assert caught.value.http_status == 400 and caught.value.param == "limit"


def test_limit_100_answers_everything_without_more(reader):
    page = reader.v1.balance_transactions.list(params={"limit": 100})
    assert len(page.data) == len(seed_objects("balance_transaction")) and not page.has_more


def test_starting_after_and_ending_before_walk_both_ways(reader):
    everything = ids(reader.v1.balance_transactions.list(params={"limit": 100}))
    first = reader.v1.balance_transactions.list(params={"limit": 3})
    assert ids(first) == everything[:3]
    second = reader.v1.balance_transactions.list(params={"limit": 3, "starting_after": everything[2]})
    assert ids(second) == everything[3:6] and second.has_more
    back = reader.v1.balance_transactions.list(params={"limit": 3, "ending_before": everything[3]})
    assert ids(back) == everything[:3] and not back.has_more
    back = reader.v1.balance_transactions.list(params={"limit": 2, "ending_before": everything[5]})
    assert ids(back) == everything[3:5] and back.has_more
    last = reader.v1.balance_transactions.list(params={"limit": 3, "starting_after": everything[-2]})
    assert ids(last) == everything[-1:] and not last.has_more


def test_both_cursors_at_once_is_refused(reader):
    everything = ids(reader.v1.charges.list())
    with pytest.raises(stripe.InvalidRequestError) as caught:
        reader.v1.charges.list(params={"starting_after": everything[0], "ending_before": everything[1]})
    assert caught.value.http_status == 400


@pytest.mark.parametrize("cursor", ["starting_after", "ending_before"])
def test_unknown_cursor_is_resource_missing(reader, cursor):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        reader.v1.charges.list(params={cursor: "ch_doesnotexist"})
    assert caught.value.http_status == 400 and caught.value.code == "resource_missing"
    assert caught.value.param == cursor


def test_cursor_of_another_account_is_resource_missing(reader):
    platform_charge = seed_objects("charge")[0]["id"]
    with pytest.raises(stripe.InvalidRequestError):
        reader.v1.charges.list(params={"starting_after": platform_charge}, options=AS_CONNECTED)


@pytest.mark.parametrize("resource,kind", [
    ("balance_transactions", "balance_transaction"), ("charges", "charge"), ("customers", "customer"),
    ("events", "event"), ("prices", "price"), ("payouts", "payout"),
])
def test_auto_paging_iter_visits_every_object_once(reader, resource, kind):
    expected = {obj["id"] for obj in seed_objects(kind)}
    if kind == "event":  # events older than the retention window are not listed
        expected = {obj["id"] for obj in seed_objects(kind) if obj["created"] >= T0 - 30 * 86400 + 20 * 86400}
    seen = [obj["id"] for obj in getattr(reader.v1, resource).list(params={"limit": 2}).auto_paging_iter()]
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_auto_paging_backwards_from_ending_before(reader):
    everything = ids(reader.v1.balance_transactions.list(params={"limit": 100}))
    pages = reader.v1.balance_transactions.list(params={"limit": 2, "ending_before": everything[7]})
    assert sorted(obj["id"] for obj in pages.auto_paging_iter()) == sorted(everything[:7])


def test_ties_in_created_keep_a_stable_order_across_pages(served):
    twins = [{"id": f"txn_twin{n:03d}", "object": "balance_transaction", "amount": 100, "available_on": T0,
              "created": T0, "currency": "usd", "fee": 0, "fee_details": [], "net": 100,
              "reporting_category": "charge", "source": None, "status": "available", "type": "adjustment"}
             for n in range(25)]
    served.sandbox.load({"objects": twins})
    default = served.v1.balance_transactions.list(params={"created": T0})
    assert len(default.data) == 10 and default.has_more  # no limit: ten
    walked = [txn["id"] for txn in served.v1.balance_transactions.list(
        params={"limit": 4, "created": T0}).auto_paging_iter()]
    assert sorted(walked) == sorted(t["id"] for t in twins) and len(walked) == 25
    again = [txn["id"] for txn in served.v1.balance_transactions.list(
        params={"limit": 7, "created": T0}).auto_paging_iter()]
    assert again == walked
    assert walked[0] == "txn_twin024"  # the later-loaded of equal `created` counts as newer
