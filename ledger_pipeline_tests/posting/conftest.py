"""Fixtures for the posting machinery: the QuickBooks and Xero sandboxes on loopback ports, our resources
aimed at them (the real intuit-oauth, python-quickbooks and xero-python clients over HTTP), a token store
and a tenant warehouse in temporary files.

Waits are tiny (backoff 10 ms) so throttling tests finish fast; the sandboxes' clocks are frozen and moved
by hand to age tokens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import warnings
from decimal import Decimal

import pytest
import requests
from cryptography.fernet import Fernet
from quickbooks.objects.base import Ref
from quickbooks.objects.journalentry import JournalEntry, JournalEntryLine, JournalEntryLineDetail
from xero_python.accounting.models import LineAmountTypes, ManualJournal, ManualJournalLine

from ledger_pipeline.posting import Outbox, Poster, PostRecord, TokenSet, TokenStore, marker_for
from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.quickbooks import DEFAULT_CLIENTS, DISCOVERY_PATH, US_REALM, QuickBooksSandbox
from ledger_pipeline.sandbox.xero import US_TENANT_ID, XeroSandbox
from ledger_pipeline.targets.quickbooks import QuickBooksResource, QuickBooksTarget
from ledger_pipeline.targets.xero import XeroResource, XeroTarget
from ledger_pipeline.warehouse import WarehouseResource

warnings.filterwarnings("ignore", category=DeprecationWarning, module="quickbooks")

START = dt.datetime(2024, 5, 1, 16, 0, tzinfo=dt.timezone.utc).timestamp()
QBO_CLIENT_ID, QBO_CLIENT_SECRET = next(iter(DEFAULT_CLIENTS.items()))
XERO_CLIENT_ID, XERO_CLIENT_SECRET = "ledger-posting-tests", "xero-client-secret-0123456789"
TOKEN_KEY = Fernet.generate_key().decode()
FAST = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05}


# --- QuickBooks -------------------------------------------------------------------------------------------
@pytest.fixture
def qbo_options() -> dict:
    return {}


@pytest.fixture
def qbo_sandbox(qbo_options) -> QuickBooksSandbox:
    return QuickBooksSandbox(clock=SandboxClock(frozen_at=START), faults=Faults(seed=7), **qbo_options)


@pytest.fixture
def qbo_server(qbo_sandbox):
    with qbo_sandbox.serve() as server:
        yield server


@pytest.fixture
def token_store(tmp_path) -> TokenStore:
    return TokenStore(tmp_path / "state" / "tokens.sqlite3", TOKEN_KEY)


@pytest.fixture
def qbo_resource(qbo_sandbox, qbo_server, token_store) -> QuickBooksResource:
    issued = qbo_sandbox.issue_tokens(US_REALM)
    token_store.save("quickbooks", US_REALM, TokenSet(issued["access_token"], issued["refresh_token"],
                                                      time.time() + issued["expires_in"]))
    return QuickBooksResource(client_id=QBO_CLIENT_ID, client_secret=QBO_CLIENT_SECRET, realm_id=US_REALM,
                              environment=qbo_server.base_url + DISCOVERY_PATH, api_base=qbo_server.base_url + "/v3",
                              token_store_path=str(token_store.path), token_encryption_key=TOKEN_KEY, **FAST)


@pytest.fixture
def qbo(qbo_resource):
    return qbo_resource.client()


# --- Xero -------------------------------------------------------------------------------------------------
@pytest.fixture
def xero_options() -> dict:
    return {}


@pytest.fixture
def xero_sandbox(xero_options) -> XeroSandbox:
    return XeroSandbox(clock=SandboxClock(frozen_at=START), faults=Faults(seed=7),
                       clients={XERO_CLIENT_ID: XERO_CLIENT_SECRET}, **xero_options)


@pytest.fixture
def xero_server(xero_sandbox):
    server = xero_sandbox.serve(port=0)
    yield server
    server.stop()


def xero_tokens(sandbox: XeroSandbox, tenant: str = US_TENANT_ID) -> TokenSet:
    issued = sandbox.issue_tokens(tenant, client_id=XERO_CLIENT_ID)
    return TokenSet(issued["access_token"], issued["refresh_token"], issued["expires_at"], None,
                    {"scope": issued["scope"], "token_type": issued["token_type"],
                     "expires_in": issued["expires_in"], "id_token": issued.get("id_token")})


@pytest.fixture
def xero_resource(xero_sandbox, xero_server, token_store) -> XeroResource:
    token_store.save("xero", US_TENANT_ID, xero_tokens(xero_sandbox))
    return XeroResource(client_id=XERO_CLIENT_ID, client_secret=XERO_CLIENT_SECRET, tenant_id=US_TENANT_ID,
                        identity_base=xero_server.base_url, api_base=xero_server.base_url,
                        token_store_path=str(token_store.path), token_encryption_key=TOKEN_KEY, min_calls_left=0,
                        **FAST)


@pytest.fixture
def xero(xero_resource):
    return xero_resource.client()


# --- the warehouse ----------------------------------------------------------------------------------------
@pytest.fixture
def conn(tmp_path):
    with WarehouseResource(directory=str(tmp_path / "warehouse")).connect("acme") as connection:
        yield connection


# --- builders, handed to tests as a fixture (test modules cannot import conftest in importlib mode) ---------
def ref(value: str) -> Ref:
    r = Ref()
    r.value = value
    return r


def qbo_journal(marker: str, amount: str, debit: str = "3", credit: str = "31", date: str = "2024-05-01",
                note: str = "") -> JournalEntry:
    entry = JournalEntry()
    entry.TxnDate, entry.DocNumber, entry.PrivateNote = date, marker, note
    for account, side in ((debit, "Debit"), (credit, "Credit")):
        line = JournalEntryLine()
        line.Amount = Decimal(amount)
        line.Description = f"Stripe {side.lower()}"
        detail = line.JournalEntryLineDetail = JournalEntryLineDetail()
        detail.PostingType = side
        detail.AccountRef = ref(account)
        entry.Line.append(line)
    return entry


def xero_journal(marker: str, amount: str, debit: str = "095", credit: str = "405",
                 day: dt.date = dt.date(2024, 5, 1)) -> ManualJournal:
    """A balanced two-line journal; 095 Transfers, not a bank account: Xero refuses manual journals on those."""
    value = Decimal(amount)
    return ManualJournal(narration=f"Stripe payout {marker}", date=day, status="POSTED",
                         line_amount_types=LineAmountTypes.NOTAX,
                         journal_lines=[ManualJournalLine(line_amount=value, account_code=debit),
                                        ManualJournalLine(line_amount=-value, account_code=credit)])


def content_hash(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def qbo_record(key: str, amount: str, **kwargs) -> PostRecord:
    marker = marker_for(key)
    return PostRecord(key, "JournalEntry", content_hash(amount, kwargs), marker, qbo_journal(marker, amount, **kwargs))


def xero_record(key: str, amount: str, **kwargs) -> PostRecord:
    marker = marker_for(key)
    return PostRecord(key, "ManualJournals", content_hash(amount, kwargs), marker,
                      xero_journal(marker, amount, **kwargs))


def admin(server, path: str, payload: dict | None = None) -> dict:
    if payload is None:
        answer = requests.get(server.base_url + path, timeout=10)
    else:
        answer = requests.post(server.base_url + path, json=payload, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def qbo_journals(server) -> list[dict]:
    """Every JournalEntry in the sandbox company, read through its admin state endpoint."""
    state = admin(server, f"/_sandbox/state/{US_REALM}")
    return list(state["objects"].get("JournalEntry", {}).values())


def poster_for(conn, target) -> Poster:
    return Poster(Outbox(conn, target.name, target.company_id, key_length=target.key_length,
                         batch_key_length=target.batch_key_length), target)


class Helpers:
    START = START
    US_REALM, US_TENANT_ID = US_REALM, US_TENANT_ID
    QBO_CLIENT_SECRET, XERO_CLIENT_SECRET, TOKEN_KEY = QBO_CLIENT_SECRET, XERO_CLIENT_SECRET, TOKEN_KEY
    QBO_CLIENT_ID, XERO_CLIENT_ID, FAST = QBO_CLIENT_ID, XERO_CLIENT_ID, FAST
    qbo_journal = staticmethod(qbo_journal)
    xero_journal = staticmethod(xero_journal)
    qbo_record = staticmethod(qbo_record)
    xero_record = staticmethod(xero_record)
    content_hash = staticmethod(content_hash)
    admin = staticmethod(admin)
    qbo_journals = staticmethod(qbo_journals)
    poster_for = staticmethod(poster_for)
    xero_tokens = staticmethod(xero_tokens)
    QuickBooksTarget, XeroTarget = QuickBooksTarget, XeroTarget


@pytest.fixture
def h() -> type[Helpers]:
    return Helpers
