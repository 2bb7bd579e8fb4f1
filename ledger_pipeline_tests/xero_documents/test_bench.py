"""The Xero loader benchmark runs end to end on a small day and computes its figures (timing not asserted)."""

from __future__ import annotations

from ledger_pipeline.bench import load_xero


def test_load_benchmark_small_day():
    figures = load_xero.run(payments=60, updates=10, time_scale=60.0, month_days=2)
    assert figures["create counts"] == "61 created"  # 60 sales receipts and the day's fee expense
    assert figures["objects in the books"] == "61 bank_transactions, 61 contacts"  # 60 customers and Stripe
    assert figures["create objects_per_call"] > 20  # 122 objects: 50 to a request, and the contact list read
    assert figures["update counts"] == "10 updated, 51 skipped"  # the fees a cent more did not change
    assert figures["update objects"] == 10 and figures["update objects_per_call"] <= 1  # a request each
    assert figures["read_back passed"] and figures["failures (any cause)"] == 0 and figures["failures_429"] == 0
    assert 0 < figures["ratio_to_limit"] <= 1 and figures["peak memory MiB"] > 0
    assert figures["daily_budget"] == 5000 and 0 < figures["calls_for_busiest_month"] < 5000
