"""Automatic payouts tie out to their composition to the cent; a failed payout's money comes back in the
next one; the manual payout has no composition; balances per account and currency roll forward."""

from __future__ import annotations

from collections import defaultdict


def _automatic(idx, owner="any"):
    return sorted((p for p in idx.of("payout", owner) if p["automatic"]), key=lambda p: p["created"])


def test_every_automatic_payout_ties_out(idx):
    payouts = _automatic(idx)
    assert len(payouts) >= 8
    assert set(idx.composition) == {p["id"] for p in payouts}
    claimed: dict[str, str] = {}
    for payout in payouts:
        owner = idx.owner[payout["id"]]
        members = idx.composition[payout["id"]]
        own = idx.by_id[payout["balance_transaction"]]
        assert own["id"] in members and own["type"] == "payout" and own["source"] == payout["id"]
        assert own["amount"] == -payout["amount"] and own["net"] == -payout["amount"]
        total = 0
        for txn_id in members:
            assert txn_id not in claimed, f"{txn_id} in {claimed.get(txn_id)} and {payout['id']}"
            claimed[txn_id] = payout["id"]
            txn = idx.by_id[txn_id]
            assert txn["object"] == "balance_transaction"
            assert idx.owner[txn_id] == owner and txn["currency"] == payout["currency"]
            assert txn["available_on"] <= payout["created"] and txn["status"] == "available"
            if txn_id != own["id"]:
                assert txn["type"] != "payout"
                total += txn["net"]
        assert payout["amount"] == total > 0, payout["id"]
        assert payout["method"] == "standard" and payout["currency"] == idx.settlement(owner)


def test_payout_statuses(idx):
    for owner in {idx.owner[p["id"]] for p in _automatic(idx)}:
        payouts = _automatic(idx, owner)
        newest = payouts[-1]
        assert newest["status"] == "in_transit" and newest["reconciliation_status"] == "in_progress"
        for payout in payouts[:-1]:
            assert payout["status"] in ("paid", "failed")
            assert payout["reconciliation_status"] == "completed"
            assert payout["arrival_date"] % 86400 == 0 and payout["arrival_date"] > payout["created"]


def test_failed_payout_money_returns_in_the_next_payout(idx):
    failed = [p for p in idx.of("payout") if p["status"] == "failed"]
    assert len(failed) == 1
    payout = failed[0]
    assert payout["failure_code"] and payout["failure_message"] and payout["automatic"]
    back = idx.by_id[payout["failure_balance_transaction"]]
    assert back["type"] == "payout_failure" and back["reporting_category"] == "payout_reversal"
    assert back["amount"] == back["net"] == payout["amount"] and back["source"] == payout["id"]
    owner = idx.owner[payout["id"]]
    later = [p for p in _automatic(idx, owner) if p["created"] > payout["created"]]
    assert later[0]["created"] > back["created"]
    assert back["id"] in idx.composition[later[0]["id"]]
    assert later[0]["amount"] > payout["amount"]
    events = [e for e in idx.of("event") if e["type"] == "payout.failed"]
    assert [e["data"]["object"]["id"] for e in events] == [payout["id"]]
    assert events[0]["data"]["previous_attributes"]["status"] == "in_transit"


def test_manual_payout_has_no_composition(idx):
    manual = [p for p in idx.of("payout") if not p["automatic"]]
    assert len(manual) == 1
    payout = manual[0]
    assert payout["id"] not in idx.composition and payout["reconciliation_status"] == "not_applicable"
    own = idx.by_id[payout["balance_transaction"]]
    assert own["amount"] == -payout["amount"]
    assert all(own["id"] not in members for members in idx.composition.values())
    owner = idx.owner[payout["id"]]
    account = idx.accounts[owner]
    assert account["settings"]["payouts"]["schedule"]["interval"] == "manual"
    available = sum(t["net"] for t in idx.of("balance_transaction", owner)
                    if t["available_on"] <= payout["created"] and t["id"] != own["id"])
    assert 0 < payout["amount"] <= available


def test_balances_roll_forward(idx):
    """Per account and currency: what was paid out nets to zero with its payouts, the rest is the balance,
    and the balance is never negative at any payout."""
    in_payout = {txn for members in idx.composition.values() for txn in members}
    nets = defaultdict(int)
    unpaid = defaultdict(int)
    for txn in idx.of("balance_transaction"):
        key = (idx.owner[txn["id"]], txn["currency"])
        nets[key] += txn["net"]
        if txn["id"] not in in_payout:
            unpaid[key] += txn["net"]
    assert nets == unpaid
    assert all(v > 0 for v in nets.values())
    for payout in idx.of("payout"):
        owner = idx.owner[payout["id"]]
        balance = sum(t["net"] for t in idx.of("balance_transaction", owner) if t["created"] <= payout["created"]
                      and t["available_on"] <= payout["created"])
        assert balance >= 0, payout["id"]
    assert len({key[0] for key in nets}) == 1 + idx.settings.connected_accounts


def test_payout_events(idx):
    kinds = defaultdict(set)
    for event in idx.of("event"):
        if event["type"].startswith("payout."):
            kinds[event["data"]["object"]["id"]].add(event["type"])
            assert event["request"]["id"] is None or event["type"] == "payout.created"
    for payout in idx.of("payout"):
        assert "payout.created" in kinds[payout["id"]]
        if payout["status"] == "paid":
            assert "payout.paid" in kinds[payout["id"]]
        if payout["reconciliation_status"] == "completed":
            assert "payout.reconciliation_completed" in kinds[payout["id"]]
