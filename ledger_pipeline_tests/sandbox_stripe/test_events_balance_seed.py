"""Event retention on the sandbox clock, the balance endpoint, and seeding from and saving to files."""

from __future__ import annotations

import json

import pytest
import requests
import stripe

from ledger_pipeline.sandbox.stripe import StripeSandbox

from .conftest import AS_CONNECTED, DAY, NOW, SEED_PATH, T0, Served, new_sandbox, seed_objects

OLD_EVENT = "evt_1TqOldCreated000000000001"      # created T0 - 60 days
ADA_CREATED_EVENT = "evt_1TqAdaCreated000000000001"  # created T0 + 1 hour


def test_events_older_than_retention_are_gone(served):
    listed = {e.id for e in served.v1.events.list(params={"limit": 100}).data}
    assert OLD_EVENT not in listed and ADA_CREATED_EVENT in listed
    with pytest.raises(stripe.InvalidRequestError) as caught:
        served.v1.events.retrieve(OLD_EVENT)
    assert caught.value.http_status == 404
    # 30 days after Ada's event it ages out too, on the sandbox clock (moved over the admin endpoint)
    requests.post(f"{served.base_url}/_sandbox/clock", json={"freeze_at": T0 + 3600 + 30 * DAY}).raise_for_status()
    assert served.v1.events.retrieve(ADA_CREATED_EVENT).id == ADA_CREATED_EVENT
    requests.post(f"{served.base_url}/_sandbox/clock", json={"advance": 1}).raise_for_status()
    with pytest.raises(stripe.InvalidRequestError):
        served.v1.events.retrieve(ADA_CREATED_EVENT)
    # back in time, the old events are within the window again
    served.sandbox.clock.freeze(T0 - 40 * DAY)
    assert OLD_EVENT in {e.id for e in served.v1.events.list(params={"limit": 100}).data}


def test_retention_is_configurable():
    box = Served(new_sandbox(events_retention_days=90))
    try:
        assert box.v1.events.retrieve(OLD_EVENT).id == OLD_EVENT
    finally:
        box.server.stop()


def test_balance_sums_nets_by_availability(served):
    balance = served.v1.balance.retrieve()
    pending_charge = seed_objects("balance_transaction")
    expected_pending = sum(t["net"] for t in pending_charge if t["available_on"] > NOW)
    expected_available = sum(t["net"] for t in pending_charge if t["available_on"] <= NOW)
    assert balance["object"] == "balance" and balance["livemode"] is False
    assert [(f["currency"], f["amount"]) for f in balance["available"]] == [("usd", expected_available)]
    assert [(f["currency"], f["amount"]) for f in balance["pending"]] == [("usd", expected_pending)]
    assert expected_pending > 0 and "connect_reserved" in balance
    served.sandbox.clock.advance(30 * DAY)
    later = served.v1.balance.retrieve()
    assert later["available"][0]["amount"] == expected_available + expected_pending
    assert later["pending"][0]["amount"] == 0


def test_connected_balance_is_its_own(served):
    balance = served.v1.balance.retrieve(options=AS_CONNECTED)
    nets = sum(t["net"] for t in seed_objects("balance_transaction", AS_CONNECTED["stripe_account"]))
    assert balance["available"][0]["amount"] == nets == 0  # everything went out in its two payouts
    assert "connect_reserved" not in balance


def test_from_file_and_save_round_trip(tmp_path, served):
    served.v1.customers.create(params={"name": "Saved later"})
    served.v1.customers.delete("cus_TqGrace00000002")
    path = tmp_path / "state.json"
    served.sandbox.save(path)
    again = StripeSandbox.from_file(path, clock=served.sandbox.clock, requests_per_second=10_000)
    assert again.dump() == served.sandbox.dump()
    box = Served(again)
    try:
        names = [c["name"] for c in box.v1.customers.list().data]
        assert names[0] == "Saved later" and "Grace Hopper" not in names
        assert box.v1.customers.retrieve("cus_TqGrace00000002")["deleted"] is True
        members = box.v1.balance_transactions.list(params={"payout": "po_1TqConnPayout100000000000"},
                                                   options=AS_CONNECTED)
        assert len(members.data) == 3
    finally:
        box.server.stop()


def test_seed_appended_over_the_admin_endpoint(served):
    extra = {"objects": [dict(seed_objects("tax_rate")[0], id="txr_1TqAppended0000000000001", created=NOW - 5),
                         dict(seed_objects("customer", AS_CONNECTED["stripe_account"])[0],
                              id="cus_TqAppended00001", created=NOW - 5)]}
    answer = requests.post(f"{served.base_url}/_sandbox/objects", json=extra)
    assert answer.status_code == 200 and answer.json()["loaded"] == 2
    assert served.v1.tax_rates.list().data[0].id == "txr_1TqAppended0000000000001"
    assert served.v1.customers.list(options=AS_CONNECTED).data[0].id == "cus_TqAppended00001"
    bad = requests.post(f"{served.base_url}/_sandbox/objects", json={"objects": [{"no": "id"}]})
    assert bad.status_code == 400


def test_seed_file_is_the_documented_format():
    seed = json.loads(SEED_PATH.read_text())
    assert set(seed) == {"objects", "payout_composition"}
    assert all("id" in o and "object" in o for o in seed["objects"])
