"""The extraction benchmark runs end to end on a small data set and reports its figures."""

from __future__ import annotations

from ledger_pipeline.bench.extract import run


def test_bench_extract_reports_throughput_against_ceiling_and_naive():
    figures = run(balance_transactions=1500, rate=200, latency_ms=0, days=2, connected_accounts=1)
    assert figures["balance_transactions"] >= 1400
    assert figures["objects"] == figures["balance_transactions"] + figures["payouts"]
    assert figures["expanded_sources"] > 0 and figures["staging_rows"]["charges"] > 0
    assert figures["ceiling_objects_per_second"] == 200 * 100
    assert 0 < figures["ratio_to_ceiling"] <= 1.05
    assert figures["naive_objects"] == figures["objects"]  # the naive pager sees the same lists
    assert figures["ratio_to_naive"] > 0 and figures["peak_rss_mb"] > 0
