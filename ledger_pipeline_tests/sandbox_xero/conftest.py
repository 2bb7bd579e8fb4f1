"""Fixtures for the Xero sandbox tests: a sandbox on a free loopback port and the real xero-python client aimed at it.

The client is built the way the pipeline will build it (qbo_xero.md §2.2): the token store is a dict behind
getter/saver callbacks, `TokenApi.refresh_token_url` (a class attribute) points at the sandbox, and the
urllib3 pool manager is replaced so a 429 with Retry-After raises at once instead of sleeping (§2.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
import urllib3
from xero_python.accounting import AccountingApi
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.identity import IdentityApi

from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.xero import US_TENANT_ID, XeroSandbox

CLIENT_ID = "ledger-pipeline-test"
CLIENT_SECRET = "s3cret"
START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc).timestamp()


@dataclass
class XeroClient:
    """The real client, its token store and the sandbox behind it."""

    api: AccountingApi
    identity: IdentityApi
    api_client: ApiClient
    store: dict
    tenant: str
    base_url: str


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(frozen_at=START)


@pytest.fixture
def sandbox(clock) -> XeroSandbox:
    return XeroSandbox(clock=clock, faults=Faults(seed=7), clients={CLIENT_ID: CLIENT_SECRET})


@pytest.fixture
def server(sandbox):
    srv = sandbox.serve(port=0)
    yield srv
    srv.stop()


def build_client(base_url: str, token: dict, tenant: str = US_TENANT_ID, *, hidden_retries: bool = False) -> XeroClient:
    store = {"token": token}
    api_client = ApiClient(Configuration(oauth2_token=OAuth2Token(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)),
                           pool_threads=1, oauth2_token_getter=lambda: store["token"],
                           oauth2_token_saver=lambda t: store.__setitem__("token", t))
    if not hidden_retries:
        # xero-python's PoolManager keeps urllib3's default Retry(3), which sleeps Retry-After on 429/503.
        api_client.rest_client.pool_manager = urllib3.PoolManager(
            retries=urllib3.Retry(total=3, status=0, respect_retry_after_header=False))
    return XeroClient(AccountingApi(api_client, base_url=f"{base_url}/api.xro/2.0"),
                      IdentityApi(api_client, base_url=base_url), api_client, store, tenant, base_url)


@pytest.fixture
def xero(sandbox, server, monkeypatch) -> XeroClient:
    """A client holding tokens for both default organisations, working in Demo Company (US)."""
    monkeypatch.setattr(TokenApi, "refresh_token_url", f"{server.base_url}/connect/token")
    return build_client(server.base_url, sandbox.issue_tokens(client_id=CLIENT_ID))


@pytest.fixture
def creds() -> tuple[str, str]:
    return CLIENT_ID, CLIENT_SECRET


@pytest.fixture
def client_for():
    """build_client(base_url, token, tenant): a client around a token you already hold."""
    return build_client


@pytest.fixture
def make_client(sandbox, server, monkeypatch):
    monkeypatch.setattr(TokenApi, "refresh_token_url", f"{server.base_url}/connect/token")

    def make(tenant: str = US_TENANT_ID, token: dict | None = None) -> XeroClient:
        return build_client(server.base_url, token or sandbox.issue_tokens(tenant, client_id=CLIENT_ID), tenant)
    return make
