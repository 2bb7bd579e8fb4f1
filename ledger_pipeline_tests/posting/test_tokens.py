"""The durable token store and refresh with rotation, against both sandboxes' OAuth services."""

from __future__ import annotations

import sqlite3
import stat
import threading
import time

import pytest
import requests
from quickbooks.objects import Account

from ledger_pipeline.posting import ErrorKind, TargetError, TokenSet, TokenStore
from ledger_pipeline.posting.token_crypto import TokenCipherError


def test_store_is_private_encrypted_and_keyed_by_target_and_company(tmp_path, h):
    store = TokenStore(tmp_path / "state" / "tokens.sqlite3", h.TOKEN_KEY)
    tokens = TokenSet("access-AAAA-1111", "refresh-BBBB-2222", expires_at=123.0)
    store.save("quickbooks", "realm-1", tokens)
    store.save("xero", "realm-1", TokenSet("x-access", "x-refresh-CCCC"))
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    raw = store.path.read_bytes()
    assert b"refresh-BBBB-2222" not in raw and b"access-AAAA-1111" not in raw
    assert store.load("quickbooks", "realm-1") == tokens
    assert store.load("xero", "realm-1").refresh_token == "x-refresh-CCCC"
    assert store.load("quickbooks", "realm-2") is None
    assert "refresh-BBBB" not in repr(tokens) and "access-AAAA" not in repr(tokens)

    with pytest.raises(TokenCipherError, match="another key"):
        TokenStore(store.path, _other_key()).load("quickbooks", "realm-1")
    with pytest.raises(TokenCipherError, match="no token encryption key"):
        TokenStore(store.path).load("quickbooks", "realm-1")
    with pytest.raises(TokenCipherError, match="not a Fernet key"):
        TokenStore(store.path, "not-a-key")

    versions = sqlite3.connect(store.path).execute("SELECT target, version FROM tokens ORDER BY target").fetchall()
    store.save("quickbooks", "realm-1", TokenSet("a2", "r2"))
    assert sqlite3.connect(store.path).execute(
        "SELECT version FROM tokens WHERE target = 'quickbooks'").fetchone()[0] == dict(versions)["quickbooks"] + 1


def _other_key() -> str:
    from cryptography.fernet import Fernet
    return Fernet.generate_key().decode()


def test_quickbooks_token_expires_mid_run(qbo_resource, qbo_sandbox, qbo_server, token_store, h, conn):
    client = qbo_resource.client()
    poster = h.poster_for(conn, h.QuickBooksTarget(client))
    assert poster.post([h.qbo_record("a", "1.00")]).counts() == {"created": 1}
    before = token_store.load("quickbooks", h.US_REALM)

    qbo_sandbox.move_clock(by=3601)  # the access token is an hour old in QuickBooks' eyes; we still think it's fine
    assert poster.post([h.qbo_record("b", "2.00")]).counts() == {"created": 1}  # 401 -> refresh -> again
    after = token_store.load("quickbooks", h.US_REALM)
    assert after.refresh_token != before.refresh_token and after.access_token != before.access_token
    assert client.connection.tokens.refreshes == 1

    # the spent refresh token is refused by Intuit's (the sandbox's) token endpoint
    spent = requests.post(qbo_server.base_url + "/oauth2/v1/tokens/bearer",
                          data={"grant_type": "refresh_token", "refresh_token": before.refresh_token},
                          auth=(h.QBO_CLIENT_ID, h.QBO_CLIENT_SECRET), timeout=10)
    assert spent.status_code == 400 and spent.json()["error"] == "invalid_grant"

    # a new process reads the rotated tokens from the store and needs no refresh
    fresh = qbo_resource.client()
    assert len(Account.all(qb=fresh.connection.qb())) > 0
    assert fresh.connection.tokens.refreshes == 0


