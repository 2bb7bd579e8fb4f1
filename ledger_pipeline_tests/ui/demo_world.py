"""A small copy of the demo for the browser test: the demo's generated Stripe data and QuickBooks sandbox,
a few real runs of `ledger_daily_job` recorded in a persistent Dagster instance (DAGSTER_HOME), under a
configuration file the webserver loads the same definitions with.

    write_config(folder)            the configuration (the test writes it first, the webserver reads it)
    python demo_world.py <folder>   the runs, in a process of their own (the definitions read the
                                    configuration once, at import); DAGSTER_HOME must name an existing
                                    folder. Prints one JSON line: the runs, any failed check, the asset groups.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STRIPE_KEY = "sk_test_sandbox"
# Resolved by every resource at run time, as the Makefile sets them for the sandboxes.
SANDBOX_ENV = {"STRIPE_API_KEY": STRIPE_KEY, "XERO_CLIENT_ID": "sandbox-client", "XERO_CLIENT_SECRET": "sandbox-secret"}
# Four generated days (seed 7): the platform pays out automatically on the third and by hand on the fourth,
# its connected seller automatically on both. The runs: the platform's third day, then the seller's fourth
# (two tenants, two automatic payouts tied out; what they carry from before the first day booked reaches
# the books through them).
GENERATED_DAYS = 4
CONFIG = """\
# The browser test's copy of ledger_pipeline.yaml: the demo's tenant, a fast Stripe client.
start_date: "{start}"
warehouse:
  directory: {warehouse}
mappings:
  directory: {mappings}
stripe:
  api_base: http://127.0.0.1:1    # the runs point LEDGER_STRIPE_API_BASE at their own sandbox
  requests_per_second: 500
  window_splits: 1
  max_concurrency: 4
quickbooks:
  backoff_seconds: 0.01
  max_backoff_seconds: 0.05
tenants:
  - key: demo
    name: Demo platform
    connected_accounts: discover
"""


def run_days(today: dt.date | None = None) -> list[dt.date]:
    """The generated world's last two days (it ends yesterday)."""
    end = today or dt.datetime.now(dt.timezone.utc).date()
    return [end - dt.timedelta(days=2), end - dt.timedelta(days=1)]


def write_config(folder: Path) -> Path:
    path = folder / "ledger_pipeline.yaml"
    path.write_text(CONFIG.format(start=run_days()[0], warehouse=folder / "warehouse", mappings=REPO / "mappings"),
                    encoding="utf-8")
    return path


def build(folder: Path) -> dict:
    """Two runs of `ledger_daily_job` (see GENERATED_DAYS) into DAGSTER_HOME's instance."""
    import dagster as dg

    from ledger_pipeline.cli.demo_books import start_quickbooks
    from ledger_pipeline.sandbox.stripe import StripeSandbox
    from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate

    days = run_days()
    seed = generate(GeneratorSettings(seed=7, days=GENERATED_DAYS, charges_per_day=4, connected_accounts=1,
                                      end_date=days[-1] + dt.timedelta(days=1)))
    stripe = StripeSandbox(seed=seed, api_keys=(STRIPE_KEY,), requests_per_second=100_000).serve(port=0)
    books = None
    try:
        os.environ["LEDGER_PIPELINE_CONFIG"] = str(folder / "ledger_pipeline.yaml")
        os.environ["LEDGER_STRIPE_API_BASE"] = stripe.base_url
        for name, value in SANDBOX_ENV.items():
            os.environ.setdefault(name, value)
        from ledger_pipeline.config import load_config, project_config

        currencies = {o["default_currency"] for o in seed["objects"]
                      if o.get("object") == "account" and o.get("default_currency")}
        books = start_quickbooks(load_config(), currencies)   # sets LEDGER_QUICKBOOKS_BASE and the app's keys
        project_config.cache_clear()

        from ledger_pipeline.definitions import defs as lazy_defs
        from ledger_pipeline.lib.partitions import TENANTS, partition_key

        seller = next(f"demo.{o['id']}" for o in seed["objects"] if o.get("object") == "account")
        instance = dg.DagsterInstance.get()
        instance.add_dynamic_partitions(TENANTS, ["demo", seller])
        job = lazy_defs().resolve_job_def("ledger_daily_job")
        runs = [("demo", days[0]), (seller, days[1])]
        failed = []
        for tenant, day in runs:
            result = job.execute_in_process(partition_key=partition_key(tenant, day), instance=instance,
                                            raise_on_error=False,
                                            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
            failed += [f"{tenant} {day} {c.asset_key.to_user_string()}:{c.check_name}"
                       for c in result.get_asset_check_evaluations() if not c.passed]
            if not result.success:
                failed.append(f"{tenant} {day}: run failed")
        graph = lazy_defs().resolve_asset_graph()
        groups = sorted({graph.get(key).group_name for key in graph.get_all_asset_keys()})
        return {"runs": [f"{tenant} {day}" for tenant, day in runs], "failed": failed, "groups": groups}
    finally:
        stripe.stop()
        if books is not None:
            books.stop()


if __name__ == "__main__":
    print(json.dumps(build(Path(sys.argv[1]).resolve())), flush=True)
