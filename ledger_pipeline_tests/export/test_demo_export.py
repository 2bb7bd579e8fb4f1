"""The demo, end to end: generated Stripe data in the sandbox, the real assets in Dagster runs, then every
tenant's Beancount export accepted by bean-check (a USD platform with invoices and tax, a JPY seller, an
EUR seller paying out by hand)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from ledger_pipeline.cli.demo import seed_days
from ledger_pipeline.config import project_config
from ledger_pipeline.defs.journal.assets import journal_entries
from ledger_pipeline.defs.journal.mapping_asset import mapping_tables
from ledger_pipeline.defs.stripe.assets import stripe_extraction
from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.export.beancount import write_ledgers
from ledger_pipeline.lib.partitions import TENANTS, partition_key
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate
from ledger_pipeline.warehouse import WarehouseResource

from .conftest import bean_check

KEY = "sk_test_sandbox"
REPO = Path(__file__).resolve().parents[2]
CONFIG = """
start_date: "{start}"
warehouse:
  directory: {warehouse}
mappings:
  directory: {mappings}
tenants:
  - key: demo
    connected_accounts: discover
"""


@pytest.fixture
def demo_world(tmp_path, monkeypatch):
    seed = generate(GeneratorSettings(days=3, charges_per_day=8))
    days = seed_days(seed)
    config = tmp_path / "ledger_pipeline.yaml"
    config.write_text(CONFIG.format(start=days[0], warehouse=tmp_path / "warehouse", mappings=REPO / "mappings"))
    monkeypatch.setenv("LEDGER_PIPELINE_CONFIG", str(config))
    for name in ("LEDGER_STRIPE_API_BASE", "LEDGER_WAREHOUSE_DIR", "LEDGER_MAPPINGS_DIR"):
        monkeypatch.delenv(name, raising=False)
    project_config.cache_clear()
    server = StripeSandbox(seed=seed, api_keys=(KEY,)).serve(port=0)
    try:
        yield seed, days, server.base_url, tmp_path / "warehouse"
    finally:
        server.stop()
        project_config.cache_clear()


def test_the_demo_export_passes_bean_check(demo_world, tmp_path):
    seed, days, base_url, warehouse_dir = demo_world
    accounts = [obj["id"] for obj in seed["objects"] if obj["object"] == "account"]
    tenants = ["demo", *(f"demo.{account}" for account in accounts)]
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(TENANTS, tenants)
    resources = {
        "stripe": StripeResource(api_key=KEY, api_base=base_url, requests_per_second=400.0, max_concurrency=4,
                                 window_splits=1, timeout_seconds=5.0, max_retries=3, backoff_seconds=0.005),
        "warehouse": WarehouseResource(directory=str(warehouse_dir)),
    }
    for tenant in tenants:
        for day in days:
            result = dg.materialize([stripe_extraction, mapping_tables, journal_entries], instance=instance,
                                    partition_key=partition_key(tenant, day), resources=resources,
                                    raise_on_error=False)
            assert result.success, (tenant, day)

    warehouse = WarehouseResource(directory=str(warehouse_dir))
    written = write_ledgers(warehouse, warehouse.tenant_keys(), tmp_path / "beancount")
    assert sorted(ledger.tenant for ledger, _ in written) == sorted(tenants)
    currencies = set()
    for ledger, path in written:
        result = bean_check(path)
        assert result.returncode == 0, (path.name, result.stdout)
        assert ledger.entries > 0 and ledger.assertions > 0, ledger.tenant
        currencies.add(ledger.books_currency)
    assert {"usd", "jpy", "eur"} <= currencies
