"""The loader benchmark runs end to end on a small day and says what it measured."""

from __future__ import annotations

from ledger_pipeline.bench import load_quickbooks


def test_load_benchmark_small_day():
    figures = load_quickbooks.run(payments=40, updates=10, time_scale=60.0)
    assert figures["failures (any cause)"] == 0 and figures["sandbox 429 answers"] == 0
    assert figures["create counts"] == "80 created"
    assert figures["create objects_per_call"] >= 10  # 121 objects: 30 to a batch, plus 3 list reads
    assert "updated" in figures["update counts"] and figures["update failed"] == 0
    assert figures["read_back passed"]
    assert figures["objects in the books"].startswith("40 SalesReceipt, 40 Purchase, 40 Customer")
