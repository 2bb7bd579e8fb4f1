"""The guided-setup commands against the QuickBooks and Xero sandboxes, served in-process on loopback ports.

Each test gets a folder with its own configuration (LEDGER_PIPELINE_CONFIG), mapping files, token store and
token key; the app's keys are the sandboxes' own. `cli.browser()` stands in for the person at the browser:
it follows the sign-in address with `requests` (the sandboxes consent at once and redirect to the local
callback), optionally picking the company or forging the state.
"""

from __future__ import annotations

import shutil
import time
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
from cryptography.fernet import Fernet

from ledger_pipeline.cli import main
from ledger_pipeline.config import project_config
from ledger_pipeline.posting import TokenSet, TokenStore
from ledger_pipeline.sandbox.common import Faults
from ledger_pipeline.sandbox.quickbooks import DEFAULT_CLIENTS, DISCOVERY_PATH, QuickBooksSandbox, US_REALM
from ledger_pipeline.sandbox.xero import (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, US_TENANT_ID,
                                          XeroSandbox)
from ledger_pipeline.targets.quickbooks import QuickBooksResource
from ledger_pipeline.targets.xero import XeroResource
from ledger_pipeline.targets.xero.connection import from_xero_token

REPO = Path(__file__).resolve().parents[2]
QBO_CLIENT_ID, QBO_CLIENT_SECRET = next(iter(DEFAULT_CLIENTS.items()))
CONFIG = """\
start_date: "2026-10-01"
warehouse:
  directory: {root}/warehouse
mappings:
  directory: mappings
stripe:
  api_base: http://127.0.0.1:1
quickbooks:
  base_url: {qbo}
  token_store: {root}/state/tokens.sqlite3
  max_attempts: 2
  backoff_seconds: 0.01
  max_backoff_seconds: 0.02
xero:
  base_url: {xero}
  token_store: {root}/state/tokens.sqlite3
  max_attempts: 2
  backoff_seconds: 0.01
  max_backoff_seconds: 0.02
tenants:
  - key: shop
  - key: studio
"""
XERO_MAPPING = f"""\
books:
  currency: usd
  target: xero
  company: "{US_TENANT_ID}"
  posting_mode: per_transaction      # Stripe Clearing is a bank account: Xero takes no manual journal on it

accounts:
  clearing:
    usd: {{ref: "091", name: Stripe Clearing}}
  bank:
    usd: {{ref: "090", name: Business Bank Account}}
  revenue: {{ref: "200", name: Sales}}
  refunds: {{ref: "205", name: Refunds}}
  rounding: {{ref: "860", name: Rounding}}
  disputes: {{ref: "406", name: Chargebacks}}
  tax_payable: {{ref: "820", name: Sales Tax}}

fees:
  stripe_fee: {{ref: "405", name: Stripe Fees}}

tax_rates:
  - country: "*"
    tax_code: {{ref: OUTPUT, name: Sales Tax}}
untaxed_tax_code: {{ref: NONE, name: Tax Exempt}}
"""


