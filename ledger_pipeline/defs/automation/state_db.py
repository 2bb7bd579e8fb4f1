"""The automation's own small state: one SQLite file shared by the webhook receiver and the Dagster daemon.

SQLite rather than DuckDB because two processes write it (the receiver and the sensors), with short
transactions; and it sits beside the tenants' warehouse files without being mistaken for one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from ledger_pipeline.config import ProjectConfig
from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.defs.automation"
STATE_FILE = "automation.sqlite3"


def state_file(config: ProjectConfig) -> str:
    """Where the state lives: `automation.state_file`, or beside the warehouse files."""
    return config.automation.state_file or str(Path(config.warehouse.directory) / STATE_FILE)


@contextmanager
def open_state(path: str) -> Iterator[sqlite3.Connection]:
    """A connection with the tables in place; `with conn:` around writes makes them one transaction."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")  # the receiver writes while a sensor reads
        conn.executescript(load_sql(SQL, "state_create"))
        yield conn
