"""Replace one (tenant, day) partition's slice of the warehouse, all or nothing.

In one transaction: the fetched pages become observations, deletions are inferred from full listings,
the partition's raw and quarantine slices are swapped for the new ones, and every staging row the old or
the new slice speaks about is rebuilt from all observations. Running it again with the same answers gives
the same tables; running an older day again cannot roll an object back (the newest observation wins).
"""

from __future__ import annotations

import duckdb

from ledger_pipeline.defs.stripe.endpoints import DELETABLE
from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.defs.stripe"

# Day slices first, then current state; invoices and credit notes after `affected_parents` is known.
STAGING = (
    "staging_balance_transactions", "staging_events", "staging_payout_composition", "staging_payouts",
    "staging_charges", "staging_refunds", "staging_disputes", "staging_customers", "staging_products",
    "staging_prices", "staging_invoices", "staging_credit_notes", "staging_tax_rates",
    "staging_application_fees", "staging_transfers", "staging_accounts",
)


def replace_slice(conn: duckdb.DuckDBPyConnection) -> None:
    """Swap the partition named in `extraction_run` for what `fetched_pages` holds."""
    conn.execute("BEGIN TRANSACTION")
    try:
        _run(conn, "stage_fetched")
        windows = conn.execute("SELECT object_type, window_start, window_end FROM listed_windows").fetchall()
        for object_type, start, end in windows:
            if object_type in DELETABLE:
                _run(conn, "absent_objects", {"object_type": object_type, "window_start": start, "window_end": end})
        _run(conn, "affected")
        _run(conn, "replace_raw")
        for name in STAGING:
            _run(conn, name)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _run(conn: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    try:
        conn.execute(load_sql(SQL, name), params)
    except duckdb.Error as exc:
        exc.add_note(f"while running ledger_pipeline/defs/stripe/sql/{name}.sql")
        raise