@dataclass
class Cli:
    root: Path
    qbo: QuickBooksSandbox
    xero: XeroSandbox
    qbo_url: str
    xero_url: str
    token_key: str
    monkeypatch: pytest.MonkeyPatch
    pages: list[requests.Response] = field(default_factory=list)

    @property
    def mappings(self) -> Path:
        return self.root / "mappings"

    @property
    def store(self) -> TokenStore:
        return TokenStore(self.root / "state" / "tokens.sqlite3", self.token_key)

    def run(self, *argv: str) -> int:
        project_config.cache_clear()
        return main(list(argv))

    def browser(self, *, pick: dict[str, str] | None = None, forge_state: bool = False, deny: bool = False) -> None:
        """webbrowser.open follows the address: the sandbox consents and redirects to the local callback
        (or, with `deny`, the person declines and the browser goes straight back with an error)."""
        def follow(url: str, *args, **kwargs) -> bool:
            parts = urlsplit(url)
            query = dict(parse_qsl(parts.query))
            if deny:
                answer = urlencode({"error": "access_denied", "state": query["state"]})
                self.pages.append(requests.get(f"{query['redirect_uri']}?{answer}", timeout=10))
                return True
            if forge_state:
                query["state"] = "forged-by-someone-else"
            query.update(pick or {})
            self.pages.append(requests.get(urlunsplit(parts._replace(query=urlencode(query))), timeout=10))
            return True

        self.monkeypatch.setattr(webbrowser, "open", follow)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.mappings / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def line_of(self, name: str, text: str) -> int:
        lines = (self.mappings / name).read_text(encoding="utf-8").splitlines()
        return next(n for n, line in enumerate(lines, 1) if text in line)

    # --- tokens as if `connect` had run ---------------------------------------------------------------
    def connect_all(self) -> None:
        issued = self.qbo.issue_tokens(US_REALM)
        self.store.save("quickbooks", US_REALM, TokenSet(issued["access_token"], issued["refresh_token"],
                                                         time.time() + issued["expires_in"]))
        self.store.save("xero", US_TENANT_ID, from_xero_token(self.xero.issue_tokens(US_TENANT_ID)))

    # --- the loaders' own clients, built as a Dagster run would --------------------------------------
    def quickbooks_client(self, realm_id: str):
        return QuickBooksResource(client_id=QBO_CLIENT_ID, client_secret=QBO_CLIENT_SECRET, realm_id=realm_id,
                                  environment=self.qbo_url + DISCOVERY_PATH, api_base=self.qbo_url + "/v3",
                                  token_store_path=str(self.store.path), token_encryption_key=self.token_key,
                                  max_attempts=1).client()

    def xero_client(self, tenant_id: str):
        return XeroResource(client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET, tenant_id=tenant_id,
                            identity_base=self.xero_url, api_base=self.xero_url,
                            token_store_path=str(self.store.path), token_encryption_key=self.token_key,
                            max_attempts=1).client()


@pytest.fixture
def cli(tmp_path, monkeypatch) -> Iterator[Cli]:
    qbo, xero = QuickBooksSandbox(faults=Faults()), XeroSandbox(faults=Faults())
    with qbo.serve() as qbo_server, xero.serve() as xero_server:
        (tmp_path / "mappings").mkdir()
        shutil.copy(REPO / "mappings" / "demo.yaml", tmp_path / "mappings" / "shop.yaml")
        (tmp_path / "mappings" / "studio.yaml").write_text(XERO_MAPPING, encoding="utf-8")
        config = tmp_path / "ledger_pipeline.yaml"
        config.write_text(CONFIG.format(root=tmp_path, qbo=qbo_server.base_url, xero=xero_server.base_url),
                          encoding="utf-8")
        token_key = Fernet.generate_key().decode()
        for name in ("LEDGER_QUICKBOOKS_BASE", "LEDGER_XERO_BASE", "LEDGER_MAPPINGS_DIR", "LEDGER_WAREHOUSE_DIR",
                     "LEDGER_STRIPE_API_BASE", "LEDGER_TOKEN_STORE"):
            monkeypatch.delenv(name, raising=False)
        for name, value in {"LEDGER_PIPELINE_CONFIG": str(config), "LEDGER_TOKEN_KEY": token_key,
                            "STRIPE_API_KEY": "sk_test_sandbox", "QBO_CLIENT_ID": QBO_CLIENT_ID,
                            "QBO_CLIENT_SECRET": QBO_CLIENT_SECRET, "XERO_CLIENT_ID": DEFAULT_CLIENT_ID,
                            "XERO_CLIENT_SECRET": DEFAULT_CLIENT_SECRET}.items():
            monkeypatch.setenv(name, value)
        yield Cli(tmp_path, qbo, xero, qbo_server.base_url, xero_server.base_url, token_key, monkeypatch)
    project_config.cache_clear()
