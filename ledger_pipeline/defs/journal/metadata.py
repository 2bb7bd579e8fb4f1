"""Materialization metadata of `journal/entries`: counts, totals per account, a preview of the day's entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dagster as dg
import duckdb

from ledger_pipeline.defs.journal.build import BuildSummary, CurrentMapping
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.money import to_decimal

SQL = "ledger_pipeline.defs.journal"
PREVIEW_ENTRIES = 5


def journal_metadata(conn: duckdb.DuckDBPyConnection, tenant: str, day: dt.date, mapping: CurrentMapping,
                     summary: BuildSummary) -> dict[str, Any]:
    scope = {"tenant": tenant, "day": day}
    entries, lines, day_entries, day_lines, quarantined, awaiting, booked = conn.execute(
        load_sql(SQL, "metadata_counts"), scope).fetchone()
    totals: dict[str, dict[str, dict[str, int]]] = {}
    for account, currency, debit, credit, books_debit, books_credit in conn.execute(
            load_sql(SQL, "metadata_account_totals"), scope).fetchall():
        totals.setdefault(account, {})[currency] = {"debit": debit, "credit": credit, "books_debit": books_debit,
                                                    "books_credit": books_credit}
    preview = conn.execute(load_sql(SQL, "metadata_preview"), {**scope, "limit": PREVIEW_ENTRIES}).fetchall()
    return {
        "dagster/row_count": day_entries,
        "mapping_version": mapping.version,
        "mapping_file": mapping.file,
        "posting_mode": mapping.posting_mode,
        "books": dg.MetadataValue.json({"currency": mapping.books_currency, "target": mapping.target,
                                        "company": mapping.company, "payout_schedule": mapping.payout_schedule}),
        "entries_of_the_day": day_entries,
        "lines_of_the_day": day_lines,
        "entries": entries,
        "lines": lines,
        "built_by_this_run": summary.built,
        "looked_at_by_this_run": summary.rebuilt_keys,
        "quarantined_entries": quarantined,
        "transactions_booked": booked,
        "transactions_awaiting_payout": awaiting,
        "totals_by_account": dg.MetadataValue.json(totals),
        "preview": dg.MetadataValue.md(_preview_markdown(preview, summary)),
    }


def _preview_markdown(rows: list[tuple], summary: BuildSummary) -> str:
    if summary.skipped:
        return summary.skipped
    if not rows:
        return "No entry belongs to this day."
    out: list[str] = []
    current = None
    for key, date, kind, memo, currency, line_no, ref, name, debit, credit, description, tracking in rows:
        if key != current:
            current = key
            out += ["", f"**{date} · {memo}** (`{key}`, {currency.upper()})", "",
                    "| # | account | debit | credit | description |", "|---|---|---:|---:|---|"]
        shown = f"{description}" + (f" · {tracking}" if tracking else "")
        out.append(f"| {line_no} | {ref} {name} | {_money(debit, currency)} | {_money(credit, currency)} | {shown} |")
    return "\n".join(out).strip()


def _money(amount: int, currency: str) -> str:
    return f"{to_decimal(amount, currency):,}" if amount else ""
