"""The checks the extraction computes on its own partition, right after the slice is replaced.

- `payout_composition_ties_out` (blocking, ERROR): every automatic payout composed this run pays out
  exactly the net of its balance transactions, and its own transaction is -amount. A payout still being
  reconciled by Stripe (`reconciliation_status=in_progress`) may be incomplete: it is reported, not failed,
  and is composed again on the day its reconciliation completes (that day's event names it).
- `balance_transaction_types_known` (non-blocking, WARN): a type or reporting category Stripe added after
  our lists is kept, flagged by id. Extraction is not the place to stop on it: the journal stage's mapping
  check blocks posting anything it cannot map, while every known row of the day still lands.
- `no_quarantined_objects` (blocking, ERROR, on every asset): a malformed object went to
  `quarantine.stripe_objects`; the rest of the partition is kept, the run fails until it is fixed.

A failing result names its rows twice: as JSON in minor units (for the alerts, the audit pack and the
tests) and as `offending_rows`, a table in major units with its currency, for the Dagster UI.
"""

from __future__ import annotations

from collections import defaultdict

import dagster as dg
import duckdb

from ledger_pipeline.defs.stripe.endpoints import ASSET_OBJECT_TYPE, ASSETS
from ledger_pipeline.defs.stripe.objects import BALANCE_TRANSACTION_TYPES, REPORTING_CATEGORIES
from ledger_pipeline.lib.metadata import money, table
from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.defs.stripe"
SHOWN = 25  # ids listed in metadata; the counts say how many there are in all

TIES_OUT = "payout_composition_ties_out"
TYPES_KNOWN = "balance_transaction_types_known"
NO_QUARANTINE = "no_quarantined_objects"


def asset_key(asset: str) -> dg.AssetKey:
    return dg.AssetKey(["stripe", asset])


def check_specs() -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(TIES_OUT, asset=asset_key("payout_composition"), blocking=True,
                          description="Each automatic payout's balance transactions (net, except its own) add up "
                                      "to its amount, and its own transaction is -amount."),
        dg.AssetCheckSpec(TYPES_KNOWN, asset=asset_key("balance_transactions"), blocking=False,
                          description="Every balance transaction type and reporting category is on Stripe's "
                                      "documented lists; unknown ones are kept and flagged."),
        *[dg.AssetCheckSpec(NO_QUARANTINE, asset=asset_key(asset), blocking=True,
                            description="No object of this partition failed validation "
                                        "(see quarantine.stripe_objects).")
          for asset in ASSETS],
    ]


def evaluate(conn: duckdb.DuckDBPyConnection) -> list[dg.AssetCheckResult]:
    return [payout_composition_ties_out(conn), balance_transaction_types_known(conn),
            *no_quarantined_objects(conn)]


