"""The QuickBooks loader end to end: the Stripe sandbox seeded by the generator, extracted, mapped and
journaled in real Dagster runs (once per session, into a template warehouse), then per test a copy of that
warehouse, a fresh QuickBooks sandbox on a loopback port, a temporary token store, and the QuickBooks assets
materialized against them with the real intuit-oauth / python-quickbooks clients over HTTP.

Days: the generator's platform pays out automatically two days after a charge, so a three-day world books
its first payout (and its summary) on the third day. Waits are tiny (backoff 10 ms); the sandboxes' clocks are
frozen and moved by hand.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import requests
from cryptography.fernet import Fernet

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.journal.assets import journal_entries
from ledger_pipeline.defs.journal.mapping_asset import mapping_tables
from ledger_pipeline.defs.quickbooks.loader import quickbooks_posted_entries
from ledger_pipeline.defs.quickbooks.preflight import quickbooks_preflight
from ledger_pipeline.defs.stripe.assets import stripe_extraction
from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.lib.partitions import TENANTS, partition_key
from ledger_pipeline.posting import TokenSet, TokenStore
from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.quickbooks import (DEFAULT_CLIENTS, DISCOVERY_PATH, MULTICURRENCY_REALM, US_REALM,
                                                QuickBooksSandbox)
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate
from ledger_pipeline.targets.quickbooks import QuickBooksResource
from ledger_pipeline.warehouse import WarehouseResource

warnings.filterwarnings("ignore", category=DeprecationWarning, module="quickbooks")

STRIPE_KEY = "sk_test_sandbox"
REPO = Path(__file__).resolve().parents[2]
END = dt.date.today() - dt.timedelta(days=1)
DAYS = [END - dt.timedelta(days=n) for n in (2, 1, 0)]
NOON = int(dt.datetime.combine(END, dt.time(12), tzinfo=dt.timezone.utc).timestamp())
CLIENT_ID, CLIENT_SECRET = next(iter(DEFAULT_CLIENTS.items()))
TOKEN_KEY = Fernet.generate_key().decode()
FAST = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05}
CONFIG = """
start_date: "{start}"
warehouse:
  directory: {warehouse}
mappings:
  directory: {mappings}
stripe:
  api_base: http://127.0.0.1:1
quickbooks:
  batch_size: 30
tenants:
  - key: demo
    connected_accounts: discover
"""
QBO_ASSETS = [quickbooks_preflight, quickbooks_posted_entries]
JOURNAL_ASSETS = [mapping_tables, journal_entries]
ALL_ASSETS = [stripe_extraction, mapping_tables, journal_entries, quickbooks_preflight, quickbooks_posted_entries]


@dataclass
class World:
    """The session's Stripe sandbox and the warehouse its days were journaled into (a template)."""

    seed: dict[str, Any]
    stripe: StripeResource
    template: Path                       # warehouse folder after extraction -> journal, every day
    seller: str                          # the EUR seller's tenant key (manual payouts, realm ...0002)
    posting_days: list[dt.date] = field(default_factory=list)
    mappings: Path = REPO / "mappings"

    def stripe_at(self, base_url: str) -> StripeResource:
        """The same Stripe settings aimed at another sandbox (one a test changes without touching the world's)."""
        settings = {name: getattr(self.stripe, name) for name in StripeResource.model_fields}
        return StripeResource(**{**settings, "api_base": base_url})


