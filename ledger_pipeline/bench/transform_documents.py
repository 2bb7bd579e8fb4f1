"""Benchmark: the journal build in per-transaction mode (documents) and its checks.

The same synthesized warehouse as transform.py (sql/transform_synthesize.sql) and the same mapping, posting
per transaction with the receivable invoices need. Timed: what the `journal/entries` asset runs for a
tenant's first run (every document is built), then the accounting checks of the last day. The process's
CPU time is reported beside the wall time: on a shared machine the wall time says more about the neighbours.

    python -m ledger_pipeline.bench.transform_documents [N]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ledger_pipeline.bench.extract import PeakMemory
from ledger_pipeline.bench.transform import MAPPING, SQL, START, TENANT
from ledger_pipeline.defs.journal import checks
from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.mapping_file import load_mapping
from ledger_pipeline.defs.journal.mapping_tables import store_mapping
from ledger_pipeline.defs.journal.posting_modes import build_journal
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.warehouse import WarehouseResource

DOCUMENTS = ("posting_mode: payout_summary", "posting_mode: per_transaction")
RECEIVABLE = ("  rounding: {ref: \"38\", name: Rounding}\n",
              "  rounding: {ref: \"38\", name: Rounding}\n"
              "  receivables: {ref: \"5\", name: Accounts Receivable (A/R)}\n"
              "  exchange_gain_loss: {ref: \"37\", name: Exchange Gain or Loss}\n")


def measure(size: int) -> dict[str, Any]:
    """Synthesize `size` staged balance transactions and time the per-transaction build and its checks."""
    days = max(3, min(90, size // 11_000))
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as folder:
        mapping_file = Path(folder) / "bench.yaml"
        mapping_file.write_text(MAPPING.read_text(encoding="utf-8").replace(*DOCUMENTS).replace(*RECEIVABLE),
                                encoding="utf-8")
        with WarehouseResource(directory=folder).connect(TENANT.key) as conn:
            conn.execute(load_sql(SQL, "transform_settings"), {
                "transactions": size, "days": days,
                "start": dt.datetime.combine(START, dt.time(), tzinfo=dt.timezone.utc)})
            conn.execute(load_sql(SQL, "transform_synthesize"))
            conn.execute("CHECKPOINT")
            store_mapping(conn, TENANT.key, load_mapping(mapping_file, "bench/transform_documents.yaml"))
            mapping = current_mapping(conn, TENANT.key)
            last_day = conn.execute(load_sql(SQL, "transform_counts")).fetchone()[-1]
            with PeakMemory(every=0.02) as memory:
                wall, cpu = time.perf_counter(), time.process_time()
                summary = build_journal(conn, TENANT, last_day, START, mapping)
                built, built_cpu = time.perf_counter() - wall, time.process_time() - cpu
                wall, cpu = time.perf_counter(), time.process_time()
                results = checks.evaluate(conn, TENANT, last_day, START)
                checked, checked_cpu = time.perf_counter() - wall, time.process_time() - cpu
            transactions, _, entries, lines, sources, quarantined, booked, _ = conn.execute(
                load_sql(SQL, "transform_counts")).fetchone()
            documents = dict(conn.execute("SELECT document_type, count(*) FROM journal.entries GROUP BY 1 ORDER BY 1")
                             .fetchall())
    return {"balance_transactions": transactions, "days": days, "booked": booked, "entries": entries,
            "lines": lines, "line_sources": sources, "quarantined_entries": quarantined, "documents": documents,
            "entries_built": summary.built, "checks_failed": [r.check_name for r in results if not r.passed],
            "journal_seconds": round(built, 2), "checks_seconds": round(checked, 2),
            "transform_seconds": round(built + checked, 2),
            "transform_cpu_seconds": round(built_cpu + checked_cpu, 2),
            "peak_rss_mb": round(memory.peak / 1e6, 1), "cpus": os.cpu_count(),
            "load_average_1m_after": round(os.getloadavg()[0], 2)}


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000), indent=2, default=str))