def payout_composition_ties_out(conn: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
    offending, pending, checked = [], [], 0
    for payout_id, amount, currency, status, reconciliation, paid_out, own, transactions in conn.execute(
            load_sql(SQL, "check_payout_composition")).fetchall():
        checked += 1
        if paid_out == amount and own == -amount:
            continue
        finding = {"payout": payout_id, "currency": currency, "amount": amount, "composition_net": paid_out,
                   "difference": paid_out - amount, "own_transaction_amount": own, "transactions": transactions,
                   "status": status, "reconciliation_status": reconciliation}
        (pending if reconciliation == "in_progress" else offending).append(finding)
    return dg.AssetCheckResult(
        check_name=TIES_OUT, asset_key=asset_key("payout_composition"), passed=not offending,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(f"{len(offending)} of {checked} automatic payouts do not tie out: "
                     + ", ".join(f"{f['payout']} off by {f['difference']} {f['currency']}" for f in offending[:5])
                     if offending else f"{checked} automatic payouts tie out to the cent"),
        metadata={"payouts_checked": checked, "offending": dg.MetadataValue.json(offending[:SHOWN]),
                  "not_yet_reconciled": dg.MetadataValue.json(pending[:SHOWN]),
                  **({"offending_rows": table(PAYOUT_COLUMNS, [_payout_row(f, "does not tie out") for f in offending]
                                              + [_payout_row(f, "Stripe still reconciling") for f in pending])}
                     if offending or pending else {})},
    )


PAYOUT_COLUMNS = [("payout", "string", "Stripe po_ id"), ("currency", "string", ""),
                  ("amount", "decimal", "what the payout paid out"),
                  ("composition_net", "decimal", "net of its balance transactions, its own excluded"),
                  ("difference", "decimal", "composition net - amount"),
                  ("own_transaction_amount", "decimal", "its own balance transaction; must be -amount"),
                  ("transactions", "int", ""), ("status", "string", ""), ("reconciliation_status", "string", ""),
                  ("finding", "string", "")]


def _payout_row(finding: dict, verdict: str) -> dict:
    currency = finding["currency"]
    return {**finding, "finding": verdict,
            **{k: money(finding[k], currency) for k in ("amount", "composition_net", "difference",
                                                        "own_transaction_amount")}}


def balance_transaction_types_known(conn: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
    rows = conn.execute(load_sql(SQL, "check_unknown_types"),
                        {"types": sorted(BALANCE_TRANSACTION_TYPES),
                         "categories": sorted(REPORTING_CATEGORIES)}).fetchall()
    unknown_types = sorted({row[1] for row in rows if row[1] not in BALANCE_TRANSACTION_TYPES})
    unknown_categories = sorted({row[2] for row in rows if row[2] and row[2] not in REPORTING_CATEGORIES})
    return dg.AssetCheckResult(
        check_name=TYPES_KNOWN, asset_key=asset_key("balance_transactions"), passed=not rows,
        severity=dg.AssetCheckSeverity.WARN,
        description=(f"{len(rows)} balance transactions have an undocumented type or reporting category "
                     f"(types {unknown_types}, categories {unknown_categories}); they are kept: map them before "
                     f"they are booked" if rows else "every type and reporting category is documented"),
        metadata={"unknown_types": dg.MetadataValue.json(unknown_types),
                  "unknown_reporting_categories": dg.MetadataValue.json(unknown_categories),
                  "balance_transactions": dg.MetadataValue.json([row[0] for row in rows[:SHOWN]]),
                  "count": len(rows),
                  **({"offending_rows": table(
                      [("balance_transaction", "string", "Stripe txn_ id"), ("type", "string", ""),
                       ("reporting_category", "string", ""), ("currency", "string", ""), ("amount", "decimal", "")],
                      [{"balance_transaction": bt, "type": kind, "reporting_category": category,
                        "currency": currency, "amount": money(amount, currency)}
                       for bt, kind, category, currency, amount in rows[:SHOWN]])} if rows else {})},
    )


def asset_of(object_type: str | None, origin: str) -> str:
    """Which asset a quarantined object would have fed."""
    if origin == "payout":
        return "payout_composition"
    if object_type == "line_item":
        return "invoices"
    if object_type == "credit_note_line_item":
        return "credit_notes"
    for asset, kind in ASSET_OBJECT_TYPE.items():
        if kind == object_type and asset != "payout_composition":
            return asset
    return "balance_transactions"  # an object of a type we do not know: Stripe sent it on our main list


def no_quarantined_objects(conn: duckdb.DuckDBPyConnection) -> list[dg.AssetCheckResult]:
    found: dict[str, list[dict]] = defaultdict(list)
    for object_type, object_id, origin, reason in conn.execute(load_sql(SQL, "quarantined")).fetchall():
        found[asset_of(object_type, origin)].append(
            {"object_type": object_type, "id": object_id, "origin": origin, "reason": reason})
    results = []
    for asset in ASSETS:
        bad = found.get(asset, [])
        results.append(dg.AssetCheckResult(
            check_name=NO_QUARANTINE, asset_key=asset_key(asset), passed=not bad,
            severity=dg.AssetCheckSeverity.ERROR,
            description=(f"{len(bad)} object(s) quarantined in quarantine.stripe_objects, the rest kept. "
                         f"First: {bad[0]['reason']}" if bad else "no object was quarantined"),
            metadata={"quarantined": len(bad), "objects": dg.MetadataValue.json(bad[:SHOWN]),
                      **({"offending_rows": table(
                          [("object_type", "string", ""), ("id", "string", "Stripe id"),
                           ("origin", "string", "how it was fetched"), ("reason", "string", "why it was refused")],
                          bad[:SHOWN])} if bad else {})},
        ))
    return results
