"""Materialization metadata per asset: rows, what was fetched and why, money per currency, notable ids.

`stripe/balance_transactions` also carries the day's `gross`, `fees`, `refunds` and `net` as numbers in major
units of the tenant's own currency (`currency` says which; other settlement currencies get a suffix,
`gross_eur`): one point per tenant-day, which the asset's Plots tab in the Dagster UI draws across partitions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import dagster as dg
import duckdb

from ledger_pipeline.defs.stripe.endpoints import ASSET_OBJECT_TYPE, ASSETS
from ledger_pipeline.defs.stripe.extract import Summary
from ledger_pipeline.lib.metadata import major, money, table
from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.defs.stripe"
NOTABLE_SHOWN = 10
PLOTTED = ("gross", "fees", "refunds", "net")
DAY_MONEY_COLUMNS = [
    ("currency", "string", "settlement currency"),
    ("transactions", "int", "balance transactions other than payouts"),
    ("gross", "decimal", "charges and payments"), ("refunds", "decimal", "refunds less failed refunds"),
    ("fees", "decimal", "fees on transactions plus Stripe fees charged on their own"),
    ("net", "decimal", "how much the Stripe balance moved before payouts"),
    ("paid_out", "decimal", "payouts less failed or cancelled ones"),
]


def asset_metadata(conn: duckdb.DuckDBPyConnection, summary: Summary) -> dict[str, dict[str, Any]]:
    """Metadata for every asset of the partition just written."""
    rows = dict(conn.execute(load_sql(SQL, "metadata_rows")).fetchall())
    fetched: dict[str, dict[str, int]] = defaultdict(dict)
    for object_type, origin, objects in conn.execute(load_sql(SQL, "metadata_fetched")).fetchall():
        fetched[object_type][origin] = objects
    totals: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for object_type, currency, objects, amount, fee, net, total in conn.execute(
            load_sql(SQL, "metadata_totals")).fetchall():
        figures = {"objects": objects, "amount": amount, "fee": fee, "net": net, "total": total}
        totals[object_type][currency] = {k: v for k, v in figures.items() if v is not None}
    notable: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for asset, label, object_id, _ in conn.execute(load_sql(SQL, "metadata_notable")).fetchall():
        if len(notable[asset][label]) < NOTABLE_SHOWN:
            notable[asset][label].append(object_id)

    window_start, window_end = summary.partition.window
    result: dict[str, dict[str, Any]] = {}
    for asset in ASSETS:
        object_type = ASSET_OBJECT_TYPE[asset]
        by_origin = ({"payout": fetched[object_type].get("payout", 0)} if asset == "payout_composition" else
                     {k: v for k, v in fetched[object_type].items() if k != "payout"})
        meta: dict[str, Any] = {
            "dagster/row_count": rows.get(asset, 0),
            "fetched_by_origin": dg.MetadataValue.json(by_origin),
            "window": dg.MetadataValue.json({"start": window_start, "end": window_end}),
        }
        if object_type in totals and asset != "payout_composition":
            meta["created_in_window_by_currency"] = dg.MetadataValue.json(totals[object_type])
        if asset in notable:
            meta["notable_ids"] = dg.MetadataValue.json(dict(notable[asset]))
        result[asset] = meta

    result["payout_composition"]["payouts_composed"] = len(summary.composition_targets)
    result["payout_composition"]["payout_ids"] = dg.MetadataValue.json(summary.composition_targets[:50])
    result["charges"]["older_charges_refreshed"] = dg.MetadataValue.json(summary.retrieved_charges[:50])
    result["events"]["events_complete"] = summary.events_complete
    result["events"]["relisted_instead"] = summary.relisted
    result["balance_transactions"].update(day_money(conn))
    result["balance_transactions"]["extraction"] = dg.MetadataValue.json({
        "stripe_now": summary.server_now, "pages": summary.pages, "seconds": round(summary.seconds, 3),
        "events_complete": summary.events_complete, "relisted_mutable_objects": summary.relisted,
        "quarantined": summary.rejected, **summary.calls})
    return result


def day_money(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The day's gross, fees, refunds and net: plotted numbers per currency, and a table of them."""
    rows = [dict(zip(("currency", "is_home", "transactions", "gross", "refunds", "fees", "net", "paid_out"), row))
            for row in conn.execute(load_sql(SQL, "metadata_day_money")).fetchall()]
    meta: dict[str, Any] = {}
    for n, row in enumerate(rows):
        suffix = "" if n == 0 else f"_{row['currency']}"
        if n == 0:
            meta["currency"] = row["currency"].upper()
        for figure in PLOTTED:
            meta[f"{figure}{suffix}"] = dg.MetadataValue.float(major(row[figure], row["currency"]))
    meta["day_totals"] = table(DAY_MONEY_COLUMNS, [
        {**row, **{k: money(row[k], row["currency"]) for k in ("gross", "refunds", "fees", "net", "paid_out")}}
        for row in rows])
    return meta
