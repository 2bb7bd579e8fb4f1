"""Benchmark: the journal build (Stripe staging -> journal entries) and its checks, against a plain aggregate.

For each size N a temporary warehouse gets N staged balance transactions synthesized with set-based SQL
(sql/transform_synthesize.sql: a busy account's sales, refunds, disputes, fees, platform fees, transfers
and adjustments in four currencies, invoices with products and tax, fee lines, daily automatic payouts with
their compositions). Then, timed, the code the `journal/entries` asset runs on it: the journal build (the
first run of a tenant builds every entry) and the accounting checks of the last payout's day; and, as a
yardstick, one plain DuckDB aggregate over the same staged rows (totals by currency and category).

Each size runs in a child process of its own, so its peak memory (`ru_maxrss`, a process-wide peak, plus a
sampler of the resident set during the build and checks) is its own. The connection is the warehouse's
own (WarehouseResource: two threads), with DuckDB capped at 1.5 GB unless told otherwise: the asset's
connection sets no cap, and DuckDB alone would then take up to 80% of the machine's memory.
The figures name the slowest SQL steps of the build, and the machine's load before and after.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import resource
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from ledger_pipeline.config import Tenant
from ledger_pipeline.defs.journal import checks
from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.mapping_file import load_mapping
from ledger_pipeline.defs.journal.mapping_tables import store_mapping
from ledger_pipeline.defs.journal.posting_modes import build_journal
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.warehouse import WarehouseResource

SQL = "ledger_pipeline.bench"
TENANT = Tenant(key="bench", stripe_account=None, timezone="UTC")
START = dt.date(2026, 1, 1)
GOAL_1M_SECONDS = 15.0
GOAL_10M_PEAK_MIB = 2048.0
# DuckDB's share of the 2 GiB goal (Python and the sampler take the rest). The warehouse's own connection
# sets no limit, so DuckDB would take up to 80% of the machine: pass memory_limit=None to measure that.
MEMORY_LIMIT = "1.5GB"
MIB = 1 << 20
MAPPING = Path(__file__).with_name("transform_mapping.yaml")


def run(sizes: tuple[int, ...] = (1_000_000, 10_000_000), *, memory_limit: str | None = MEMORY_LIMIT,
        isolate: bool = True) -> dict[str, Any]:
    """Time the journal build and its checks at each size; returns the figures (flat, printable).

    `memory_limit` caps DuckDB for the run (past it DuckDB spills to disk); None keeps the warehouse
    connection's default, DuckDB's own: 80% of the machine's memory.
    """
    figures: dict[str, Any] = {"cpus": os.cpu_count(), "load_average_1m_before": round(os.getloadavg()[0], 2),
                               "duckdb_memory_limit": memory_limit or "default (80% of RAM)"}
    runs = []
    for size in sizes:
        try:
            if isolate:
                with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
                    result = pool.submit(measure, size, memory_limit).result()
            else:
                result = measure(size, memory_limit)
        except Exception as exc:   # e.g. DuckDB out of memory under the cap: a figure too, not a crash
            figures[f"{_label(size)} error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            continue
        runs.append(result)
        figures.update({f"{_label(size)} {key}": value for key, value in result.items()})
    if len(runs) > 1:
        small, large = runs[0], runs[-1]
        figures["size_ratio"] = round(large["balance_transactions"] / small["balance_transactions"], 2)
        figures["time_ratio (10 = linear for 10x rows)"] = round(large["transform_seconds"]
                                                                 / small["transform_seconds"], 2)
    for result in runs:
        if result["balance_transactions"] == 1_000_000:
            figures["goal 1M <= 15 s"] = "met" if result["transform_seconds"] <= GOAL_1M_SECONDS else "missed"
        if result["balance_transactions"] == 10_000_000:
            figures["goal 10M peak <= 2 GiB"] = "met" if result["peak_rss_mib"] <= GOAL_10M_PEAK_MIB else "missed"
    figures["load_average_1m_after"] = round(os.getloadavg()[0], 2)
    return figures


def measure(size: int, memory_limit: str | None = None) -> dict[str, Any]:
    """Synthesize `size` staged balance transactions in a temporary warehouse and time the transform."""
    from ledger_pipeline.bench.extract import PeakMemory   # the bench's resident-memory sampler

    days = max(3, min(90, size // 11_000))
    with tempfile.TemporaryDirectory(prefix="bench-transform-") as folder, PeakMemory(every=0.02) as memory:
        warehouse = WarehouseResource(directory=folder)
        with warehouse.connect(TENANT.key) as conn:
            if memory_limit:
                conn.execute(load_sql(SQL, "transform_memory_limit"), {"limit": memory_limit})
            began = time.perf_counter()
            conn.execute(load_sql(SQL, "transform_settings"), {
                "transactions": size, "days": days,
                "start": dt.datetime.combine(START, dt.time(), tzinfo=dt.timezone.utc)})
            conn.execute(load_sql(SQL, "transform_synthesize"))
            conn.execute("CHECKPOINT")
            synthesized = time.perf_counter() - began
            store_mapping(conn, TENANT.key, load_mapping(MAPPING, "bench/transform_mapping.yaml"))
            mapping = current_mapping(conn, TENANT.key)
            last_day = conn.execute(load_sql(SQL, "transform_counts")).fetchone()[-1]
            gc.collect()

            aggregate = min(_timed(lambda: conn.execute(load_sql(SQL, "transform_aggregate")).fetchall())
                            for _ in range(3))
            with PeakMemory(every=0.02) as transform_memory:
                cpu_began = time.process_time()   # every thread's CPU: what a busy machine cannot inflate
                began = time.perf_counter()
                steps = _StepTimer(conn)
                summary = build_journal(steps, TENANT, last_day, START, mapping)
                built = time.perf_counter() - began
                began = time.perf_counter()
                results = checks.evaluate(conn, TENANT, last_day, START)
                checked = time.perf_counter() - began
                cpu = time.process_time() - cpu_began
            transactions, payouts, entries, lines, sources, quarantined, booked, _ = conn.execute(
                load_sql(SQL, "transform_counts")).fetchone()
    transform = built + checked
    return {
        "balance_transactions": transactions, "payouts": payouts, "days": days,
        "entries": entries, "lines": lines, "line_sources": sources, "booked": booked,
        "quarantined_entries": quarantined, "entries_built": summary.built,
        "checks_passed": all(r.passed for r in results),
        "checks_failed": [r.check_name for r in results if not r.passed],
        "synthesize_seconds": round(synthesized, 2),
        "journal_seconds": round(built, 2), "checks_seconds": round(checked, 2),
        "transform_seconds": round(transform, 2),
        "transform_cpu_seconds": round(cpu, 2),
        "aggregate_seconds": round(aggregate, 4),
        "ratio_to_plain_aggregate": round(transform / aggregate, 1),
        "slowest_journal_steps": {name: round(seconds, 2) for name, seconds in
                                  sorted(steps.seconds.items(), key=lambda item: -item[1])[:6]},
        "peak_rss_mib": round(transform_memory.peak / MIB, 1),            # during the build and checks
        "peak_rss_with_synthesis_mib": round(memory.peak / MIB, 1),
        # the process-wide peak (Linux reports KiB): the whole child, synthesis included
        "ru_maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


class _StepTimer:
    """The connection, with the seconds each SQL file of the journal spends (the build runs them by name)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection):
        folder = resources.files("ledger_pipeline.defs.journal").joinpath("sql")
        self._names = {load_sql("ledger_pipeline.defs.journal", p.name[:-4]): p.name[:-4]
                       for p in folder.iterdir() if p.name.endswith(".sql")}
        self._conn = conn
        self.seconds: dict[str, float] = defaultdict(float)

    def execute(self, sql: str, *args: Any) -> Any:
        began = time.perf_counter()
        try:
            return self._conn.execute(sql, *args)
        finally:
            self.seconds[self._names.get(sql, "other")] += time.perf_counter() - began

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _timed(work) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def _label(size: int) -> str:
    for unit, name in ((1_000_000, "M"), (1_000, "k")):
        if size >= unit and size % unit == 0:
            return f"{size // unit}{name}"
    return str(size)
