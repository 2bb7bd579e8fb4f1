"""Xero's Identity API as xero-python uses it: authorize (auto-consent), token, revocation, connections.

- Access tokens last 30 minutes of sandbox time; after that the API answers 401 `TokenExpired: ...`.
- Refresh tokens rotate: each refresh answers a new one and the old one is spent at once
  (`400 {"error": "invalid_grant"}` if used again). They last 60 days of sandbox time.
- Client authentication: HTTP Basic, or client_id/client_secret in the form (xero-python sends the latter).
- Token answers carry exactly the keys xero-python's `OAuth2Token.update_token()` accepts; any other
  key would make it raise TypeError, and a missing `scope` does too.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .organisation import stable_id
from .serialize import iso_utc
from .validation import ProblemDetails, forbidden, unauthorized

ACCESS_TTL = 1800
REFRESH_TTL = 60 * 86400
CODE_TTL = 300
DEFAULT_SCOPE = ("openid profile email offline_access accounting.transactions accounting.contacts "
                 "accounting.settings accounting.reports.read accounting.journals.read")


class OAuthError(Exception):
    """An RFC 6749 error answer: 400 `{"error": ...}`."""

    def __init__(self, error: str, status: int = 400):
        self.error = error
        self.status = status
        super().__init__(error)


@dataclass
class Grant:
    """One consent: an app allowed into some tenants."""

    grant_id: str
    client_id: str
    tenant_ids: list[str]
    scope: str
    auth_event_id: str
    created_ms: int
    user_id: str = field(default_factory=lambda: str(uuid.uuid4()))


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _jwt(payload: dict) -> str:
    """JWT-shaped (not signed for real): some code decodes Xero tokens to read authentication_event_id."""
    return f"{_b64({'alg': 'RS256', 'kid': 'sandbox', 'typ': 'JWT'})}.{_b64(payload)}.{secrets.token_urlsafe(24)}"


class Identity:
    def __init__(self, clients: dict[str, str | dict], now_ms, tenant_ids, access_ttl: int = ACCESS_TTL):
        self.clients = {cid: (v if isinstance(v, dict) else {"secret": v, "name": cid}) for cid, v in clients.items()}
        self.now_ms = now_ms                      # callable: sandbox clock in epoch ms
        self.tenant_ids = tenant_ids              # callable: every organisation's tenant id
        self.access_ttl = access_ttl
        self.grants: dict[str, Grant] = {}
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.refresh_tokens: dict[str, dict] = {}
        self._lock = threading.RLock()

    # ------------------------------------------------------------ clients
    def app_name(self, client_id: str) -> str:
        return self.clients.get(client_id, {}).get("name") or client_id

    def check_client(self, client_id: str | None, secret: str | None) -> str:
        client = self.clients.get(client_id or "")
        if client is None or (secret is not None and not secrets.compare_digest(client["secret"], secret)):
            raise OAuthError("invalid_client")
        return client_id  # type: ignore[return-value]

    # ------------------------------------------------------------ grants and tokens
    def new_grant(self, client_id: str, tenant_ids: list[str], scope: str | None = None) -> Grant:
        with self._lock:
            grant = Grant(str(uuid.uuid4()), client_id, list(tenant_ids), scope or DEFAULT_SCOPE, str(uuid.uuid4()),
                          self.now_ms())
            self.grants[grant.grant_id] = grant
            return grant

    def _tokens(self, grant: Grant, with_refresh: bool = True) -> dict:
        now = self.now_ms()
        claims = {"nbf": now // 1000, "exp": now // 1000 + self.access_ttl, "iss": "https://identity.xero.com",
                  "aud": "https://identity.xero.com/resources", "client_id": grant.client_id, "sub": grant.user_id,
                  "auth_time": grant.created_ms // 1000, "xero_userid": grant.user_id, "jti": uuid.uuid4().hex,
                  "authentication_event_id": grant.auth_event_id, "scope": grant.scope.split()}
        access = _jwt(claims)
        self.access_tokens[access] = {"grant_id": grant.grant_id, "expires_ms": now + self.access_ttl * 1000}
        answer = {"id_token": _jwt({"iss": claims["iss"], "aud": grant.client_id, "sub": grant.user_id,
                                    "exp": claims["exp"], "iat": claims["nbf"], "email": "sandbox@example.com",
                                    "given_name": "Sandbox", "family_name": "User"}),
                  "access_token": access, "expires_in": self.access_ttl, "token_type": "Bearer",
                  "scope": grant.scope}
        if with_refresh and "offline_access" in grant.scope.split():
            refresh = secrets.token_hex(32)
            self.refresh_tokens[refresh] = {"grant_id": grant.grant_id, "expires_ms": now + REFRESH_TTL * 1000,
                                            "spent": False}
            answer["refresh_token"] = refresh
        return answer

    def issue(self, client_id: str, tenant_ids: list[str], scope: str | None = None) -> dict:
        """Consent and code exchange in one step (tests and demos), as xero-python's token store wants it."""
        with self._lock:
            answer = self._tokens(self.new_grant(client_id, tenant_ids, scope))
        token = dict(answer, scope=answer["scope"].split())
        token["expires_at"] = time.time() + answer["expires_in"]  # xero-python compares with real time
        return token

    def authorize(self, client_id: str, redirect_uri: str, scope: str | None, tenant_ids: list[str]) -> str:
        if client_id not in self.clients:
            raise OAuthError("unauthorized_client")
        if not redirect_uri:
            raise OAuthError("invalid_request")
        with self._lock:
            grant = self.new_grant(client_id, tenant_ids, scope or DEFAULT_SCOPE)
            code = secrets.token_urlsafe(32)
            self.codes[code] = {"grant_id": grant.grant_id, "redirect_uri": redirect_uri,
                                "expires_ms": self.now_ms() + CODE_TTL * 1000}
            return code

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict:
        client_id, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
        grant_type = form.get("grant_type")
        with self._lock:
            client_id = self.check_client(client_id, secret if secret is not None else "")
            if grant_type == "authorization_code":
                entry = self.codes.pop(form.get("code") or "", None)
                if entry is None or entry["expires_ms"] < self.now_ms():
                    raise OAuthError("invalid_grant")
                if form.get("redirect_uri") and form["redirect_uri"] != entry["redirect_uri"]:
                    raise OAuthError("invalid_grant")
                grant = self.grants[entry["grant_id"]]
            elif grant_type == "refresh_token":
                entry = self.refresh_tokens.get(form.get("refresh_token") or "")
                if entry is None or entry["spent"] or entry["expires_ms"] < self.now_ms():
                    raise OAuthError("invalid_grant")
                grant = self.grants.get(entry["grant_id"])
                if grant is None or grant.client_id != client_id:
                    raise OAuthError("invalid_grant")
                entry["spent"] = True
            elif grant_type == "client_credentials":
                # A custom connection: one app, every organisation, no refresh token.
                scope = form.get("scope") or DEFAULT_SCOPE.replace(" offline_access", "")
                grant = self.new_grant(client_id, list(self.tenant_ids()), scope)
                return self._tokens(grant, with_refresh=False)
            else:
                raise OAuthError("unsupported_grant_type")
            if grant.client_id != client_id:
                raise OAuthError("invalid_grant")
            return self._tokens(grant)

    def revoke(self, form: dict[str, str], basic: tuple[str, str] | None) -> None:
        client_id, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
        with self._lock:
            self.check_client(client_id, secret if secret is not None else "")
            entry = self.refresh_tokens.get(form.get("token") or "")
            if entry is None:
                return
            grant_id = entry["grant_id"]
            for table in (self.refresh_tokens, self.access_tokens):
                for key in [k for k, v in table.items() if v["grant_id"] == grant_id]:
                    del table[key]
            grant = self.grants.get(grant_id)
            if grant:
                grant.tenant_ids = []

    # ------------------------------------------------------------ API access
    def authenticate(self, authorization: str | None) -> Grant:
        """The grant behind a Bearer token; 401 with Xero's body when missing, unknown or expired."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise unauthorized("AuthenticationUnsuccessful")
        with self._lock:
            entry = self.access_tokens.get(authorization[7:].strip())
            if entry is None:
                raise unauthorized("AuthenticationUnsuccessful")
            if entry["expires_ms"] <= self.now_ms():
                at = datetime.fromtimestamp(entry["expires_ms"] / 1000, tz=timezone.utc)
                raise unauthorized(f"TokenExpired: token expired at {at.strftime('%m/%d/%Y %H:%M:%S')}")
            return self.grants[entry["grant_id"]]

    @staticmethod
    def check_tenant(grant: Grant, tenant_id: str | None, known: set[str]) -> str:
        tenant = (tenant_id or "").strip().lower()
        if not tenant or tenant not in known or tenant not in {t.lower() for t in grant.tenant_ids}:
            raise forbidden("AuthenticationUnsuccessful")
        return tenant

    def connections(self, grant: Grant, names: dict[str, str], auth_event_id: str | None = None) -> list[dict]:
        if auth_event_id and auth_event_id != grant.auth_event_id:
            return []
        created = iso_utc(grant.created_ms)
        return [{"id": stable_id("connection", grant.client_id, tenant), "authEventId": grant.auth_event_id,
                 "tenantId": tenant, "tenantType": "ORGANISATION", "tenantName": names.get(tenant, tenant),
                 "createdDateUtc": created, "updatedDateUtc": created}
                for tenant in grant.tenant_ids if tenant in names]

    def disconnect(self, grant: Grant, connection_id: str) -> None:
        with self._lock:
            for tenant in list(grant.tenant_ids):
                if stable_id("connection", grant.client_id, tenant) == connection_id.lower():
                    grant.tenant_ids.remove(tenant)
                    return
        raise ProblemDetails(404, "Not Found", "Connection not found")

    # ------------------------------------------------------------ persistence
    def to_state(self) -> dict:
        return {"grants": {k: vars(g) for k, g in self.grants.items()}, "codes": self.codes,
                "access_tokens": self.access_tokens, "refresh_tokens": self.refresh_tokens}

    def load_state(self, state: dict) -> None:
        self.grants = {k: Grant(**v) for k, v in state.get("grants", {}).items()}
        self.codes = dict(state.get("codes", {}))
        self.access_tokens = dict(state.get("access_tokens", {}))
        self.refresh_tokens = dict(state.get("refresh_tokens", {}))
