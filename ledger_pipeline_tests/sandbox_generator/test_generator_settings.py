"""Other settings keep the same promises: unique ids, arithmetic, tie-out, the midnight case, the knobs."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate, summarize

END = date(2026, 2, 27)


@pytest.mark.parametrize("settings", [
    GeneratorSettings(seed=1, connected_accounts=0, days=4, charges_per_day=6, end_date=END),
    GeneratorSettings(seed=2, connected_accounts=1, days=2, charges_per_day=5, end_date=END, events=False),
    GeneratorSettings(seed=3, connected_accounts=7, days=10, charges_per_day=3, end_date=END,
                      currencies=("usd", "jpy", "gbp"), refund_rate=0.3, dispute_rate=0.1, invoice_share=0.5),
], ids=["platform-only", "two-days-no-events", "seven-accounts"])
def test_invariants_hold(settings):
    seed = generate(settings)
    objects = seed["objects"]
    by_id = {o["id"]: o for o in objects}
    assert len(by_id) == len(objects)
    kinds = Counter(o["object"] for o in objects)
    assert kinds["account"] == settings.connected_accounts
    assert (kinds["event"] > 0) == settings.emit_events
    midnight = sorted(o["object"] for o in objects if o["created"] % 86400 == 0 and o["object"] not in
                      ("event", "account"))
    assert midnight == ["balance_transaction", "charge", "payment_intent"]
    for txn in (o for o in objects if o["object"] == "balance_transaction"):
        assert txn["net"] == txn["amount"] - txn["fee"] == txn["amount"] - sum(d["amount"] for d in txn["fee_details"])
    for payout in (o for o in objects if o["object"] == "payout"):
        members = seed["payout_composition"].get(payout["id"])
        if not payout["automatic"]:
            assert members is None
            continue
        assert payout["balance_transaction"] in members
        assert sum(by_id[t]["net"] for t in members if t != payout["balance_transaction"]) == payout["amount"]
        assert all(by_id[t].get("account") == payout.get("account") for t in members)
    assert sum(not p["automatic"] for p in objects if p["object"] == "payout") <= 1


def test_platform_only_goes_manual_on_the_last_day():
    seed = generate(GeneratorSettings(connected_accounts=0, days=5, charges_per_day=10, end_date=END))
    payouts = sorted((o for o in seed["objects"] if o["object"] == "payout"), key=lambda p: p["created"])
    assert [p["automatic"] for p in payouts][-1] is False
    assert all(p["automatic"] for p in payouts[:-1])
    failed = [p for p in payouts if p["status"] == "failed"]
    assert len(failed) == 1
    returned = failed[0]["failure_balance_transaction"]
    assert any(returned in members for members in seed["payout_composition"].values())


def test_knobs_change_the_data():
    base = GeneratorSettings(days=3, charges_per_day=30, end_date=END, events=False)
    counts = Counter(o["object"] for o in generate(base)["objects"])
    more = Counter(o["object"] for o in generate(GeneratorSettings(
        days=3, charges_per_day=30, end_date=END, events=False, refund_rate=0.5))["objects"])
    assert more["refund"] > counts["refund"] * 3
    summary = summarize(generate(base))
    assert summary["cases"]["midnight_boundary"]


@pytest.mark.parametrize("bad", [dict(days=0), dict(refund_rate=1.5), dict(currencies=("USD",)),
                                 dict(connected_accounts=-1)])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        GeneratorSettings(**bad)