def write_config(folder: Path, warehouse: Path, mappings: Path) -> Path:
    path = folder / "ledger_pipeline.yaml"
    path.write_text(CONFIG.format(start=DAYS[0], warehouse=warehouse, mappings=mappings), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("stripe_world")
    seed = generate(GeneratorSettings(seed=11, days=len(DAYS), charges_per_day=5, connected_accounts=2,
                                      end_date=END + dt.timedelta(days=1)))
    sandbox = StripeSandbox(seed=seed, api_keys=(STRIPE_KEY,), clock=SandboxClock(frozen_at=NOON + 86400),
                            requests_per_second=100_000, faults=Faults())
    accounts = {obj["default_currency"]: obj["id"] for obj in seed["objects"] if obj.get("object") == "account"}
    seller = f"demo.{accounts['eur']}"
    with pytest.MonkeyPatch.context() as patch, sandbox.serve() as server:
        patch.setenv("LEDGER_PIPELINE_CONFIG", str(write_config(root, root / "warehouse", REPO / "mappings")))
        for name in ("LEDGER_STRIPE_API_BASE", "LEDGER_WAREHOUSE_DIR", "LEDGER_MAPPINGS_DIR", "LEDGER_QUICKBOOKS_BASE"):
            patch.delenv(name, raising=False)
        project_config.cache_clear()
        stripe = StripeResource(api_key=STRIPE_KEY, api_base=server.base_url, requests_per_second=400.0,
                                max_concurrency=4, window_splits=1, timeout_seconds=5.0, max_retries=3,
                                backoff_seconds=0.005)
        instance = dg.DagsterInstance.ephemeral()
        instance.add_dynamic_partitions(TENANTS, ["demo", seller])
        warehouse = WarehouseResource(directory=str(root / "warehouse"))
        for tenant, days in (("demo", DAYS), (seller, DAYS[2:])):
            for day in days:
                result = dg.materialize([stripe_extraction, *JOURNAL_ASSETS], instance=instance,
                                        partition_key=partition_key(tenant, day),
                                        resources={"stripe": stripe, "warehouse": warehouse}, raise_on_error=False)
                failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
                assert result.success and not failed, (tenant, day, failed)
        project_config.cache_clear()
        yield World(seed, stripe, root / "warehouse", seller, DAYS[2:])
    project_config.cache_clear()


@dataclass
class Books:
    """One test's QuickBooks sandbox, warehouse copy, token store and Dagster instance."""

    world: World
    folder: Path
    sandbox: QuickBooksSandbox
    server: Any
    store: TokenStore
    instance: dg.DagsterInstance
    mappings: Path
    resource_options: dict[str, Any] = field(default_factory=dict)
    DAYS = DAYS
    ALL_ASSETS = ALL_ASSETS
    QBO_ASSETS = QBO_ASSETS
    JOURNAL_ASSETS = JOURNAL_ASSETS

    # --- resources and runs ---------------------------------------------------------------------------
    @property
    def warehouse(self) -> WarehouseResource:
        return WarehouseResource(directory=str(self.folder / "warehouse"))

    def quickbooks(self, **options: Any) -> QuickBooksResource:
        settings = {"realm_id": "", **FAST, **self.resource_options, **options}
        return QuickBooksResource(client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                  environment=self.server.base_url + DISCOVERY_PATH,
                                  api_base=self.server.base_url + "/v3", token_store_path=str(self.store.path),
                                  token_encryption_key=TOKEN_KEY, **settings)

    def run(self, day: dt.date, assets=None, tenant: str = "demo", stripe: StripeResource | None = None,
            **options: Any) -> dg.ExecuteInProcessResult:
        return dg.materialize(assets or QBO_ASSETS, instance=self.instance, partition_key=partition_key(tenant, day),
                              resources={"stripe": stripe or self.world.stripe, "warehouse": self.warehouse,
                                         "quickbooks": self.quickbooks(**options)}, raise_on_error=False)

    def post_all(self, tenant: str = "demo", assets=None) -> list[dg.ExecuteInProcessResult]:
        days = DAYS if tenant == "demo" else self.world.posting_days
        return [self.run(day, assets, tenant) for day in days]

    # --- what the run said ------------------------------------------------------------------------------
    @staticmethod
    def checks(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
        return {e.check_name: e for e in result.get_asset_check_evaluations()}

    @staticmethod
    def metadata(result: dg.ExecuteInProcessResult, key: str = "quickbooks/posted_entries") -> dict[str, Any]:
        for event in result.get_asset_materialization_events():
            if event.asset_key.to_user_string() == key:
                return {k: v.value for k, v in event.materialization.metadata.items()}
        return {}

    @classmethod
    def counts(cls, result: dg.ExecuteInProcessResult) -> dict[str, int]:
        return {k: v for k, v in cls.metadata(result).get("counts", {}).items() if v}

    # --- the books ---------------------------------------------------------------------------------------
    def admin(self, path: str, payload: dict | None = None) -> dict:
        url = self.server.base_url + path
        answer = requests.get(url, timeout=10) if payload is None else requests.post(url, json=payload, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def state(self, realm: str = US_REALM) -> dict:
        return self.admin(f"/_sandbox/state/{realm}")

    def journals(self, realm: str = US_REALM) -> list[dict]:
        return list(self.state(realm)["objects"].get("JournalEntry", {}).values())

    def query(self, sql: str, params: Any = None, tenant: str = "demo") -> list[tuple]:
        with self.warehouse.connect(tenant) as conn:
            return conn.execute(sql, params or []).fetchall()

    def edit_mapping(self, old: str, new: str, name: str = "demo.yaml") -> None:
        path = self.mappings / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def per_transaction_mappings(folder: Path) -> Path:
    """The shipped mapping files, the platform switched to per-transaction documents."""
    shutil.copytree(REPO / "mappings", folder)
    demo = folder / "demo.yaml"
    text = demo.read_text(encoding="utf-8").replace("posting_mode: payout_summary", "posting_mode: per_transaction")
    # invoices in EUR settle in USD: the documents need a rate where Stripe's own does not convert
    demo.write_text(text + '\nexchange_rates:\n  eur: {default: "1.08"}\n  gbp: {default: "1.27"}\n', encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def documents_world(world, tmp_path_factory) -> Iterator[World]:
    """The same Stripe days journaled as per-transaction documents (sales receipts, invoices, payments, ...)."""
    root = tmp_path_factory.mktemp("documents_world")
    shutil.copytree(world.template, root / "warehouse")
    mappings = per_transaction_mappings(root / "mappings")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDGER_PIPELINE_CONFIG", str(write_config(root, root / "warehouse", mappings)))
        project_config.cache_clear()
        instance = dg.DagsterInstance.ephemeral()
        instance.add_dynamic_partitions(TENANTS, ["demo"])
        warehouse = WarehouseResource(directory=str(root / "warehouse"))
        with warehouse.connect("demo") as conn:  # the Stripe days as extracted, journaled afresh per transaction
            for table in ("journal.line_sources", "journal.lines", "journal.entries", "journal.bookings",
                          "journal.documents", "journal.document_lines", "quarantine.journal_entries"):
                conn.execute(f"DELETE FROM {table}")
        for day in DAYS:
            result = dg.materialize(JOURNAL_ASSETS, instance=instance, partition_key=partition_key("demo", day),
                                    resources={"warehouse": warehouse}, raise_on_error=False)
            failed = {e.check_name: e.description for e in result.get_asset_check_evaluations() if not e.passed}
            assert result.success and not failed, (day, failed)
    project_config.cache_clear()
    yield World(world.seed, world.stripe, root / "warehouse", world.seller, world.posting_days, mappings)


@pytest.fixture
def books(world, tmp_path, monkeypatch) -> Iterator[Books]:
    yield from _books(world, tmp_path, monkeypatch)


@pytest.fixture
def document_books(documents_world, tmp_path, monkeypatch) -> Iterator[Books]:
    yield from _books(documents_world, tmp_path, monkeypatch)


def _books(world: World, tmp_path: Path, monkeypatch) -> Iterator[Books]:
    shutil.copytree(world.template, tmp_path / "warehouse")
    mappings = tmp_path / "mappings"
    shutil.copytree(world.mappings, mappings)
    monkeypatch.setenv("LEDGER_PIPELINE_CONFIG", str(write_config(tmp_path, tmp_path / "warehouse", mappings)))
    project_config.cache_clear()
    sandbox = QuickBooksSandbox(clock=SandboxClock(frozen_at=NOON), faults=Faults(seed=7))
    store = TokenStore(tmp_path / "state" / "tokens.sqlite3", TOKEN_KEY)
    for realm in (US_REALM, MULTICURRENCY_REALM):
        issued = sandbox.issue_tokens(realm)
        store.save("quickbooks", realm, TokenSet(issued["access_token"], issued["refresh_token"],
                                                 time.time() + issued["expires_in"]))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(TENANTS, ["demo", world.seller])
    with sandbox.serve() as server:
        yield Books(world, tmp_path, sandbox, server, store, instance, mappings)
    project_config.cache_clear()
