"""The definitions load; and the pure parts: windows, the token bucket, validation, key scrubbing."""

from __future__ import annotations

import threading
import time

import dagster as dg
import pytest

from ledger_pipeline.definitions import defs
from ledger_pipeline.defs.stripe.client import scrub
from ledger_pipeline.defs.stripe.crawl import cut
from ledger_pipeline.defs.stripe.endpoints import ASSETS
from ledger_pipeline.defs.stripe.objects import problem
from ledger_pipeline.defs.stripe.throttle import TokenBucket


def test_definitions_load_with_every_stripe_asset_and_check():
    loaded = defs()
    dg.Definitions.validate_loadable(loaded)
    graph = loaded.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {f"stripe/{asset}" for asset in ASSETS} <= keys
    node = graph.get(dg.AssetKey(["stripe", "balance_transactions"]))
    assert node.group_name == "stripe" and {"stripe", "duckdb"} <= set(node.kinds)
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert ("stripe/payout_composition", "payout_composition_ties_out") in checks
    assert ("stripe/balance_transactions", "balance_transaction_types_known") in checks
    assert all(("stripe/" + asset, "no_quarantined_objects") in checks for asset in ASSETS)
    assert loaded.resolve_sensor_def("stripe_tenant_discovery").default_status == dg.DefaultSensorStatus.RUNNING
    assert "stripe" in loaded.resources


def test_windows_are_cut_into_contiguous_half_open_pieces():
    pieces = cut(1000, 1010, 4)
    assert pieces == sorted(pieces, reverse=True)  # newest first, like Stripe's lists
    covered = sorted(second for start, end in pieces for second in range(start, end))
    assert covered == list(range(1000, 1010))
    assert cut(5, 7, 8) == [(6, 7), (5, 6)]        # never more pieces than seconds
    assert cut(5, 5, 3) == [(5, 6)]


def test_token_bucket_spaces_calls_across_threads():
    bucket = TokenBucket(rate=400.0)
    stamps: list[float] = []
    lock = threading.Lock()

    def call() -> None:
        for _ in range(10):
            bucket.acquire()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=call) for _ in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps.sort()
    # 40 calls at 400/s take at least 39 intervals, whatever the number of threads.
    assert stamps[-1] - started >= 39 / 400 * 0.95
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert sum(gaps) / len(gaps) >= 1 / 400 * 0.9


def test_token_bucket_slows_down_once_per_burst_of_429s_and_recovers():
    bucket = TokenBucket(rate=100.0, cooldown=60)
    for _ in range(5):  # one congestion event, however many 429s it brings
        bucket.slow_down()
    assert bucket.rate == pytest.approx(90.0)
    for _ in range(50):
        bucket.answered()
    assert bucket.rate == 100.0


@pytest.mark.parametrize("obj, needle", [
    ({"object": "charge", "amount": 1, "currency": "usd", "created": 1}, "has no usable `id`"),
    ({"id": "ch_1", "object": "charge", "amount": 12.5, "currency": "usd", "created": 1},
     "`amount` is 12.5 (float); expected an integer number of minor units"),
    ({"id": "ch_1", "object": "charge", "amount": True, "currency": "usd", "created": 1}, "`amount` is True"),
    ({"id": "ch_1", "object": "charge", "amount": 100, "currency": "USD", "created": 1}, "not a known currency"),
    ({"id": "ch_1", "object": "charge", "amount": 100, "currency": "usd"}, "`created` is None"),
    ({"id": "txn_1", "object": "balance_transaction", "amount": 100, "fee": 3, "net": 90, "currency": "usd",
      "created": 1, "type": "charge"}, "has net 90 but amount 100 - fee 3 = 97"),
    ({"id": "txn_1", "object": "balance_transaction", "amount": 100, "fee": 3, "net": 97, "currency": "usd",
      "created": 1, "type": "charge", "fee_details": [{"amount": 2, "currency": "usd", "type": "stripe_fee"}]},
     "its fee_details add up to 2"),
    ({"id": "in_1", "object": "invoice", "currency": "eur", "created": 1, "total": 1, "subtotal": 1,
      "amount_due": 1, "amount_paid": 0, "lines": {"data": [{"id": "il_1", "object": "line_item", "amount": "1",
                                                               "currency": "eur"}]}}, "`lines.data[0]`"),
    ({"id": "x_1", "object": "mystery", "created": 1}, "unexpected `object` 'mystery'"),
])
def test_malformed_objects_are_named_with_the_reason(obj, needle):
    reason = problem(obj)
    assert reason is not None and needle in reason
    assert "re-run this partition" in reason


def test_well_formed_objects_pass_including_zero_and_three_decimal_currencies():
    assert problem({"id": "txn_1", "object": "balance_transaction", "amount": 1500, "fee": 54, "net": 1446,
                    "currency": "jpy", "created": 1, "type": "charge", "exchange_rate": None,
                    "fee_details": [{"amount": 54, "currency": "jpy", "type": "stripe_fee"}]}) is None
    assert problem({"id": "ch_1", "object": "charge", "amount": 1234, "currency": "kwd", "created": 1}) is None
    assert problem({"id": "cus_1", "object": "customer", "deleted": True}) is None  # a deleted stub
    assert problem({"id": "ch_1", "object": "charge", "amount": 1, "currency": "usd", "created": 1},
                   expected_type="refund") is not None


def test_scrub_removes_keys_from_messages():
    assert scrub("Invalid API Key provided: sk_test_****abcd") == "Invalid API Key provided: [key]"
    assert scrub("key rk_live_51Habc123 here") == "key [key] here"
