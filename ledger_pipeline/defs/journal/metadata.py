"""Materialization metadata of `journal/entries`, what a reviewer reads in the Dagster UI:

- counts (entries and lines of the day and in all, what this run built, bookings, quarantine);
- `payouts`: a tie-out table, one row per payout the day concerns: arrival date, amount, the net of the
  balance transactions it carried, their fees, the difference and where it stands;
- `totals_by_account`: lines, debits and credits per account (transaction and books currency);
- `preview`: the first entries of the day with their lines, payouts and balance transactions (markdown);
- `stripe_ids`: the payouts, balance transactions and source objects behind the day's entries.

Amounts are integer minor units in SQL; they become exact Decimal text only here (`lib.metadata.money`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dagster as dg
import duckdb

from ledger_pipeline.config import Tenant
from ledger_pipeline.defs.journal.build import BuildSummary, CurrentMapping
from ledger_pipeline.lib.metadata import money, table
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.money import to_decimal

SQL = "ledger_pipeline.defs.journal"
PREVIEW_ENTRIES = 5
IDS_SHOWN = 50

PAYOUT_COLUMNS = [
    ("payout", "string", "Stripe po_ id"),
    ("arrival_date", "date", "when it reaches the bank"),
    ("currency", "string", ""),
    ("amount", "decimal", "what it paid out"),
    ("transactions", "int", "balance transactions it carried (its own left out)"),
    ("transactions_net", "decimal", "the net of those balance transactions"),
    ("fees", "decimal", "Stripe fees among them"),
    ("difference", "decimal", "transactions net - amount: 0 when it ties out"),
    ("status", "string", "Stripe's payout status / reconciliation status"),
    ("tie_out", "string", "where its tie-out stands (payouts_tie_out checks it)"),
]
ACCOUNT_COLUMNS = [
    ("account", "string", "the account's id and name in the books"),
    ("currency", "string", "transaction currency"),
    ("lines", "int", ""),
    ("debit", "decimal", ""),
    ("credit", "decimal", ""),
    ("books_currency", "string", ""),
    ("books_debit", "decimal", ""),
    ("books_credit", "decimal", ""),
]


def journal_metadata(conn: duckdb.DuckDBPyConnection, tenant: Tenant, day: dt.date, mapping: CurrentMapping,
                     summary: BuildSummary) -> dict[str, Any]:
    scope = {"tenant": tenant.key, "day": day}
    day_start, day_end = (dt.datetime.fromtimestamp(t, dt.timezone.utc) for t in tenant.day_window(day))
    entries, lines, day_entries, day_lines, quarantined, awaiting, booked = conn.execute(
        load_sql(SQL, "metadata_counts"), scope).fetchone()
    accounts = [dict(zip(("account", "currency", "lines", "debit", "credit", "books_currency", "books_debit",
                          "books_credit"), row))
                for row in conn.execute(load_sql(SQL, "metadata_account_totals"), scope).fetchall()]
    payouts = [_payout_row(*row) for row in conn.execute(
        load_sql(SQL, "metadata_payouts"), {**scope, "day_start": day_start, "day_end": day_end}).fetchall()]
    preview = conn.execute(load_sql(SQL, "metadata_preview"), {**scope, "limit": PREVIEW_ENTRIES}).fetchall()
    stripe_ids = _stripe_ids(conn.execute(load_sql(SQL, "metadata_stripe_ids"),
                                          {**scope, "limit": IDS_SHOWN}).fetchone())
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
        "payouts": table(PAYOUT_COLUMNS, payouts),
        "payouts_not_tied_out": sum(1 for p in payouts if p["tie_out"] not in ("ties out", "manual payout")),
        "totals_by_account": table(ACCOUNT_COLUMNS, [
            {**a, "debit": money(a["debit"], a["currency"]), "credit": money(a["credit"], a["currency"]),
             "books_debit": money(a["books_debit"], a["books_currency"]),
             "books_credit": money(a["books_credit"], a["books_currency"])} for a in accounts]),
        "preview": dg.MetadataValue.md(_preview_markdown(preview, summary)),
        "stripe_ids": dg.MetadataValue.json(stripe_ids),
    }


def _payout_row(payout: str, arrival: dt.datetime | None, currency: str, amount: int, automatic: bool,
                status: str | None, reconciliation: str | None, transactions: int, gross: int | None,
                fees: int | None, net: int | None) -> dict[str, Any]:
    if not automatic:
        verdict = "manual payout"  # Stripe cannot say which transactions a manual payout carried
    elif net is None:
        verdict = "composition not in the warehouse"
    elif net == amount:
        verdict = "ties out"
    elif reconciliation != "completed":
        verdict = f"Stripe still reconciling ({reconciliation or 'unknown'})"
    else:
        verdict = f"off by {money(net - amount, currency)} {currency.upper()}"
    return {
        "payout": payout,
        "arrival_date": arrival.astimezone(dt.timezone.utc).date().isoformat() if arrival else None,
        "currency": currency, "amount": money(amount, currency), "transactions": transactions,
        "transactions_net": money(net, currency), "fees": money(fees, currency),
        "difference": money(net - amount, currency) if net is not None else None,
        "status": " / ".join(s for s in (status, reconciliation) if s), "tie_out": verdict,
    }


def _stripe_ids(row: tuple) -> dict[str, Any]:
    payouts, payout_ids, transactions, transaction_ids, sources, source_ids, charge_ids = row
    return {"payouts": payouts, "payout_ids": payout_ids,
            "balance_transactions": transactions, "balance_transaction_ids": transaction_ids,
            "source_objects": sources, "source_ids": source_ids, "charge_ids": charge_ids,
            "shown_at_most": IDS_SHOWN}


def _preview_markdown(rows: list[tuple], summary: BuildSummary) -> str:
    if summary.skipped:
        return summary.skipped
    if not rows:
        return "No entry belongs to this day."
    out: list[str] = []
    current = None
    for (key, date, kind, memo, currency, line_no, ref, name, debit, credit, description, tracking, payout,
         transactions, first_ids) in rows:
        if key != current:
            current = key
            stripe = ([f"payout `{payout}`"] if payout else []) + (
                [f"{transactions} balance transaction{'s' if transactions != 1 else ''}: "
                 + ", ".join(f"`{i}`" for i in first_ids) + (" ..." if transactions > len(first_ids) else "")]
                if transactions else [])
            out += ["", f"**{date} · {memo}** (`{key}`, {currency.upper()})", ""]
            if stripe:
                out += ["Stripe: " + "; ".join(stripe), ""]
            out += ["| # | account | debit | credit | description |", "|---|---|---:|---:|---|"]
        shown = f"{description}" + (f" · {tracking}" if tracking else "")
        out.append(f"| {line_no} | {ref} {name} | {_money(debit, currency)} | {_money(credit, currency)} | {shown} |")
    return "\n".join(out).strip()


def _money(amount: int, currency: str) -> str:
    return f"{to_decimal(amount, currency):,}" if amount else ""
