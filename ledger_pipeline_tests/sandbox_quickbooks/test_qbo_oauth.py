"""Intuit OAuth through intuit-oauth's AuthClient: discovery, consent, code exchange, rotation, expiry."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError
from quickbooks.exceptions import AuthorizationException, QuickbooksException
from quickbooks.objects import CompanyInfo, Customer


def consent(h, server, realm=None):
    """Run the authorization-code flow the way a web app would: follow the consent redirect by hand."""
    auth = h.auth_client(server)
    url = auth.get_authorization_url([Scopes.ACCOUNTING], state_token="csrf-123")
    if realm:
        url += f"&realm_id={realm}"
    answer = requests.get(url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert location.geturl().startswith(h.REDIRECT)
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert params["state"] == "csrf-123"
    auth.get_bearer_token(params["code"], realm_id=params["realmId"])
    return auth, params


def test_discovery_document_points_the_client_at_the_sandbox(h, server):
    auth = h.auth_client(server)
    root = server.base_url
    assert auth.auth_endpoint == root + "/oauth2/v1/authorize"
    assert auth.token_endpoint == root + "/oauth2/v1/tokens/bearer"
    assert auth.revoke_endpoint == root + "/oauth2/v1/tokens/revoke"
    assert auth.issuer_uri == root and auth.jwks_uri == root + "/op/v1/jwks"
    assert auth.user_info_url == root + "/v1/openid_connect/userinfo"


def test_authorization_code_flow_then_api_call(h, server):
    auth, params = consent(h, server)
    assert params["realmId"] == h.US and auth.realm_id == h.US
    assert auth.access_token.startswith("qbo-at-") and auth.refresh_token.startswith("qbo-rt-")
    assert auth.expires_in == 3600 and auth.x_refresh_token_expires_in > 86400
    qb = h.client_for(server, auth, h.US)
    info = CompanyInfo.get(h.US, qb=qb)
    assert info.CompanyName == "Sandbox Company US"
    # a code is single use
    with pytest.raises(AuthClientError) as spent:
        auth.get_bearer_token(params["code"])
    assert spent.value.status_code == 400 and spent.value.response.json()["error"] == "invalid_grant"


def test_consent_can_pick_the_multicurrency_realm(h, server):
    auth, params = consent(h, server, realm=h.MULTI)
    assert params["realmId"] == h.MULTI
    qb = h.client_for(server, auth, h.MULTI)
    assert CompanyInfo.get(h.MULTI, qb=qb).CompanyName == "Sandbox Company Multicurrency"


def test_refresh_rotates_and_a_spent_refresh_token_is_invalid_grant(h, server):
    auth, _ = consent(h, server)
    first_access, first_refresh = auth.access_token, auth.refresh_token
    auth.refresh()
    assert auth.refresh_token != first_refresh and auth.access_token != first_access
    with pytest.raises(AuthClientError) as err:
        auth.refresh(refresh_token=first_refresh)
    assert err.value.status_code == 400
    assert err.value.response.json() == {"error": "invalid_grant"}
    auth.refresh()  # the newest one still works, once
    with pytest.raises(AuthClientError):
        h.auth_client(server).refresh(refresh_token="qbo-rt-never-issued")


def test_wrong_client_secret_is_refused(h, server, sandbox):
    tokens = sandbox.issue_tokens(h.US)
    from intuitlib.client import AuthClient

    bad = AuthClient(h.CLIENT_ID, "wrong", h.REDIRECT, environment=server.base_url + "/.well-known/openid_configuration")
    with pytest.raises(AuthClientError) as err:
        bad.refresh(refresh_token=tokens["refresh_token"])
    assert err.value.status_code == 401


def test_expired_access_token_gives_401_then_refresh_works(h, server, clock):
    auth, _ = consent(h, server)
    qb = h.client_for(server, auth, h.US)
    assert Customer.count(qb=qb) == 0
    clock.advance(3601)  # one hour on the sandbox clock
    with pytest.raises(AuthorizationException) as err:
        Customer.count(qb=qb)
    assert err.value.error_code == 401 and "Token expired" in err.value.detail
    auth.refresh()  # the client never refreshes by itself; the old QuickBooks object keeps the old token
    qb = h.client_for(server, auth, h.US)
    assert Customer.count(qb=qb) == 0


def test_unknown_token_and_revoked_grant_are_401(h, server, sandbox):
    auth, _ = consent(h, server)
    qb = h.client_for(server, auth, h.US)
    qb.session.access_token = "qbo-at-made-up"
    with pytest.raises(AuthorizationException):
        Customer.count(qb=qb)
    assert auth.revoke() is True
    qb = h.client_for(server, auth, h.US)
    with pytest.raises(AuthorizationException):
        Customer.count(qb=qb)
    with pytest.raises(AuthClientError):
        auth.refresh()
    answer = requests.get(server.base_url + f"/v3/company/{h.US}/customer/1",
                          headers={"Authorization": "Bearer nope"}, timeout=10)
    assert answer.status_code == 401 and answer.json()["fault"]["error"][0]["code"] == "3200"


def test_token_of_one_realm_cannot_read_another(h, server, sandbox):
    tokens = sandbox.issue_tokens(h.US)
    auth = h.auth_client(server, access_token=tokens["access_token"], refresh_token=tokens["refresh_token"])
    qb = h.client_for(server, auth, h.MULTI)
    with pytest.raises(QuickbooksException) as err:
        Customer.count(qb=qb)
    assert err.value.error_code == 3100


def test_userinfo(h, server):
    auth, _ = consent(h, server)
    info = auth.get_user_info().json()
    assert info["realmid"] == h.US and info["email"]
