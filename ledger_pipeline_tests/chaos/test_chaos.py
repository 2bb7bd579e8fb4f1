"""A short chaos run (`ledger-pipeline chaos` runs a longer one): every tenant and day under 5xx answers,
timeouts, throttling and expiring tokens, one run killed with SIGKILL while it posts, then a re-run. The
books in the accounting sandboxes must equal a clean run's, object for object."""

from __future__ import annotations

from pathlib import Path

from ledger_pipeline.cli.chaos import run_chaos
from ledger_pipeline.cli.chaos_world import ChaosSettings

MAPPINGS = Path(__file__).resolve().parents[2] / "mappings"


def test_books_after_faults_and_a_kill_equal_a_clean_run(tmp_path):
    report = run_chaos(seed=3, days=2, charges_per_day=3, connected_accounts=2,
                       settings=ChaosSettings(error_rate=0.08, timeout_rate=0.01),
                       mappings=MAPPINGS, keep=tmp_path, say=lambda _: None)
    data = report.as_dict()
    assert {k.split("/")[0] for k in data["books"]} == {"quickbooks", "xero"}, data["books"]  # both books compared
    assert sum(n for k, n in data["books"].items() if k.startswith("quickbooks/")) > 0, data["books"]
    killed = report.chaos.killed
    assert killed is not None and killed.success and killed.books_writes >= 1, data["chaos"]["killed"]
    faults = report.chaos.faults_seen
    assert all(faults.get(f"{service} 429", 0) > 0 for service in ("stripe", "quickbooks", "xero")), faults
    assert faults.get("stripe 5xx", 0) + faults.get("quickbooks 5xx", 0) + faults.get("xero 5xx", 0) > 0, faults
    assert faults["quickbooks token requests"] > 0  # access tokens expired and were refreshed mid-run
    assert report.recovered, data["chaos"]["runs"]
    assert report.identical, report.differences[:20]
    assert report.passed
