"""The demo's closing summary, read back from each tenant's warehouse file."""

from __future__ import annotations

import datetime as dt

from ledger_pipeline.config import ProjectConfig
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.money import to_decimal
from ledger_pipeline.warehouse import WarehouseResource


def money(amount: int | None, currency: str) -> str:
    return f"{to_decimal(int(amount or 0), currency):,}"


def print_report(config: ProjectConfig, tenants: list[str], days: list[dt.date]) -> None:
    warehouse = WarehouseResource(directory=config.warehouse.directory)
    print("\nWhat was extracted (settlement currency, minor units shown as amounts):")
    header = f"  {'tenant':<28} {'cur':<4} {'bal. txns':>9} {'gross charges':>15} {'fees':>12} {'net':>15} {'payouts auto/manual':>20}"
    print(header)
    for tenant in tenants:
        with warehouse.connect(tenant) as conn:
            rows = conn.execute(load_sql("ledger_pipeline.cli", "demo_stripe_totals"), [days[0], days[-1]]).fetchall()
            counts = dict(conn.execute(load_sql("ledger_pipeline.cli", "demo_object_counts")).fetchall())
        for currency, n, gross, fees, net, auto, manual in rows:
            print(f"  {tenant:<28} {currency.upper():<4} {n:>9,} {money(gross, currency):>15} "
                  f"{money(fees, currency):>12} {money(net, currency):>15} {f'{auto}/{manual}':>20}")
        listed = ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
        print(f"  {'':<28} {listed}")


# --- the books: QuickBooks and Xero -----------------------------------------------------------------------
# target -> (its name, the loader asset, its preflight, the metadata key naming the company, what it is called)
TARGETS = {"quickbooks": ("QuickBooks", "quickbooks/posted_entries", "quickbooks/preflight", "realm_id", "realm"),
           "xero": ("Xero", "xero/posted_entries", "xero/preflight", "tenant_id", "organisation")}
READ_BACK = ("trial_balance_matches", "one_object_per_record")


def posting_outcome(result, target: str = "quickbooks") -> dict:
    """What one run's loader for `target` did (counts, API calls with preflight's) and what reading back said."""
    _, posted, preflight_key, company_key, _ = TARGETS[target]
    outcome: dict = {"ran": False, "counts": {}, "api_calls": 0, "company": None, "read_back": {}, "waiting": 0}
    preflight = 0
    for event in result.get_asset_materialization_events():
        metadata = {k: v.value for k, v in event.materialization.metadata.items()}
        if event.asset_key.to_user_string() == preflight_key:
            preflight = int(metadata.get("api_calls", 0))
        if event.asset_key.to_user_string() != posted:
            continue
        if "skipped" in metadata:
            outcome["skipped"] = metadata["skipped"]
            continue
        outcome.update(ran=True, counts=metadata.get("counts", {}), company=metadata.get(company_key),
                       api_calls=preflight + int(metadata.get("api_calls_total", 0)),
                       waiting=int(metadata.get("waiting_for_budget", 0)))
    for check in result.get_asset_check_evaluations():
        if check.asset_key.to_user_string() == posted:
            outcome["read_back"][check.check_name] = (check.passed, check.description or "")
    return outcome


def print_posting(posting: dict[str, list[dict]], base_url: str, target: str = "quickbooks") -> None:
    name, _, _, _, company = TARGETS[target]
    ran = {tenant: [r for r in runs if r["ran"]] for tenant, runs in posting.items()}
    if not any(ran.values()):
        print(f"\nNothing was posted to {name} (sandbox at {base_url}): no mapping file posts there.")
        return
    print(f"\nWhat was posted to {name} (sandbox at {base_url}), over all days, and read back (last day):")
    print(f"  {'tenant':<28} {company:<17} {'created':>7} {'updated':>7} {'skipped':>7} {'removed':>7} "
          f"{'failed':>6} {'API calls':>9}")
    for tenant, runs in posting.items():
        done = ran[tenant]
        if not done:
            why = next((r.get("skipped") for r in runs if r.get("skipped")), "not run (an earlier step failed)")
            print(f"  {tenant:<28} {why}")
            continue
        total: dict[str, int] = {}
        for run in done:
            for key, value in run["counts"].items():
                total[key] = total.get(key, 0) + int(value)
        removed = total.get("voided", 0) + total.get("deleted", 0)
        failed = total.get("failed", 0) + total.get("pending", 0)
        shown = (done[-1]["company"] or "")[:17]
        print(f"  {tenant:<28} {shown:<17} {total.get('created', 0) + total.get('recovered', 0):>7} "
              f"{total.get('updated', 0):>7} {total.get('skipped', 0):>7} {removed:>7} {failed:>6} "
              f"{sum(r['api_calls'] for r in done):>9}")
        if done[-1]["waiting"]:
            print(f"  {'':<28} {done[-1]['waiting']} record(s) wait for the next day's API budget")
        last = done[-1]["read_back"]
        for check in READ_BACK:
            if check in last:
                passed, description = last[check]
                print(f"  {'':<28} {'ok ' if passed else 'FAIL'} {check}: {description[:140]}")
