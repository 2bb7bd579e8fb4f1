"""A world run with known secret values, every tenant's day run at the same time in its own process, DEBUG
logs kept: what the security tests scan.

Secrets: a Stripe key, the QuickBooks and Xero apps' client secrets, the Fernet key of the token store, and
every access and refresh token the sandboxes issued (read back from the store after the runs, so rotated
ones count too).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import pytest
from cryptography.fernet import Fernet

from ledger_pipeline.cli.chaos_world import copy_mappings, scoped_environment, write_config
from ledger_pipeline.cli.demo import seed_days, seller_currencies
from ledger_pipeline.cli.demo_books import start_quickbooks
from ledger_pipeline.config import load_config, project_config
from ledger_pipeline.posting import TokenStore
from ledger_pipeline.sandbox.quickbooks import QuickBooksSandbox
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate

REPO = Path(__file__).resolve().parents[2]
STRIPE_KEY = "sk_test_51ScanStripeKey0000000000000000000000000000000000000000"
QUICKBOOKS_SECRET = "qbo-client-secret-for-the-secret-scan-7f3a9c"
XERO_SECRET = "xero-client-secret-for-the-secret-scan-5d1e2b"


@dataclass
class ScannedWorld:
    folder: Path                        # config, warehouse, Dagster home, run logs
    token_folder: Path                  # the token store the runs used
    tenants: list[str]
    days: list
    returncodes: dict[tuple[str, str], int]
    secrets: set[str] = field(default_factory=set)
    realms: list[str] = field(default_factory=list)
    quickbooks_state: dict = field(default_factory=dict)


@pytest.fixture(scope="session")
def scanned(tmp_path_factory) -> Iterator[ScannedWorld]:
    folder = tmp_path_factory.mktemp("security")
    seed = generate(GeneratorSettings(seed=5, days=1, charges_per_day=4, connected_accounts=2))
    days = seed_days(seed)
    token_key = Fernet.generate_key().decode()
    with scoped_environment():
        stripe = StripeSandbox(seed=seed, api_keys=(STRIPE_KEY,), requests_per_second=1000).serve(port=0)
        (folder / "dagster").mkdir()
        (folder / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
        mappings = copy_mappings(REPO / "mappings", folder, seed)
        os.environ.update({
            "LEDGER_PIPELINE_CONFIG": str(write_config(folder, days[0], mappings)),
            "DAGSTER_HOME": str(folder / "dagster"), "LEDGER_STRIPE_API_BASE": stripe.base_url,
            "STRIPE_API_KEY": STRIPE_KEY, "LEDGER_TOKEN_KEY": token_key, "XERO_CLIENT_ID": "scan-xero-client",
            "XERO_CLIENT_SECRET": XERO_SECRET, "LEDGER_RUN_LOG_LEVEL": "DEBUG"})
        for name in ("LEDGER_WAREHOUSE_DIR", "LEDGER_MAPPINGS_DIR", "LEDGER_QUICKBOOKS_BASE", "LEDGER_XERO_BASE"):
            os.environ.pop(name, None)
        project_config.cache_clear()
        books = start_quickbooks(load_config(), seller_currencies(seed),
                                 QuickBooksSandbox(clients={"scan-quickbooks-client": QUICKBOOKS_SECRET}))
        xero = _start_xero(load_config())
        try:
            from ledger_pipeline.definitions import defs
            from ledger_pipeline.defs.stripe.tenants import discover_tenant_keys
            from ledger_pipeline.lib.partitions import TENANTS

            project_config.cache_clear()
            config = load_config()
            tenants = discover_tenant_keys(config, defs().resources["stripe"])
            dg.DagsterInstance.get().add_dynamic_partitions(TENANTS, tenants)
            codes = {}
            for day in days:  # each day, every tenant at once
                running = []
                for tenant in tenants:
                    log = open(folder / f"run-{tenant}-{day}.log", "wb")  # noqa: SIM115 - closed below
                    running.append((tenant, log, subprocess.Popen(
                        [sys.executable, "-m", "ledger_pipeline.cli.chaos_worker", tenant, str(day)],
                        env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)))
                for tenant, log, process in running:
                    codes[(tenant, str(day))] = process.wait(timeout=400)
                    log.close()
            # the token store leaves with the demo books' temporary folder: keep a copy for the scan
            shutil.copytree(books.folder, folder / "token_store")
            world = ScannedWorld(folder, folder / "token_store", tenants, days, codes, realms=list(books.realms))
            world.secrets = {STRIPE_KEY, QUICKBOOKS_SECRET, XERO_SECRET, token_key}
            store = TokenStore(Path(os.environ["LEDGER_TOKEN_STORE"]), token_key)
            for target, company in [("quickbooks", r) for r in books.realms] + [
                    ("xero", o) for o in (xero.organisations if xero else [])]:
                tokens = store.load(target, company)
                if tokens is not None:
                    world.secrets |= {s for s in tokens.secrets() if s}
            world.quickbooks_state = {realm: books.sandbox.state(realm) for realm in books.realms}
        finally:
            stripe.stop()
            books.stop()
            if xero is not None:
                xero.stop()
            project_config.cache_clear()
    # yielded after the environment is restored: the tests only read what the runs left, and the rest of the
    # session (other files on this worker) must not inherit this world's configuration
    yield world


def _start_xero(config):
    from ledger_pipeline.cli import demo_books
    from ledger_pipeline.sandbox.xero import XeroSandbox

    start = getattr(demo_books, "start_xero", None)
    return start(config, XeroSandbox(clients={"scan-xero-client": XERO_SECRET})) if start else None
