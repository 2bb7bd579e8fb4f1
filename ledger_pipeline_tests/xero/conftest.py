"""The Xero loader end to end: the Stripe sandbox seeded by the generator, extracted, mapped (a Xero mapping:
`mappings/demo.yaml` beside this file) and journaled in real Dagster runs once per session into a template
warehouse; then per test a copy of that warehouse, a fresh Xero sandbox on a loopback port, a temporary
token store, and the Xero assets materialized against them with the real xero-python client over HTTP.

Days: the generator's platform pays out automatically two days after a charge, so a three-day world books
its first payout (and its summary) on the third day. No real sleeps: backoffs are 10 ms, the sandboxes'
clocks are frozen and moved by hand, and a test that meets a Retry-After swaps in a sleep that only counts.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
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
from ledger_pipeline.defs.xero.loader import xero_posted_entries
from ledger_pipeline.defs.xero.preflight import xero_preflight
from ledger_pipeline.lib.partitions import TENANTS, partition_key
from ledger_pipeline.posting import TokenSet, TokenStore, limiter
from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate
from ledger_pipeline.sandbox.xero import GLOBAL_TENANT_ID, US_TENANT_ID, XeroSandbox
from ledger_pipeline.sandbox.xero.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from ledger_pipeline.targets.xero import XeroResource
from ledger_pipeline.warehouse import WarehouseResource

STRIPE_KEY = "sk_test_sandbox"
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
END = dt.date.today() - dt.timedelta(days=1)
DAYS = [END - dt.timedelta(days=n) for n in (2, 1, 0)]
NOON = int(dt.datetime.combine(END, dt.time(12), tzinfo=dt.timezone.utc).timestamp())
TOKEN_KEY = Fernet.generate_key().decode()
FAST = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "calls_per_minute": 10_000}  # limits: see test_limits
CONFIG = """
start_date: "{start}"
warehouse:
  directory: {warehouse}
mappings:
  directory: {mappings}
stripe:
  api_base: http://127.0.0.1:1
xero:
  batch_size: {batch_size}
tenants:
  - key: demo
    connected_accounts: none
"""
XERO_ASSETS = [xero_preflight, xero_posted_entries]
JOURNAL_ASSETS = [mapping_tables, journal_entries]
ALL_ASSETS = [stripe_extraction, mapping_tables, journal_entries, xero_preflight, xero_posted_entries]
QUICKBOOKS_ASSETS = [quickbooks_preflight, quickbooks_posted_entries]


@dataclass
class World:
    """The session's Stripe sandbox and the warehouse its days were journaled into (a template)."""

    seed: dict[str, Any]
    stripe: StripeResource
    template: Path                       # warehouse folder after extraction -> journal, every day
    mappings: Path

    def stripe_at(self, base_url: str) -> StripeResource:
        """The same Stripe settings aimed at another sandbox (one a test changes without touching the world's)."""
        settings = {name: getattr(self.stripe, name) for name in StripeResource.model_fields}
        return StripeResource(**{**settings, "api_base": base_url})


def write_config(folder: Path, warehouse: Path, mappings: Path, batch_size: int = 50) -> Path:
    path = folder / "ledger_pipeline.yaml"
    path.write_text(CONFIG.format(start=DAYS[0], warehouse=warehouse, mappings=mappings, batch_size=batch_size),
                    encoding="utf-8")
    return path


