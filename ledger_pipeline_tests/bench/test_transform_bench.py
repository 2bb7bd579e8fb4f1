"""The transform benchmark runs end to end on a small synthesized account and reports its figures."""

from __future__ import annotations

from ledger_pipeline.bench.transform import run
from ledger_pipeline.cli import main


def test_bench_transform_builds_a_balanced_journal_and_reports_its_figures():
    figures = run(sizes=(20_000, 40_000), isolate=False)
    for label in ("20k", "40k"):
        assert figures[f"{label} balance_transactions"] == int(label[:-1]) * 1000
        # every transaction the synthesized payouts carried is booked, and every accounting check passes
        assert figures[f"{label} checks_failed"] == [] and figures[f"{label} checks_passed"]
        assert figures[f"{label} quarantined_entries"] == 0
        assert figures[f"{label} booked"] == figures[f"{label} balance_transactions"]
        assert figures[f"{label} entries"] == 2 * figures[f"{label} payouts"]   # a summary and a payout each
        assert figures[f"{label} transform_seconds"] > 0 and figures[f"{label} ratio_to_plain_aggregate"] > 1
        assert figures[f"{label} peak_rss_mib"] > 0 and figures[f"{label} ru_maxrss_mib"] > 0
    assert figures["size_ratio"] == 2.0 and figures["time_ratio (10 = linear for 10x rows)"] > 0


def test_bench_transform_command(capsys):
    assert main(["bench", "transform", "--sizes", "20000", "--json"]) == 0
    assert '"20k transform_seconds"' in capsys.readouterr().out
