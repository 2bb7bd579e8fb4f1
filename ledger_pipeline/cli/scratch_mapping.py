"""A tenant's mapping as `mapping.*` tables in a throwaway in-memory warehouse.

The QuickBooks readiness check reads the mapping from those tables. Loading the file into a scratch
warehouse lets `doctor` run that same check before any pipeline run, and never writes the tenant's real
warehouse (where a new version would become the one the next journal is built with). The only thing taken
from the real warehouse, read-only, is the tenant's Stripe account (for `books.currency: account`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from ledger_pipeline.defs.journal.build import CurrentMapping, current_mapping
from ledger_pipeline.defs.journal.mapping_file import Mapping
from ledger_pipeline.defs.journal.mapping_tables import SQL as MAPPING_SQL, store_mapping
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.warehouse import WarehouseResource, migrate


@contextmanager
def scratch_mapping(tenant: str, mapping: Mapping,
                    warehouse: WarehouseResource) -> Iterator[tuple[duckdb.DuckDBPyConnection, CurrentMapping]]:
    """(connection, current mapping) of a scratch warehouse holding only this mapping. Raises MappingError
    when the file cannot be loaded (e.g. `books.currency: account` before the tenant was ever extracted)."""
    conn = duckdb.connect(":memory:")
    try:
        migrate(conn)
        account = stripe_account(tenant, warehouse)
        if account is not None:
            conn.execute(load_sql("ledger_pipeline.cli", "scratch_tenant_account"),
                         {"currency": account[0], "interval": account[1]})
        store_mapping(conn, tenant, mapping)
        yield conn, current_mapping(conn, tenant)
    finally:
        conn.close()


def stripe_account(tenant: str, warehouse: WarehouseResource) -> tuple[str, str] | None:
    """(currency, payout interval) of the tenant's Stripe account as last extracted, if it ever was."""
    path = warehouse.path(tenant)
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as conn:
            return conn.execute(load_sql(MAPPING_SQL, "mapping_tenant_account")).fetchone()
    except duckdb.Error:  # never extracted, or a run holds the file: the file's own currency must do
        return None
