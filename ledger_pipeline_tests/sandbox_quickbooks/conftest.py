"""Fixtures: a QuickBooks sandbox on a loopback port, reached through the real intuit-oauth and
python-quickbooks clients."""

from __future__ import annotations

import os
import warnings
from decimal import Decimal

import pytest

os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # the sandbox speaks plain http on 127.0.0.1

from intuitlib.client import AuthClient  # noqa: E402
from quickbooks import QuickBooks  # noqa: E402
from quickbooks.objects.base import Ref  # noqa: E402
from quickbooks.objects.journalentry import Entity, JournalEntry, JournalEntryLine, JournalEntryLineDetail  # noqa: E402

from ledger_pipeline.sandbox.common import Faults, SandboxClock  # noqa: E402
from ledger_pipeline.sandbox.quickbooks import (DEFAULT_CLIENTS, DISCOVERY_PATH, MULTICURRENCY_REALM,  # noqa: E402
                                                US_REALM, QuickBooksSandbox)

START = 1714579200.0  # 2024-05-01T16:00:00Z, 09:00 in the company's Pacific time
CLIENT_ID, CLIENT_SECRET = next(iter(DEFAULT_CLIENTS.items()))
REDIRECT = "http://localhost:8765/callback"

warnings.filterwarnings("ignore", category=DeprecationWarning, module="quickbooks")


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(frozen_at=START)


@pytest.fixture
def sandbox_options() -> dict:
    return {}


@pytest.fixture
def sandbox(clock, sandbox_options) -> QuickBooksSandbox:
    return QuickBooksSandbox(clock=clock, faults=Faults(seed=7), **sandbox_options)


@pytest.fixture
def server(sandbox):
    with sandbox.serve() as srv:
        yield srv


def auth_client(server, **tokens) -> AuthClient:
    return AuthClient(CLIENT_ID, CLIENT_SECRET, REDIRECT, environment=server.base_url + DISCOVERY_PATH, **tokens)


def client_for(server, auth: AuthClient, realm: str) -> QuickBooks:
    qb = QuickBooks(auth_client=auth, refresh_token=auth.refresh_token, company_id=realm, minorversion=75)
    qb.api_url_v3 = server.base_url + "/v3"  # the instance attribute shadows Intuit's URL
    return qb


@pytest.fixture
def connect(sandbox, server):
    def _connect(realm: str = US_REALM) -> QuickBooks:
        tokens = sandbox.issue_tokens(realm)
        auth = auth_client(server, access_token=tokens["access_token"], refresh_token=tokens["refresh_token"])
        return client_for(server, auth, realm)
    return _connect


@pytest.fixture
def qb(connect) -> QuickBooks:
    return connect(US_REALM)


@pytest.fixture
def qb_multi(connect) -> QuickBooks:
    return connect(MULTICURRENCY_REALM)


def ref(value: str, name: str = "") -> Ref:
    r = Ref()
    r.value, r.name = value, name
    return r


def journal(lines, *, date: str = "2024-05-01", doc: str = "", currency: str | None = None,
            rate: float | None = None) -> JournalEntry:
    """lines: (account Id, "Debit"/"Credit", amount[, customer Id])"""
    je = JournalEntry()
    je.TxnDate, je.DocNumber = date, doc
    if currency:
        je.CurrencyRef = ref(currency)
    if rate is not None:
        je.ExchangeRate = rate
    for account, side, amount, *who in lines:
        line = JournalEntryLine()
        line.Amount = amount
        line.Description = f"{side} {account}"
        detail = line.JournalEntryLineDetail = JournalEntryLineDetail()
        detail.PostingType = side
        detail.AccountRef = ref(account)
        if who:
            detail.Entity = Entity()
            detail.Entity.Type = "Customer"
            detail.Entity.EntityRef = ref(who[0])
        je.Line.append(line)
    return je


def D(value) -> Decimal:
    return Decimal(str(value))


class Helpers:
    """Helpers handed to tests as a fixture (test modules can't import conftest under importlib mode)."""

    START = START
    CLIENT_ID, CLIENT_SECRET, REDIRECT = CLIENT_ID, CLIENT_SECRET, REDIRECT
    US, MULTI = US_REALM, MULTICURRENCY_REALM
    ref = staticmethod(ref)
    journal = staticmethod(journal)
    D = staticmethod(D)
    auth_client = staticmethod(auth_client)
    client_for = staticmethod(client_for)


@pytest.fixture
def h() -> type[Helpers]:
    return Helpers
