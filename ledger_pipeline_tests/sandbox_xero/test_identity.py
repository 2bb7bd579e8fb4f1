"""Identity: code grant, refresh rotation, invalid_grant, token expiry on the sandbox clock, /connections, tenants."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from xero_python.exceptions import HTTPStatusException

from ledger_pipeline.sandbox.xero import GLOBAL_TENANT_ID, US_TENANT_ID


def test_authorization_code_grant_and_refresh_rotation(server, creds):
    CLIENT_ID, CLIENT_SECRET = creds

    def _basic() -> dict:
        return {"Authorization": "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()}

    base = server.base_url
    answer = requests.get(f"{base}/connect/authorize", params={
        "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": "http://localhost:8080/callback",
        "scope": "openid offline_access accounting.transactions accounting.settings", "state": "xyz"},
        allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["location"])
    assert location.netloc == "localhost:8080"
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    code = query["code"][0]

    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://localhost:8080/callback"}
    tokens = requests.post(f"{base}/connect/token", data=form, headers=_basic(), timeout=5)
    assert tokens.status_code == 200
    body = tokens.json()
    assert set(body) == {"id_token", "access_token", "expires_in", "token_type", "refresh_token", "scope"}
    assert body["expires_in"] == 1800 and body["token_type"] == "Bearer"
    assert "accounting.transactions" in body["scope"].split()

    # A code works once.
    again = requests.post(f"{base}/connect/token", data=form, headers=_basic(), timeout=5)
    assert again.status_code == 400 and again.json() == {"error": "invalid_grant"}

    # Refresh rotates: the new refresh token works, the spent one is invalid_grant.
    first = body["refresh_token"]
    rotated = requests.post(f"{base}/connect/token", data={"grant_type": "refresh_token", "refresh_token": first},
                            headers=_basic(), timeout=5)
    assert rotated.status_code == 200
    assert rotated.json()["refresh_token"] != first
    spent = requests.post(f"{base}/connect/token", data={"grant_type": "refresh_token", "refresh_token": first},
                          headers=_basic(), timeout=5)
    assert spent.status_code == 400 and spent.json() == {"error": "invalid_grant"}

    wrong_secret = requests.post(f"{base}/connect/token", data={
        "grant_type": "refresh_token", "refresh_token": rotated.json()["refresh_token"],
        "client_id": CLIENT_ID, "client_secret": "nope"}, timeout=5)
    assert wrong_secret.status_code == 400 and wrong_secret.json() == {"error": "invalid_client"}


def test_client_refresh_rotates_and_spent_token_is_invalid_grant(xero):
    old_refresh = xero.store["token"]["refresh_token"]
    new_token = xero.api_client.refresh_oauth2_token()  # xero-python's own refresh call, body-auth form
    assert new_token["refresh_token"] != old_refresh
    assert isinstance(new_token["scope"], list) and "offline_access" in new_token["scope"]
    assert xero.api.get_organisations(xero.tenant).organisations[0].name == "Demo Company (US)"

    xero.store["token"] = dict(xero.store["token"], refresh_token=old_refresh)
    with pytest.raises(HTTPStatusException) as refused:
        xero.api_client.refresh_oauth2_token()
    assert refused.value.status == 400
    assert b"invalid_grant" in refused.value.body


def test_access_token_expires_on_sandbox_clock_then_refresh_works(xero, sandbox):
    assert xero.api.get_organisations(xero.tenant).organisations
    sandbox.advance(1801)  # 30 minutes and a second of sandbox time; no real waiting
    with pytest.raises(HTTPStatusException) as expired:
        xero.api.get_organisations(xero.tenant)
    assert expired.value.status == 401
    detail = expired.value.body.decode()
    assert '"Title":"Unauthorized"' in detail and "TokenExpired: token expired at" in detail

    xero.api_client.refresh_oauth2_token()
    assert xero.api.get_organisations(xero.tenant).organisations[0].organisation_id == US_TENANT_ID


def test_connections_list_tenants_and_tenant_header_selects_organisation(make_client):
    client = make_client(US_TENANT_ID)  # a token consented to the US company only
    connections = client.identity.get_connections()
    assert {c.tenant_id for c in connections} == {US_TENANT_ID}
    with pytest.raises(HTTPStatusException) as forbidden:
        client.api.get_organisations(GLOBAL_TENANT_ID)
    assert forbidden.value.status == 403
    with pytest.raises(HTTPStatusException) as unknown:
        client.api.get_organisations("00000000-0000-0000-0000-000000000000")
    assert unknown.value.status == 403


def test_all_tenant_token_sees_both_organisations(xero):
    connections = xero.identity.get_connections()
    names = {c.tenant_id: c.tenant_name for c in connections}
    assert names == {US_TENANT_ID: "Demo Company (US)", GLOBAL_TENANT_ID: "Demo Company (Global)"}
    assert all(c.tenant_type == "ORGANISATION" and c.created_date_utc is not None for c in connections)
    org = xero.api.get_organisations(GLOBAL_TENANT_ID).organisations[0]
    assert org.name == "Demo Company (Global)" and org.base_currency.value == "USD"
    codes = {c.code.value for c in xero.api.get_currencies(GLOBAL_TENANT_ID).currencies}
    assert codes == {"USD", "EUR", "GBP"}


def test_missing_or_unknown_bearer_is_401(server):
    answer = requests.get(f"{server.base_url}/api.xro/2.0/Organisation", headers={
        "Authorization": "Bearer not-a-token", "xero-tenant-id": US_TENANT_ID}, timeout=5)
    assert answer.status_code == 401
    assert answer.json()["Detail"] == "AuthenticationUnsuccessful"
    assert requests.get(f"{server.base_url}/connections", timeout=5).status_code == 401
