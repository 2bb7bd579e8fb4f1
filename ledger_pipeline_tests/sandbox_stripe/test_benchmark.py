"""The speed benchmark runs (small here; the 100,000-transaction figures come from
`python -m ledger_pipeline.sandbox.stripe.bench`)."""

from __future__ import annotations

from ledger_pipeline.sandbox.stripe import bench


def test_benchmark_runs_on_a_small_store():
    figures = bench.run(count=3_000, http_pages=10, client_pages=2)
    assert figures["server_pages"] == 30
    assert figures["server_pages_per_second"] > 0 and figures["http_pages_per_second"] > 0
    assert figures["stripe_client_pages_per_second"] > 0


def test_bulk_seed_is_the_seed_format():
    seed = bench.bulk_seed(3)
    assert [o["object"] for o in seed["objects"]] == ["charge", "balance_transaction"] * 3
    assert seed["objects"][1]["source"] == seed["objects"][0]["id"]
