"""Replace one (tenant, day) partition's slice of the warehouse, all or nothing.

In one transaction: deletable objects we hold as alive are snapshotted (a full listing that misses one
means Stripe deleted it), the previous run's keys are remembered and the partition's slices cleared; the
fetched answers are split by DuckDB into observations in raw (and typed into the day slices), a batch of
files at a time; repeats are removed, deletions marked, and every current-state row the old or the new
slice speaks about is rebuilt from all observations. Running it again with the same answers gives the same
tables; running an older day again cannot roll an object back (the newest observation wins).
"""

from __future__ import annotations

import duckdb

from ledger_pipeline.defs.stripe.objects import TRACKED_TYPES
from ledger_pipeline.defs.stripe.pages import Reject
from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.defs.stripe"
BATCH_PAGES = 200  # answers split at once: bounds DuckDB's working memory on big days
BATCH = ("load_batch", "staging_balance_transactions", "staging_events")
# Current state, rebuilt once at the end (invoices and credit notes after `affected_parents` is known).
CURRENT_STATE = (
    "staging_payout_composition", "staging_payouts", "staging_charges", "staging_refunds", "staging_disputes",
    "staging_customers", "staging_products", "staging_prices", "staging_invoices", "staging_credit_notes",
    "staging_tax_rates", "staging_application_fees", "staging_transfers", "staging_accounts",
)


def replace_slice(conn: duckdb.DuckDBPyConnection, *, pages: list[tuple], rejects: list[Reject],
                  live_windows: list[tuple[str, int, int]], composition_targets: list[str]) -> None:
    """Swap the partition named in `extraction_run` for the fetched answers (`pages`: rows of
    `fetched_pages`, each naming its file)."""
    conn.execute("BEGIN TRANSACTION")
    try:
        _insert(conn, "insert_fetched_page", pages)
        _insert(conn, "insert_fetched_reject",
                [(r.seq, r.idx, r.part, r.object_type, r.object_id, r.reason) for r in rejects])
        _insert(conn, "insert_composition_target", [(payout,) for payout in composition_targets])
        _insert(conn, "insert_tracked_type", [(kind,) for kind in sorted(TRACKED_TYPES)])
        for object_type, start, end in live_windows:
            _run(conn, "snapshot_live", {"object_type": object_type, "window_start": start, "window_end": end})
        _run(conn, "begin_slice")
        for first in range(0, len(pages), BATCH_PAGES):
            _run(conn, "split_pages", {"files": [row[-1] for row in pages[first:first + BATCH_PAGES]]})
            for name in BATCH:
                _run(conn, name)
        _run(conn, "finish_slice")
        for name in CURRENT_STATE:
            _run(conn, name)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _insert(conn: duckdb.DuckDBPyConnection, name: str, rows: list[tuple]) -> None:
    if rows:  # DuckDB refuses an empty executemany
        conn.executemany(load_sql(SQL, name), rows)


def _run(conn: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    try:
        conn.execute(load_sql(SQL, name), params)
    except duckdb.Error as exc:
        exc.add_note(f"while running ledger_pipeline/defs/stripe/sql/{name}.sql")
        raise
