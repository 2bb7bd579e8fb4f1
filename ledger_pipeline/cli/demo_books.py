"""The demo's QuickBooks: the sandbox in-process, the ordinary configuration pointed at it, and a throwaway
token store seeded for every company the mapping files name (as `connect` would after a user's consent)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

from ledger_pipeline.config import ProjectConfig, mappings_directory

# Books-currency units per unit, for a seller currency the multicurrency sandbox company does not list yet.
DEMO_RATES = {"JPY": "0.0067", "EUR": "1.08", "GBP": "1.27", "CAD": "0.73", "AUD": "0.66", "CHF": "1.13"}


@dataclass
class DemoBooks:
    server: object
    sandbox: object
    folder: Path
    realms: list[str] = field(default_factory=list)
    turned_on: list[str] = field(default_factory=list)

    def stop(self) -> None:
        self.server.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def quickbooks_realms(config: ProjectConfig) -> list[str]:
    """The QuickBooks companies (realm ids) the mapping files post to."""
    return mapped_companies(config, "quickbooks")


def mapped_companies(config: ProjectConfig, target: str) -> list[str]:
    """The companies (QuickBooks realm ids, Xero tenant ids) the mapping files post to on `target`."""
    companies = set()
    for path in sorted(mappings_directory(config).glob("*.yaml")):
        books = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("books") or {}
        if books.get("target") == target and books.get("company"):
            companies.add(str(books["company"]))
    return sorted(companies)


def start_xero(config: ProjectConfig, sandbox=None):
    """The demo's Xero sandbox, tokens stored for the organisations the mappings name (demo_xero.py)."""
    from ledger_pipeline.cli.demo_xero import start_xero as start
    return start(config, sandbox)


def start_quickbooks(config: ProjectConfig, seller_currencies: set[str], sandbox=None) -> DemoBooks:
    from cryptography.fernet import Fernet

    from ledger_pipeline.posting import TokenSet, TokenStore
    from ledger_pipeline.sandbox.quickbooks import QuickBooksSandbox

    sandbox = sandbox or QuickBooksSandbox()
    server = sandbox.serve(port=0)
    folder = Path(tempfile.mkdtemp(prefix="ledger-demo-quickbooks-"))
    books = DemoBooks(server, sandbox, folder)
    settings = config.quickbooks
    client_id, client_secret = next(iter(sandbox.clients.items()))
    os.environ["LEDGER_QUICKBOOKS_BASE"] = server.base_url
    os.environ[settings.client_id_env] = client_id
    os.environ[settings.client_secret_env] = client_secret
    os.environ["LEDGER_TOKEN_STORE"] = str(folder / "tokens.sqlite3")  # never the user's own store
    key = None
    if settings.token_key_env:
        key = os.environ.setdefault(settings.token_key_env, Fernet.generate_key().decode())
    store = TokenStore(settings.token_store or folder / "tokens.sqlite3", key)
    for realm in quickbooks_realms(config):
        if realm not in sandbox.companies:
            continue
        issued = sandbox.issue_tokens(realm)
        store.save("quickbooks", realm, TokenSet(issued["access_token"], issued["refresh_token"],
                                                 time.time() + issued["expires_in"]))
        books.realms.append(realm)
        books.turned_on += _turn_on_currencies(server.base_url, realm, issued["access_token"], sandbox,
                                               seller_currencies)
    return books


def _turn_on_currencies(base_url: str, realm: str, token: str, sandbox, wanted: set[str]) -> list[str]:
    """What the sellers' accountant would do once: list their currencies in the multicurrency company."""
    company = sandbox.company(realm)
    if not company.multicurrency:
        return []
    api = f"{base_url}/v3/company/{realm}"
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    done = []
    for code in sorted(c.upper() for c in wanted):
        if code == company.home_currency or code in company.enabled_currencies() or code not in DEMO_RATES:
            continue
        for path, body in (("companycurrency", {"Code": code}),
                           ("exchangerate", {"SourceCurrencyCode": code, "Rate": DEMO_RATES[code]})):
            answer = requests.post(f"{api}/{path}", json=body, headers=headers, timeout=10)
            answer.raise_for_status()
        done.append(f"{code} in company {realm}")
    return done
