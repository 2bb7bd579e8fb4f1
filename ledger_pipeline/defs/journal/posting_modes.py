"""The journal in the posting mode a tenant's mapping names: payout summaries or per-transaction documents."""

from __future__ import annotations

import datetime as dt

import duckdb

from ledger_pipeline.config import Tenant
from ledger_pipeline.defs.journal.build import BuildSummary, CurrentMapping, build_payout_summaries
from ledger_pipeline.defs.journal.documents import build_documents


def build_journal(conn: duckdb.DuckDBPyConnection, tenant: Tenant, day: dt.date, start_date: dt.date,
                  mapping: CurrentMapping, built_at: dt.datetime | None = None) -> BuildSummary:
    """(Re)build what the partition `day` owns, or what changed, in the tenant's posting mode."""
    if mapping.posting_mode == "per_transaction":
        return build_documents(conn, tenant, day, start_date, mapping, built_at)
    return build_payout_summaries(conn, tenant, day, start_date, mapping, built_at)
