"""The warehouse: one DuckDB file per tenant, so tenants' runs never contend for a lock or see each other.

Schemas inside a tenant's file: raw, staging, quarantine (and later mapping, journal, sync). Tables are
created by the numbered `.sql` files in `ledger_pipeline/migrations/`, applied once, in order.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import Field

_SAFE_FILE = re.compile(r"^[A-Za-z0-9_.\-]+$")
_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) of every migration, in the order they apply."""
    folder = resources.files("ledger_pipeline").joinpath("migrations")
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in files]


def migrate(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations this file has not seen yet; returns their names."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS meta")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS meta.migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM meta.migrations").fetchall()}
    applied = []
    for name, sql in migration_files():
        if name in done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(sql)
            conn.execute("INSERT INTO meta.migrations VALUES (?, now())", [name])
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


class WarehouseResource(dg.ConfigurableResource):
    """Per-tenant DuckDB files under `directory`. Connections are short: open, work, close."""

    directory: str = Field(description="Folder holding one <tenant>.duckdb file per tenant.")

    def path(self, tenant_key: str) -> Path:
        if not _SAFE_FILE.match(tenant_key):
            raise ValueError(f"tenant key {tenant_key!r} cannot name a warehouse file")
        return Path(self.directory) / f"{tenant_key}.duckdb"

    def tenant_keys(self) -> list[str]:
        """Tenants that already have a warehouse file."""
        folder = Path(self.directory)
        return sorted(p.stem for p in folder.glob("*.duckdb")) if folder.exists() else []

    @contextmanager
    def connect(self, tenant_key: str, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the tenant's file with every migration applied.

        dagster-duckdb's resource retries while another process holds the file's lock.
        """
        path = self.path(tenant_key)
        if read_only and not path.exists():
            raise FileNotFoundError(f"no warehouse for tenant {tenant_key!r} at {path}: run its extraction first")
        path.parent.mkdir(parents=True, exist_ok=True)
        duck = DuckDBResource(database=str(path), connection_config={"threads": 2})
        with duck.get_connection() as conn:
            try:
                key = str(path.resolve())
                if not read_only and key not in _migrated:
                    with _migrate_lock:
                        migrate(conn)
                        _migrated.add(key)
                yield conn
            finally:
                # dagster-duckdb closes only on success: a failed step would keep the file open (and locked)
                # for as long as its traceback lives
                conn.close()