def test_quickbooks_refreshes_before_expiry_once_across_threads(qbo_resource, qbo_sandbox, token_store, h):
    stored = token_store.load("quickbooks", h.US_REALM)
    token_store.save("quickbooks", h.US_REALM, TokenSet(stored.access_token, stored.refresh_token,
                                                        expires_at=time.time() + 60))  # inside the 5-minute margin
    client = qbo_resource.client()
    errors: list[BaseException] = []

    def read() -> None:
        try:
            client.query("SELECT * FROM Account MAXRESULTS 1")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert qbo_sandbox.stats.snapshot()["oauth"]["token_requests"] == 1  # one refresh, shared
    assert "401" not in qbo_sandbox.stats.snapshot()["realms"][h.US_REALM]["statuses"]
    assert token_store.load("quickbooks", h.US_REALM).refresh_token != stored.refresh_token


def test_quickbooks_seeded_and_missing_and_revoked(qbo_sandbox, qbo_server, tmp_path, h):
    from ledger_pipeline.sandbox.quickbooks import DISCOVERY_PATH
    from ledger_pipeline.targets.quickbooks import QuickBooksResource

    def resource(store_name: str, **extra) -> QuickBooksResource:
        return QuickBooksResource(client_id=h.QBO_CLIENT_ID, client_secret=h.QBO_CLIENT_SECRET, realm_id=h.US_REALM,
                                  environment=qbo_server.base_url + DISCOVERY_PATH,
                                  api_base=qbo_server.base_url + "/v3", token_store_path=str(tmp_path / store_name),
                                  **h.FAST, **extra)

    with pytest.raises(TargetError) as missing:
        resource("empty.sqlite3").client().company_info()
    assert missing.value.kind is ErrorKind.NOT_CONNECTED and "connect the app" in missing.value.fix

    seed = qbo_sandbox.issue_tokens(h.US_REALM)["refresh_token"]
    seeded = resource("seeded.sqlite3", refresh_token=seed).client()
    assert seeded.company_info()["CompanyName"] == "Sandbox Company US"
    assert TokenStore(tmp_path / "seeded.sqlite3").load("quickbooks", h.US_REALM).refresh_token != seed

    with pytest.raises(TargetError) as spent:  # the seed was spent by the first refresh
        resource("other.sqlite3", refresh_token=seed).client().company_info()
    assert spent.value.kind is ErrorKind.NOT_CONNECTED and "invalid_grant" in spent.value.message


def test_xero_token_expires_mid_run(xero_resource, xero_sandbox, xero_server, token_store, h, conn):
    client = xero_resource.client()
    poster = h.poster_for(conn, h.XeroTarget(client))
    assert poster.post([h.xero_record("a", "1.00")]).counts() == {"created": 1}
    before = token_store.load("xero", h.US_TENANT_ID)

    xero_sandbox.advance(1801)  # Xero access tokens live 30 minutes
    assert poster.post([h.xero_record("b", "2.00")]).counts() == {"created": 1}
    after = token_store.load("xero", h.US_TENANT_ID)
    assert after.refresh_token != before.refresh_token
    assert after.extra["scope"] and client.connection.tokens.refreshes == 1

    spent = requests.post(xero_server.base_url + "/connect/token",
                          data={"grant_type": "refresh_token", "refresh_token": before.refresh_token,
                                "client_id": h.XERO_CLIENT_ID, "client_secret": h.XERO_CLIENT_SECRET}, timeout=10)
    assert spent.status_code == 400 and spent.json()["error"] == "invalid_grant"
    assert xero_resource.client().organisation().name == "Demo Company (US)"


def test_xero_refresh_before_expiry_keeps_xero_python_from_refreshing(xero_resource, token_store, h):
    stored = token_store.load("xero", h.US_TENANT_ID)
    token_store.save("xero", h.US_TENANT_ID, TokenSet(stored.access_token, stored.refresh_token,
                                                      time.time() + 90, None, stored.extra))
    client = xero_resource.client()
    assert client.organisation().name == "Demo Company (US)"
    assert client.connection.tokens.refreshes == 1
    assert token_store.load("xero", h.US_TENANT_ID).expires_at > time.time() + 1000
