"""The benchmark knob: ~100,000 balance transactions with their charges, refunds and payouts. The time is
measured and printed, not asserted (machines differ); the size and the tie-out are asserted. Events are
off in benchmark mode unless asked for (`events=True` adds ~195k events, about 40% more time)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pytest

from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate


@pytest.mark.slow
def test_hundred_thousand_balance_transactions(capsys):
    settings = GeneratorSettings(end_date=date(2026, 5, 8), target_balance_transactions=100_000)
    started, cpu = time.perf_counter(), time.process_time()
    seed = generate(settings)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    kinds = Counter(o["object"] for o in seed["objects"])
    with capsys.disabled():
        print(f"\n[generator bench] {kinds['balance_transaction']} balance transactions, {kinds['charge']} charges, "
              f"{kinds['refund']} refunds, {kinds['payout']} payouts, {kinds['event']} events, "
              f"{len(seed['objects'])} objects in {elapsed:.2f} s ({cpu:.2f} s CPU)")
    assert 100_000 <= kinds["balance_transaction"] <= 110_000
    assert kinds["charge"] > 30_000 and kinds["refund"] > 1_000 and kinds["payout"] >= 8

    at_midnight = [o for o in seed["objects"] if o["created"] % 86400 == 0 and o["object"] not in ("event", "account")]
    assert sorted(o["object"] for o in at_midnight) == ["balance_transaction", "charge", "payment_intent"]

    nets = {o["id"]: o["net"] for o in seed["objects"] if o["object"] == "balance_transaction"}
    for payout in (o for o in seed["objects"] if o["object"] == "payout" and o["automatic"]):
        members = seed["payout_composition"][payout["id"]]
        assert sum(nets[t] for t in members if t != payout["balance_transaction"]) == payout["amount"]
