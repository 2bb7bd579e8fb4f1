"""Benchmark: the whole demo (`ledger-pipeline demo`): generated Stripe data through extraction, journals,
checks and posting to the QuickBooks and Xero sandboxes, timed from the outside.

It runs as a child process in a scratch folder (its own warehouse, an ephemeral Dagster instance), so the
demo's environment changes stay in it. Its peak memory is sampled from outside: a child's ru_maxrss on Linux
starts from its parent's resident size at the fork, which says more about the benchmarks run before it. The
figures come from what the demo prints: its closing line (runs, checks) and its posting tables.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from ledger_pipeline.config import config_path

CLOSING = re.compile(r"^(\d+) runs, (\d+) succeeded; (\d+)/(\d+) asset checks passed; ([\d.]+)s$", re.M)
POSTED_TO = re.compile(r"^What was posted to (QuickBooks|Xero) ")
ROW = re.compile(r"^  (\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$")
COLUMNS = ("created", "updated", "skipped", "removed", "failed", "api_calls")
LAUNCH = "from ledger_pipeline.cli import main; raise SystemExit(main())"


def run(days: int = 3, charges_per_day: int = 5, connected_accounts: int = 1, seed: int = 7) -> dict[str, Any]:
    """Run the demo on generated data of this size; returns its figures."""
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}  # an ephemeral instance
        env.update(LEDGER_WAREHOUSE_DIR=str(Path(folder) / "warehouse"),
                   LEDGER_PIPELINE_CONFIG=str(config_path().resolve()))
        command = [sys.executable, "-c", LAUNCH, "demo", "--seed", str(seed), "--days", str(days),
                   "--charges-per-day", str(charges_per_day), "--connected-accounts", str(connected_accounts)]
        output = Path(folder) / "demo.txt"
        began = time.monotonic()
        with output.open("w", encoding="utf-8") as sink:
            child = subprocess.Popen(command, cwd=folder, env=env, stdout=sink, stderr=subprocess.STDOUT)
            peak = _peak_resident(child)
        seconds = time.monotonic() - began
        text = output.read_text(encoding="utf-8")
    figures: dict[str, Any] = {"days": days, "charges_per_day": charges_per_day,
                               "connected_accounts": connected_accounts, "exit_code": child.returncode,
                               "wall_seconds": round(seconds, 2),
                               "peak_memory_bytes": peak}
    closing = CLOSING.search(text)
    if closing is None:
        figures["error"] = "the demo did not finish: " + " | ".join(text.strip().splitlines()[-5:])[-600:]
        return figures
    runs, succeeded, passed, checks, own_seconds = closing.groups()
    figures.update(runs=int(runs), runs_succeeded=int(succeeded), checks=int(checks), checks_passed=int(passed),
                   demo_reported_seconds=float(own_seconds), posted=posted_per_target(text))
    return figures


def _peak_resident(child: subprocess.Popen, every: float = 0.05) -> int:
    """Wait for the child, sampling its resident memory; the highest sample."""
    process, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        try:
            peak = max(peak, process.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(every)
    child.wait()
    return peak


def posted_per_target(text: str) -> dict[str, dict[str, int]]:
    """Totals of the demo's posting tables, per target (a target nothing was posted to counts zeros)."""
    totals = {"quickbooks": dict.fromkeys(COLUMNS, 0), "xero": dict.fromkeys(COLUMNS, 0)}
    target = None
    for line in text.splitlines():
        heading = POSTED_TO.match(line)
        if heading:
            target = heading.group(1).lower()
            continue
        row = ROW.match(line)
        if target and row:
            for name, value in zip(COLUMNS, row.groups()[2:]):
                totals[target][name] += int(value)
        elif target and line and not line.startswith(" "):
            target = None  # the table ended
    for figures in totals.values():
        figures["objects_posted"] = figures["created"] + figures["updated"]
    return totals
