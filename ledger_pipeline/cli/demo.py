"""`ledger-pipeline demo`: the whole pipeline on the in-process sandboxes and a local DuckDB file.

Prints what it extracted and checked, and exits non-zero when any run or asset check failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from pathlib import Path

from ledger_pipeline.cli.sandbox import add_stripe_data_options, stripe_seed

SANDBOX_KEY = "sk_test_sandbox"
# The summary below says what happened; the full event log is in Dagster (`make ui`).
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("demo", help="run the pipeline end to end on the sandboxes")
    add_stripe_data_options(parser)
    parser.add_argument("--warehouse", type=Path, default=None,
                        help="warehouse folder (default: the config's warehouse.directory)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the tenants' existing warehouse files instead of starting clean")
    parser.set_defaults(handler=demo_command)


def demo_command(args: argparse.Namespace) -> int:
    import dagster as dg

    from ledger_pipeline.cli.demo_report import print_report
    from ledger_pipeline.config import load_config, project_config
    from ledger_pipeline.sandbox.stripe import StripeSandbox

    from ledger_pipeline.cli.demo_books import start_quickbooks, start_xero
    from ledger_pipeline.cli.demo_report import posting_outcome, print_posting

    started = time.monotonic()
    seed = stripe_seed(args)
    stripe_server = StripeSandbox(seed=seed, api_keys=(SANDBOX_KEY,)).serve(port=0)
    books = xero = None
    try:
        # Point the ordinary configuration at the in-process sandboxes: same code path as the real services.
        os.environ["LEDGER_STRIPE_API_BASE"] = stripe_server.base_url
        os.environ["STRIPE_API_KEY"] = SANDBOX_KEY
        if args.warehouse:
            os.environ["LEDGER_WAREHOUSE_DIR"] = str(args.warehouse)
        books = start_quickbooks(load_config(), seller_currencies(seed))
        xero = start_xero(load_config())
        project_config.cache_clear()
        config = load_config()

        from ledger_pipeline.definitions import defs as lazy_defs
        from ledger_pipeline.defs.stripe.tenants import discover_tenant_keys
        from ledger_pipeline.lib.partitions import TENANTS, partition_key

        defs = lazy_defs()
        stripe_resource = defs.resources["stripe"]
        tenants = discover_tenant_keys(config, stripe_resource)
        days = seed_days(seed)
        warehouse_dir = Path(config.warehouse.directory)
        if not args.keep:
            for tenant in tenants:
                for suffix in (".duckdb", ".duckdb.wal"):
                    (warehouse_dir / f"{tenant}{suffix}").unlink(missing_ok=True)

        instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
        instance.add_dynamic_partitions(TENANTS, [t for t in tenants if not instance.has_dynamic_partition(TENANTS, t)])
        job = defs.resolve_job_def("ledger_daily_job")
        print(f"Stripe sandbox at {stripe_server.base_url}; {len(tenants)} tenants x {len(days)} days "
              f"({days[0]} .. {days[-1]}); warehouse {warehouse_dir}/", flush=True)
        print(f"QuickBooks sandbox at {books.server.base_url}; tokens stored for {', '.join(books.realms)}"
              + (f"; turned on {', '.join(books.turned_on)} for the sellers' books" if books.turned_on else ""),
              flush=True)
        print(f"Xero sandbox at {xero.server.base_url}; tokens stored for "
              f"{', '.join(xero.organisations) or 'no organisation (no mapping posts to Xero)'}", flush=True)

        outcomes = []
        posting: dict[str, dict[str, list[dict]]] = {"quickbooks": {}, "xero": {}}
        for tenant in tenants:
            for day in days:
                result = job.execute_in_process(
                    partition_key=partition_key(tenant, day), instance=instance, raise_on_error=False,
                    run_config=QUIET_LOGS,
                )
                checks = result.get_asset_check_evaluations()
                failed = [c for c in checks if not c.passed]
                outcomes.append((tenant, day, result.success, len(checks), failed))
                for target, by_tenant in posting.items():
                    by_tenant.setdefault(tenant, []).append(posting_outcome(result, target))
                mark = "ok " if result.success and not failed else "FAIL"
                print(f"  [{mark}] {tenant:<28} {day}  checks {len(checks) - len(failed)}/{len(checks)} passed",
                      flush=True)
                for check in failed:
                    print(f"         failed check {check.asset_key.to_user_string()}:{check.check_name}: "
                          f"{check.description or ''}", flush=True)
        print_report(config, tenants, days)
        print_posting(posting["quickbooks"], books.server.base_url, "quickbooks")
        print_posting(posting["xero"], xero.server.base_url, "xero")
    finally:
        stripe_server.stop()
        if books is not None:
            books.stop()
        if xero is not None:
            xero.stop()

    bad_runs = [o for o in outcomes if not o[2]]
    bad_checks = sum(len(o[4]) for o in outcomes)
    total_checks = sum(o[3] for o in outcomes)
    print(f"\n{len(outcomes)} runs, {len(outcomes) - len(bad_runs)} succeeded; "
          f"{total_checks - bad_checks}/{total_checks} asset checks passed; {time.monotonic() - started:.1f}s")
    return 1 if bad_runs or bad_checks else 0


def seller_currencies(seed: dict) -> set[str]:
    """The connected accounts' own currencies (their books are kept in them)."""
    return {obj["default_currency"] for obj in seed["objects"]
            if obj.get("object") == "account" and obj.get("default_currency")}


def seed_days(seed: dict) -> list[dt.date]:
    """Every UTC day that holds a balance transaction in the seed, in order."""
    days = {
        dt.datetime.fromtimestamp(obj["created"], dt.timezone.utc).date()
        for obj in seed["objects"]
        if obj.get("object") == "balance_transaction" and isinstance(obj.get("created"), int)
    }
    if not days:
        raise SystemExit("the Stripe data holds no balance transactions: nothing to reconcile")
    return sorted(days)
