"""End to end: the Stripe sandbox, the extraction, the mapping and the journal in real Dagster runs, into a
temporary warehouse folder, with the shipped mapping files (mappings/demo.yaml, demo.connected.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import pytest

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.journal.assets import journal_entries
from ledger_pipeline.defs.journal.mapping_asset import mapping_tables
from ledger_pipeline.defs.stripe.assets import stripe_extraction
from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.lib.partitions import TENANTS, partition_key
from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate
from ledger_pipeline.warehouse import WarehouseResource

KEY = "sk_test_sandbox"
REPO = Path(__file__).resolve().parents[2]
END = dt.date.today() - dt.timedelta(days=1)
DAYS = [END - dt.timedelta(days=n) for n in (4, 3, 2, 1)]
CONFIG = """
start_date: "{start}"
warehouse:
  directory: {warehouse}
mappings:
  directory: {mappings}
stripe:
  api_base: http://127.0.0.1:1
tenants:
  - key: demo
    connected_accounts: discover
"""


@pytest.fixture
def world(tmp_path, monkeypatch):
    seed = generate(GeneratorSettings(seed=11, days=4, charges_per_day=4, connected_accounts=2, end_date=END))
    noon = int(dt.datetime.combine(END, dt.time(12), tzinfo=dt.timezone.utc).timestamp())
    sandbox = StripeSandbox(seed=seed, api_keys=(KEY,), clock=SandboxClock(frozen_at=noon),
                            requests_per_second=100_000, faults=Faults())
    config = tmp_path / "ledger_pipeline.yaml"
    config.write_text(CONFIG.format(start=DAYS[0], warehouse=tmp_path / "warehouse", mappings=REPO / "mappings"))
    monkeypatch.setenv("LEDGER_PIPELINE_CONFIG", str(config))
    for name in ("LEDGER_STRIPE_API_BASE", "LEDGER_WAREHOUSE_DIR", "LEDGER_MAPPINGS_DIR"):
        monkeypatch.delenv(name, raising=False)
    project_config.cache_clear()
    server = sandbox.serve()
    try:
        yield seed, server.base_url, tmp_path / "warehouse"
    finally:
        server.stop()
        project_config.cache_clear()


def test_sandbox_to_journal(world):
    seed, base_url, warehouse_dir = world
    account = next(obj["id"] for obj in seed["objects"] if obj["object"] == "account")
    instance = dg.DagsterInstance.ephemeral()
    tenants = ["demo", f"demo.{account}"]
    instance.add_dynamic_partitions(TENANTS, tenants)
    resources = {
        "stripe": StripeResource(api_key=KEY, api_base=base_url, requests_per_second=400.0, max_concurrency=4,
                                 window_splits=1, timeout_seconds=5.0, max_retries=3, backoff_seconds=0.005),
        "warehouse": WarehouseResource(directory=str(warehouse_dir)),
    }
    # the platform every day; the seller the days around its manual payout (the third)
    for tenant, days in (("demo", DAYS), (f"demo.{account}", DAYS[1:3])):
        for day in days:
            result = dg.materialize([stripe_extraction, mapping_tables, journal_entries], instance=instance,
                                    partition_key=partition_key(tenant, day), resources=resources,
                                    raise_on_error=False)
            failed = {e.check_name: e.description for e in result.get_asset_check_evaluations() if not e.passed}
            assert result.success and not failed, (tenant, day, failed)
            assert len(result.get_asset_check_evaluations()) >= 6
            last = result

    # the last run's materialization says what it built, with which mapping, and shows it
    meta = {m.asset_key.to_user_string(): m.metadata for m in last.get_asset_materialization_events() and
            [e.materialization for e in last.get_asset_materialization_events()]}
    journal = meta["journal/entries"]
    assert journal["mapping_version"].value.startswith("demo.connected.yaml@")
    assert journal["entries"].value > 0 and journal["totals_by_account"].records
    assert [column.name for column in journal["payouts"].schema.columns][:4] == [
        "payout", "arrival_date", "currency", "amount"]
    assert "| # | account | debit | credit | description |" in journal["preview"].value
    assert meta["mapping/tables"]["books_currency"].value == "eur"

    warehouse = WarehouseResource(directory=str(warehouse_dir))
    with warehouse.connect("demo") as conn:
        kinds = dict(conn.execute("SELECT kind, count(*) FROM journal.entries GROUP BY 1").fetchall())
        # a payout failed on the third day and came back in the fourth's
        assert kinds["summary"] >= 2 and kinds["payout"] >= 2 and kinds["payout_failure"] == 1
        statuses = dict(conn.execute("SELECT status, count(*) FROM journal.bookings GROUP BY 1").fetchall())
        assert statuses.get("booked", 0) > 20 and "quarantined" not in statuses
        # every transaction Stripe paid out automatically is in exactly one summary
        unbooked = conn.execute("""
            SELECT c.balance_transaction_id FROM staging.payout_composition c
            JOIN staging.payouts p ON p.id = c.payout_id AND c.balance_transaction_id <> p.balance_transaction
            WHERE p.reconciliation_status = 'completed' AND c.created >= ?
              AND c.balance_transaction_id NOT IN (SELECT balance_transaction_id FROM journal.line_sources
                                                   WHERE balance_transaction_id IS NOT NULL)""",
                                [dt.datetime.combine(DAYS[0], dt.time(), tzinfo=dt.timezone.utc)]).fetchall()
        assert unbooked == []
        # invoices split into sales per product and tax; Radar and Billing fees on Stripe Fees
        descriptions = {row[0] for row in conn.execute("SELECT DISTINCT description FROM journal.lines").fetchall()}
        assert any(d.startswith("Sales – ") for d in descriptions), descriptions
        assert {"Stripe processing fees", "Net of the transactions paid out"} <= descriptions
        classes = {row[0] for row in conn.execute("SELECT DISTINCT tracking_name FROM journal.lines "
                                                  "WHERE tracking_name IS NOT NULL").fetchall()}
        assert classes == {"Online"}
        version = conn.execute("SELECT DISTINCT mapping_version FROM journal.lines").fetchall()
        assert [v[0].split("@")[0] for v in version] == ["demo.yaml"]

    # the Berlin bakery pays out by hand: its days roll forward on Stripe Clearing EUR
    with warehouse.connect(f"demo.{account}") as conn:
        assert conn.execute("SELECT DISTINCT currency, books_currency FROM journal.entries").fetchall() == [
            ("eur", "eur")]
        kinds = {row[0] for row in conn.execute("SELECT DISTINCT kind FROM journal.entries").fetchall()}
        assert kinds == {"balance_activity", "payout"}
        assert conn.execute("SELECT count(*) FROM journal.bookings WHERE status <> 'booked'").fetchone() == (0,)
        fees = conn.execute("SELECT sum(debit) FROM journal.lines WHERE description = 'Platform fees paid' "
                            "AND account_ref = '32'").fetchone()[0]
        assert fees and fees > 0
        clearing = conn.execute("SELECT DISTINCT account_ref FROM journal.lines WHERE role = 'clearing'").fetchall()
        assert clearing == [("50",)]
