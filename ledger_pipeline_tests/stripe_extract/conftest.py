"""Real Dagster runs of the Stripe extraction against the Stripe sandbox on a loopback port.

The data: three generated days ending yesterday (UTC), one connected account (a JPY account), the sandbox
clock frozen at noon yesterday, so writes made by a test (customer updates, a late refund) land in a
day that is a partition already. Every test gets a fresh sandbox, config file and warehouse folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import requests
import stripe

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.stripe.assets import stripe_extraction
from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.lib.partitions import TENANTS, partition_key
from ledger_pipeline.sandbox.common import Faults, SandboxClock, ServerThread
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate
from ledger_pipeline.warehouse import WarehouseResource

KEY = "sk_test_sandbox"
DAY = 86400
TODAY = dt.datetime.now(dt.timezone.utc).date()
END = TODAY - dt.timedelta(days=1)                      # "yesterday": where a test's own writes land
DAYS = [END - dt.timedelta(days=n) for n in (3, 2, 1)]  # the generated days
NOON_END = int(dt.datetime.combine(END, dt.time(12), tzinfo=dt.timezone.utc).timestamp())

CONFIG = """
start_date: "{start}"
warehouse:
  directory: {warehouse}
stripe:
  api_base: http://127.0.0.1:1
  api_key_env: STRIPE_API_KEY
tenants:
  - key: demo
    connected_accounts: discover
    timezone: UTC
"""


def midnight(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc).timestamp())


@pytest.fixture(scope="session")
def seed() -> dict[str, Any]:
    return generate(GeneratorSettings(seed=5, days=3, charges_per_day=6, connected_accounts=1, end_date=END))


@pytest.fixture(scope="session")
def connected_account(seed) -> str:
    return next(obj["id"] for obj in seed["objects"] if obj["object"] == "account")


@dataclass
class Stack:
    """One test's world: the sandbox and its server, a config file, a warehouse folder, a Dagster instance."""

    sandbox: StripeSandbox
    server: ServerThread
    warehouse_dir: Path
    instance: dg.DagsterInstance
    stripe_settings: dict[str, Any] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def stripe(self, **overrides: Any) -> StripeResource:
        settings = dict(api_key=KEY, api_base=self.base_url, requests_per_second=400.0, max_concurrency=4,
                        window_splits=4, timeout_seconds=5.0, max_retries=5, backoff_seconds=0.005)
        settings.update(self.stripe_settings)
        settings.update(overrides)
        return StripeResource(**settings)

    def run(self, tenant: str, day: dt.date, stripe_resource: StripeResource | None = None
            ) -> dg.ExecuteInProcessResult:
        if not self.instance.has_dynamic_partition(TENANTS, tenant):
            self.instance.add_dynamic_partitions(TENANTS, [tenant])
        return dg.materialize(
            [stripe_extraction], partition_key=partition_key(tenant, day), instance=self.instance,
            resources={"stripe": stripe_resource or self.stripe(),
                       "warehouse": WarehouseResource(directory=str(self.warehouse_dir))},
            raise_on_error=False,
        )

    def connect(self, tenant: str):
        return WarehouseResource(directory=str(self.warehouse_dir)).connect(tenant)

    def query(self, tenant: str, sql: str, params: Any = None) -> list[tuple]:
        with self.connect(tenant) as conn:
            return conn.execute(sql, params or []).fetchall()

    def client(self, account: str | None = None) -> stripe.StripeClient:
        return stripe.StripeClient(KEY, base_addresses={"api": self.base_url}, stripe_account=account,
                                   max_network_retries=0)

    def add_objects(self, objects: list[dict[str, Any]], composition: dict | None = None) -> None:
        answer = requests.post(f"{self.base_url}/_sandbox/objects",
                               json={"objects": objects, "payout_composition": composition or {}}, timeout=10)
        answer.raise_for_status()

    def stats(self) -> dict[str, Any]:
        return requests.get(f"{self.base_url}/_sandbox/stats", timeout=10).json()


def make_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox: StripeSandbox) -> Iterator[Stack]:
    warehouse_dir = tmp_path / "warehouse"
    config = tmp_path / "ledger_pipeline.yaml"
    config.write_text(CONFIG.format(start=DAYS[0] - dt.timedelta(days=40), warehouse=warehouse_dir))
    monkeypatch.setenv("LEDGER_PIPELINE_CONFIG", str(config))
    monkeypatch.delenv("LEDGER_STRIPE_API_BASE", raising=False)
    monkeypatch.delenv("LEDGER_WAREHOUSE_DIR", raising=False)
    project_config.cache_clear()
    server = sandbox.serve()
    try:
        yield Stack(sandbox=sandbox, server=server, warehouse_dir=warehouse_dir,
                    instance=dg.DagsterInstance.ephemeral())
    finally:
        server.stop()
        project_config.cache_clear()


def new_sandbox(seed: dict[str, Any], **kwargs: Any) -> StripeSandbox:
    kwargs.setdefault("clock", SandboxClock(frozen_at=NOON_END))
    kwargs.setdefault("requests_per_second", 100_000)
    kwargs.setdefault("faults", Faults())
    return StripeSandbox(seed=seed, api_keys=(KEY,), **kwargs)


@pytest.fixture
def stack(tmp_path, monkeypatch, seed) -> Iterator[Stack]:
    yield from make_stack(tmp_path, monkeypatch, new_sandbox(seed))


@pytest.fixture
def stack_factory(tmp_path, monkeypatch, seed):
    """For tests that need their own sandbox settings (rate limit, retention, a seed file)."""
    made = []

    def build(sandbox: StripeSandbox | None = None, **kwargs: Any) -> Stack:
        generator = make_stack(tmp_path, monkeypatch, sandbox or new_sandbox(seed, **kwargs))
        made.append(generator)
        return next(generator)

    yield build
    for generator in made:
        generator.close()


def owned_ids(seed: dict[str, Any], kind: str, account: str | None) -> set[str]:
    """Ids of the seed's objects of `kind` owned by `account` (None: the platform)."""
    return {obj["id"] for obj in seed["objects"] if obj["object"] == kind and obj.get("account") == account}


def created_on(obj: dict[str, Any], day: dt.date) -> bool:
    return midnight(day) <= obj["created"] < midnight(day) + DAY


def failed_checks(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], Any]:
    return {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()
            if not e.passed}
