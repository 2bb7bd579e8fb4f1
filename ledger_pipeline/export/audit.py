"""The audit pack: everything an auditor needs to follow a tenant's Stripe money into its books, as files.

One folder per tenant, one file per table (CSV or Parquet, written by DuckDB):
  entries, lines              the journal as built (both posting modes)
  line_sources, line_lineage  each line's Stripe balance transactions, and the Stripe objects behind them
  bookings                    where every balance transaction stands (booked, quarantined, awaiting payout)
  quarantine                  entries held back, with the mapping key that would release them
  mapping_versions            every mapping file version loaded (content as parsed, hash, which is current)
  mapping_accounts            the accounts each version names, by role
  check_results               the accounting checks per day partition, recomputed when the pack is written
                              by the same code the journal asset runs (ledger_pipeline.defs.journal.checks)
  <mode>.beancount            the journal as a Beancount ledger (export/beancount.py), with what Beancount's
                              own bean-check said of it
plus manifest.json and README.md: row count and sha256 of every file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

import duckdb

from ledger_pipeline.config import Tenant
from ledger_pipeline.defs.journal import checks
from ledger_pipeline.export.audit_manifest import TABLES, PackFile, sha256, write_manifest
from ledger_pipeline.export.bean_check import bean_check
from ledger_pipeline.export.beancount import render_ledgers
from ledger_pipeline.lib.metadata import plain
from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.export"
Format = Literal["csv", "parquet"]


def write_pack(conn: duckdb.DuckDBPyConnection, tenant: Tenant, start_date: dt.date, folder: Path,
               fmt: Format = "csv") -> list[PackFile]:
    """Write the tenant's audit pack into `folder` (created); returns what it wrote."""
    folder.mkdir(parents=True, exist_ok=True)
    _check_results(conn, tenant, start_date)
    files = []
    for table in TABLES:
        path = folder / f"{table}.{fmt}"
        if fmt == "csv":
            _relation(conn, table, tenant.key).write_csv(str(path), header=True)
        else:
            _relation(conn, table, tenant.key).write_parquet(str(path))
        [(rows,)] = _relation(conn, table, tenant.key).aggregate("count(*)").fetchall()
        files.append(PackFile(table=table, file=path.name, rows=rows, sha256=sha256(path)))
    proofs = _ledgers(conn, tenant.key, folder)
    files += [file for file, _ in proofs]
    write_manifest(folder, tenant.key, fmt, files, {file.file: verdict for file, verdict in proofs})
    return files


def _ledgers(conn: duckdb.DuckDBPyConnection, tenant: str, folder: Path) -> list[tuple[PackFile, str]]:
    """The journal as Beancount ledgers, and bean-check's verdict on each (when Beancount is installed)."""
    proofs = []
    for ledger in render_ledgers(conn, tenant):
        path = folder / f"{ledger.mode}.beancount"
        path.write_text(ledger.text, encoding="utf-8")
        try:
            result = bean_check(path)
            verdict = "passed" if result.passed else f"FAILED: {result.output[:2000]}"
        except FileNotFoundError as exc:
            verdict = f"not run: {exc}"
        proofs.append((PackFile(table=f"beancount_{ledger.mode}", file=path.name, rows=ledger.entries,
                                sha256=sha256(path)), verdict))
    return proofs


def _relation(conn: duckdb.DuckDBPyConnection, table: str, tenant: str) -> duckdb.DuckDBPyRelation:
    query = load_sql(SQL, f"audit_{table}")
    return conn.sql(query, params={"tenant": tenant}) if "$tenant" in query else conn.sql(query)


def _check_results(conn: duckdb.DuckDBPyConnection, tenant: Tenant, start_date: dt.date) -> None:
    conn.execute(load_sql(SQL, "audit_check_results_table"))
    last = conn.execute(load_sql(SQL, "audit_days"), {"tenant": tenant.key, "timezone": tenant.timezone}).fetchone()[0]
    rows = []
    day = start_date
    while last is not None and day <= last:
        for result in checks.evaluate(conn, tenant, day, start_date):
            metadata = {key: plain(value) for key, value in (result.metadata or {}).items()}
            rows.append((tenant.key, day, result.check_name, result.passed, result.severity.value,
                         result.description, json.dumps(metadata, default=str, sort_keys=True)))
        day += dt.timedelta(days=1)
    if rows:
        conn.executemany(load_sql(SQL, "audit_check_results_insert"), rows)