def xero_mappings(folder: Path, per_transaction: bool = False) -> Path:
    """The platform's Xero mapping (beside this file), in either posting mode."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (HERE / "mappings" / "demo.yaml").read_text(encoding="utf-8")
    if per_transaction:
        # invoices in EUR or GBP settle in USD: the documents need a rate where Stripe's own does not convert
        for old, new in (("posting_mode: payout_summary", "posting_mode: per_transaction"),
                         ('usd: {ref: "093", name: Undeposited Funds}', 'usd: {ref: "091", name: Stripe Clearing}'),
                         ('usd: {ref: "095", name: Transfers}', 'usd: {ref: "090", name: Business Bank Account}'),
                         ('topups: {ref: "095", name: Transfers}', 'topups: {ref: "090", name: Business Bank Account}'),
                         ("  rounding:", '  receivables: {ref: "610", name: Accounts Receivable}\n  rounding:')):
            assert old in text, old
            text = text.replace(old, new)
        text += '\nexchange_rates:\n  eur: {default: "1.08"}\n  gbp: {default: "1.27"}\n'
    (folder / "demo.yaml").write_text(text, encoding="utf-8")
    return folder


def journal(instance: dg.DagsterInstance, warehouse: WarehouseResource, assets: list, stripe=None) -> None:
    resources = {"warehouse": warehouse, **({"stripe": stripe} if stripe else {})}
    for day in DAYS:
        result = dg.materialize(assets, instance=instance, partition_key=partition_key("demo", day),
                                resources=resources, raise_on_error=False)
        failed = {e.check_name: e.description for e in result.get_asset_check_evaluations() if not e.passed}
        assert result.success and not failed, (day, failed)


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("xero_world")
    seed = generate(GeneratorSettings(seed=11, days=len(DAYS), charges_per_day=5, connected_accounts=2,
                                      end_date=END + dt.timedelta(days=1)))
    sandbox = StripeSandbox(seed=seed, api_keys=(STRIPE_KEY,), clock=SandboxClock(frozen_at=NOON + 86400),
                            requests_per_second=100_000, faults=Faults())
    mappings = xero_mappings(root / "mappings")
    with pytest.MonkeyPatch.context() as patch, sandbox.serve() as server:
        patch.setenv("LEDGER_PIPELINE_CONFIG", str(write_config(root, root / "warehouse", mappings)))
        for name in ("LEDGER_STRIPE_API_BASE", "LEDGER_WAREHOUSE_DIR", "LEDGER_MAPPINGS_DIR", "LEDGER_XERO_BASE"):
            patch.delenv(name, raising=False)
        project_config.cache_clear()
        stripe = StripeResource(api_key=STRIPE_KEY, api_base=server.base_url, requests_per_second=400.0,
                                max_concurrency=4, window_splits=1, timeout_seconds=5.0, max_retries=3,
                                backoff_seconds=0.005)
        instance = dg.DagsterInstance.ephemeral()
        instance.add_dynamic_partitions(TENANTS, ["demo"])
        journal(instance, WarehouseResource(directory=str(root / "warehouse")), [stripe_extraction, *JOURNAL_ASSETS],
                stripe)
        project_config.cache_clear()
        yield World(seed, stripe, root / "warehouse", mappings)
    project_config.cache_clear()


@pytest.fixture(scope="session")
def documents_world(world, tmp_path_factory) -> Iterator[World]:
    """The same Stripe days journaled as per-transaction documents (invoices, payments, refunds, fees, ...)."""
    root = tmp_path_factory.mktemp("xero_documents_world")
    shutil.copytree(world.template, root / "warehouse")
    mappings = xero_mappings(root / "mappings", per_transaction=True)
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
        journal(instance, warehouse, JOURNAL_ASSETS)
    project_config.cache_clear()
    yield World(world.seed, world.stripe, root / "warehouse", mappings)


@dataclass
class Books:
    """One test's Xero sandbox, warehouse copy, token store and Dagster instance."""

    world: World
    folder: Path
    sandbox: XeroSandbox
    server: Any
    store: TokenStore
    instance: dg.DagsterInstance
    mappings: Path
    resource_options: dict[str, Any] = field(default_factory=dict)
    DAYS = DAYS
    ALL_ASSETS = ALL_ASSETS
    XERO_ASSETS = XERO_ASSETS
    JOURNAL_ASSETS = JOURNAL_ASSETS
    QUICKBOOKS_ASSETS = QUICKBOOKS_ASSETS

    # --- resources and runs ---------------------------------------------------------------------------
    @property
    def warehouse(self) -> WarehouseResource:
        return WarehouseResource(directory=str(self.folder / "warehouse"))

    def xero(self, **options: Any) -> XeroResource:
        settings = {"tenant_id": "", **FAST, **self.resource_options, **options}
        return XeroResource(client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET,
                            identity_base=self.server.base_url, api_base=self.server.base_url,
                            token_store_path=str(self.store.path), token_encryption_key=TOKEN_KEY, **settings)

    def run(self, day: dt.date, assets=None, tenant: str = "demo", stripe: StripeResource | None = None,
            **options: Any) -> dg.ExecuteInProcessResult:
        resources = {"stripe": stripe or self.world.stripe, "warehouse": self.warehouse, "xero": self.xero(**options)}
        if assets and any(a in QUICKBOOKS_ASSETS for a in assets):
            from ledger_pipeline.targets.quickbooks import QuickBooksResource
            resources["quickbooks"] = QuickBooksResource(client_id="unused", client_secret="unused", realm_id="",
                                                         environment="http://127.0.0.1:1/unused")
        return dg.materialize(assets or XERO_ASSETS, instance=self.instance, partition_key=partition_key(tenant, day),
                              resources=resources, raise_on_error=False)

    def post_all(self, assets=None, **options: Any) -> list[dg.ExecuteInProcessResult]:
        return [self.run(day, assets, **options) for day in DAYS]

    # --- what the run said ------------------------------------------------------------------------------
    @staticmethod
    def checks(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
        return {e.check_name: e for e in result.get_asset_check_evaluations()}

    @staticmethod
    def failed(result: dg.ExecuteInProcessResult) -> dict[str, str]:
        return {e.check_name: e.description for e in result.get_asset_check_evaluations() if not e.passed}

    @staticmethod
    def metadata(result: dg.ExecuteInProcessResult, key: str = "xero/posted_entries") -> dict[str, Any]:
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

    def state(self, tenant: str = US_TENANT_ID) -> dict:
        return self.admin(f"/_sandbox/state/{tenant}")

    def live(self, collection: str = "manual_journals", tenant: str = US_TENANT_ID) -> list[dict]:
        dead = {"VOIDED", "DELETED", "ARCHIVED"}
        return [o for o in self.state(tenant)[collection] if o.get("Status") not in dead]

    def stats(self, tenant: str = US_TENANT_ID) -> dict:
        return self.admin("/_sandbox/stats")["tenants"].get(tenant, {})

    def query(self, sql: str, params: Any = None, tenant: str = "demo") -> list[tuple]:
        with self.warehouse.connect(tenant) as conn:
            return conn.execute(sql, params or []).fetchall()

    def edit_mapping(self, old: str, new: str, name: str = "demo.yaml") -> None:
        path = self.mappings / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def configure(self, batch_size: int) -> None:
        """Objects per request (the project configuration's xero.batch_size)."""
        write_config(self.folder, self.folder / "warehouse", self.mappings, batch_size)
        project_config.cache_clear()


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
    # one limiter per organisation and address per process: a loopback port used again starts afresh
    monkeypatch.setattr(limiter, "_registry", {})
    project_config.cache_clear()
    sandbox = XeroSandbox(clock=SandboxClock(frozen_at=NOON), faults=Faults(seed=7), calls_per_minute=10_000)
    store = TokenStore(tmp_path / "state" / "tokens.sqlite3", TOKEN_KEY)
    for tenant in (US_TENANT_ID, GLOBAL_TENANT_ID):
        store.save("xero", tenant, tokens(sandbox, tenant))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(TENANTS, ["demo"])
    with sandbox.serve() as server:
        yield Books(world, tmp_path, sandbox, server, store, instance, mappings)
    project_config.cache_clear()


def tokens(sandbox: XeroSandbox, tenant: str) -> TokenSet:
    """What `connect` stores after the user's consent: the sandbox's tokens, expiring on the real clock."""
    issued = sandbox.issue_tokens(tenant)
    return TokenSet(issued["access_token"], issued["refresh_token"], time.time() + issued["expires_in"], None,
                    {"scope": issued["scope"], "token_type": issued["token_type"], "expires_in": issued["expires_in"],
                     "id_token": issued.get("id_token")})
