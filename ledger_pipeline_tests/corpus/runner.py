"""Real Dagster runs for the corpus: a folder (config file, warehouse, mapping files, token store), the Stripe
sandbox on a loopback port, and the assets a case materializes in one run.

Runs (a case's `run`):
  pipeline       stripe_extraction -> mapping/tables -> journal/entries (-> the QuickBooks assets with
                 `post_to: quickbooks`): Dagster's blocking checks decide what runs after a failure.
  mapping        mapping/tables -> journal/entries on the template's Stripe data (mapping-file cases).
  journal_after  the pipeline, then journal/entries alone in a second run: what the books become when
                 the journal is built from what the extraction kept (the bad object stays out).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
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
from ledger_pipeline.sandbox.common import Faults, SandboxClock, ScriptedFault, ServerThread
from ledger_pipeline.sandbox.quickbooks import DEFAULT_CLIENTS, DISCOVERY_PATH, US_REALM, QuickBooksSandbox
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.targets.quickbooks import QuickBooksResource
from ledger_pipeline.warehouse import WarehouseResource

from .world import DAY, NOW, World

warnings.filterwarnings("ignore", category=DeprecationWarning, module="quickbooks")

KEY = "sk_test_sandbox"
REPO = Path(__file__).resolve().parents[2]
TOKEN_KEY = Fernet.generate_key().decode()
CLIENT_ID, CLIENT_SECRET = next(iter(DEFAULT_CLIENTS.items()))
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}  # Dagster's DEBUG console costs a third
PIPELINE = [stripe_extraction, mapping_tables, journal_entries]
JOURNAL = [mapping_tables, journal_entries]
QUICKBOOKS = [quickbooks_preflight, quickbooks_posted_entries]
CONFIG = """
start_date: "{day}"
warehouse:
  directory: {folder}/warehouse
mappings:
  directory: {folder}/mappings
stripe:
  api_base: http://127.0.0.1:1
quickbooks:
  batch_size: 30
tenants:
  - key: demo
    connected_accounts: discover
"""


@dataclass
class Place:
    """One folder the pipeline runs in: its config, warehouse, mapping files and QuickBooks tokens."""

    folder: Path

    @property
    def warehouse(self) -> WarehouseResource:
        return WarehouseResource(directory=str(self.folder / "warehouse"))

    @property
    def mappings(self) -> Path:
        return self.folder / "mappings"

    @property
    def tokens(self) -> Path:
        return self.folder / "tokens.sqlite3"

    @property
    def config(self) -> Path:
        return self.folder / "ledger_pipeline.yaml"

    def write_config(self) -> None:
        self.config.write_text(CONFIG.format(day=DAY, folder=self.folder), encoding="utf-8")

    def copy_to(self, folder: Path) -> "Place":
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(self.folder, folder, ignore=shutil.ignore_patterns("ledger_pipeline.yaml"))
        place = Place(folder)
        place.write_config()
        return place

    def has_warehouse(self, tenant: str = "demo") -> bool:
        return self.warehouse.path(tenant).exists()

    @contextmanager
    def reading(self, tenant: str = "demo") -> Iterator[duckdb.DuckDBPyConnection]:
        """One plain connection for all of a check's queries (the resource's costs a migration check)."""
        conn = duckdb.connect(str(self.warehouse.path(tenant)))
        try:
            yield conn
        finally:
            conn.close()

    def query(self, sql: str, params: Any = None, tenant: str = "demo") -> list[tuple]:
        with self.reading(tenant) as conn:
            return conn.execute(sql, params or []).fetchall()


def new_place(folder: Path, mode: str = "payout_summary") -> Place:
    """A fresh folder with the shipped mapping files (switched to `mode`)."""
    shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
    folder.mkdir(parents=True)
    shutil.copytree(REPO / "mappings", folder / "mappings")
    if mode != "payout_summary":
        demo = folder / "mappings" / "demo.yaml"
        demo.write_text(demo.read_text(encoding="utf-8").replace("posting_mode: payout_summary",
                                                                 f"posting_mode: {mode}"), encoding="utf-8")
    place = Place(folder)
    place.write_config()
    return place


class StripeServer:
    """One loopback server for the whole session that answers with whichever case's sandbox is plugged in
    (starting and stopping a server per case would cost a fifth of a second each)."""

    def __init__(self) -> None:
        self.sandbox: StripeSandbox | None = None
        self.thread = ServerThread(self).start()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:  # ASGI: the plugged-in sandbox's app
        await self.sandbox.app(scope, receive, send)

    @contextmanager
    def serving(self, sandbox: StripeSandbox) -> Iterator[ServerThread]:
        self.sandbox = sandbox
        try:
            yield self.thread
        finally:
            self.sandbox = None

    def stop(self) -> None:
        self.thread.stop()


def stripe_sandbox(world: World, scripted: list[ScriptedFault] = ()) -> StripeSandbox:
    return StripeSandbox(seed=world.seed(), api_keys=(KEY,), clock=SandboxClock(frozen_at=NOW),
                         requests_per_second=100_000, faults=Faults(timeout_seconds=0.5, scripted=list(scripted)))


def stripe_resource(server: ServerThread | None, **overrides: Any) -> StripeResource:
    settings = dict(api_key=KEY, api_base=server.base_url if server else "http://127.0.0.1:1",
                    requests_per_second=1000.0, max_concurrency=4, window_splits=1, timeout_seconds=5.0,
                    max_retries=2, backoff_seconds=0.001)
    settings.update(overrides)
    return StripeResource(**settings)


class QuickBooks:
    """A QuickBooks sandbox on loopback whose tokens are in the place's token store."""

    def __init__(self, place: Place, saved: Path | None = None):
        self.place = place
        clock = SandboxClock(frozen_at=NOW)
        self.sandbox = (QuickBooksSandbox.from_file(saved, clock=clock, faults=Faults(seed=7)) if saved
                        else QuickBooksSandbox(clock=clock, faults=Faults(seed=7)))
        if saved is None:
            issued = self.sandbox.issue_tokens(US_REALM)
            TokenStore(place.tokens, TOKEN_KEY).save("quickbooks", US_REALM, TokenSet(
                issued["access_token"], issued["refresh_token"], time.time() + issued["expires_in"]))
        self.server = self.sandbox.serve()

    def resource(self) -> QuickBooksResource:
        return QuickBooksResource(client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                  environment=self.server.base_url + DISCOVERY_PATH,
                                  api_base=self.server.base_url + "/v3", token_store_path=str(self.place.tokens),
                                  token_encryption_key=TOKEN_KEY, realm_id="", backoff_seconds=0.01,
                                  max_backoff_seconds=0.05)

    def books(self) -> dict[str, Any]:
        """What the books hold: every object and the ledger of the company the demo posts to."""
        state = self.sandbox.state(US_REALM)
        return {"objects": state["objects"], "ledger": state["ledger"]}

    def stop(self) -> None:
        self.server.stop()


def materialize(place: Place, assets: list, tenant: str, resources: dict[str, Any],
                instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    project_config.cache_clear()  # the place's config file (set in the environment by the caller)
    if not instance.has_dynamic_partition(TENANTS, tenant):
        instance.add_dynamic_partitions(TENANTS, [tenant])
    return dg.materialize(assets, instance=instance, partition_key=partition_key(tenant, DAY),
                          resources={"warehouse": place.warehouse, **resources}, raise_on_error=False,
                          run_config=QUIET)
