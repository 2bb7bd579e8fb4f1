"""Intuit OAuth 2.0 as intuit-oauth uses it: discovery, consent (automatic), tokens, refresh, revoke.

Access tokens live one hour and refresh tokens 100 days, both on the sandbox clock. Each refresh returns
a new refresh token and spends the old one; a spent, revoked or unknown one gets 400 invalid_grant.
"""

from __future__ import annotations

import base64
import secrets
import threading
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit, parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from . import errors

ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 8_726_400  # 101 days, what Intuit reports in x_refresh_token_expires_in
CODE_SECONDS = 600
ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"


@dataclass
class Token:
    client_id: str
    realm_id: str
    grant: str      # one consent; revoking any of its tokens revokes them all
    scope: str
    expires_at: float
    spent: bool = False
    revoked: bool = False


class OAuthState:
    def __init__(self, clients: dict[str, str], clock: Any, realms: Any):
        self.clients = dict(clients)
        self.clock = clock
        self.realms = realms  # callable: the realm ids that exist
        self.codes: dict[str, dict[str, Any]] = {}
        self.access: dict[str, Token] = {}
        self.refresh_tokens: dict[str, Token] = {}
        self.lock = threading.Lock()

    # --- issuing ------------------------------------------------------------------------------------
    def _pair(self, client_id: str, realm_id: str, grant: str, scope: str) -> dict[str, Any]:
        now = self.clock.now()
        access = "qbo-at-" + secrets.token_urlsafe(24)
        refresh = "qbo-rt-" + secrets.token_urlsafe(24)
        self.access[access] = Token(client_id, realm_id, grant, scope, now + ACCESS_TOKEN_SECONDS)
        self.refresh_tokens[refresh] = Token(client_id, realm_id, grant, scope, now + REFRESH_TOKEN_SECONDS)
        return {"token_type": "bearer", "access_token": access, "refresh_token": refresh,
                "expires_in": ACCESS_TOKEN_SECONDS, "x_refresh_token_expires_in": REFRESH_TOKEN_SECONDS}

    def issue(self, realm_id: str, client_id: str | None = None, scope: str = ACCOUNTING_SCOPE) -> dict[str, Any]:
        """Tokens without the consent dance (tests, the demo)."""
        client_id = client_id or next(iter(self.clients))
        if client_id not in self.clients:
            raise KeyError(f"unknown client {client_id!r}")
        if realm_id not in self.realms():
            raise KeyError(f"unknown realm {realm_id!r}")
        with self.lock:
            return {**self._pair(client_id, realm_id, secrets.token_hex(8), scope), "realm_id": realm_id}

    def authorize(self, client_id: str, redirect_uri: str, scope: str, realm_id: str) -> str:
        code = "qbo-code-" + secrets.token_urlsafe(18)
        with self.lock:
            self.codes[code] = {"client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
                                "realm_id": realm_id, "expires_at": self.clock.now() + CODE_SECONDS}
        return code

    def exchange_code(self, client_id: str, code: str, redirect_uri: str) -> dict[str, Any]:
        with self.lock:
            grant = self.codes.pop(code, None)  # single use
            if (grant is None or grant["client_id"] != client_id or grant["redirect_uri"] != redirect_uri
                    or grant["expires_at"] < self.clock.now()):
                raise ValueError("invalid_grant")
            return self._pair(client_id, grant["realm_id"], secrets.token_hex(8), grant["scope"])

    def refresh(self, client_id: str, refresh_token: str) -> dict[str, Any]:
        with self.lock:
            token = self.refresh_tokens.get(refresh_token)
            if (token is None or token.spent or token.revoked or token.client_id != client_id
                    or token.expires_at < self.clock.now()):
                raise ValueError("invalid_grant")
            token.spent = True  # rotation: the old refresh token is single use
            return self._pair(client_id, token.realm_id, token.grant, token.scope)

    def revoke(self, client_id: str, token_value: str) -> None:
        with self.lock:
            token = self.refresh_tokens.get(token_value) or self.access.get(token_value)
            if token is None or token.client_id != client_id:
                return
            for table in (self.access, self.refresh_tokens):
                for other in table.values():
                    if other.grant == token.grant:
                        other.revoked = True

    # --- checking -----------------------------------------------------------------------------------
    def check_bearer(self, header: str | None, realm_id: str) -> Token:
        if not header or not header.lower().startswith("bearer "):
            raise errors.auth_fault("Authorization header is missing or not a Bearer token")
        with self.lock:
            token = self.access.get(header[7:].strip())
        if token is None:
            raise errors.auth_fault("Token invalid")
        if token.revoked:
            raise errors.auth_fault("Token revoked")
        if token.expires_at <= self.clock.now():
            raise errors.auth_fault("Token expired")
        if token.realm_id != realm_id:
            raise errors.forbidden_realm(realm_id)
        return token

    def client_from_basic(self, header: str | None) -> str | None:
        if not header or not header.lower().startswith("basic "):
            return None
        try:
            client_id, _, secret = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return client_id if self.clients.get(client_id) == secret else None

    # --- persistence --------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        with self.lock:
            return {"clients": dict(self.clients),
                    "access": {k: asdict(v) for k, v in self.access.items()},
                    "refresh": {k: asdict(v) for k, v in self.refresh_tokens.items()}}

    def load(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.clients.update(data.get("clients", {}))
            self.access.update({k: Token(**v) for k, v in data.get("access", {}).items()})
            self.refresh_tokens.update({k: Token(**v) for k, v in data.get("refresh", {}).items()})


def _oauth_error(error: str, status: int = 400, description: str = "") -> JSONResponse:
    body = {"error": error}
    if description:
        body["error_description"] = description
    return JSONResponse(body, status_code=status)


def routes(sandbox: Any) -> list[Route]:
    state: OAuthState = sandbox.oauth

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    async def discovery(request: Request) -> Response:
        root = base(request)
        return JSONResponse({
            "issuer": root,
            "authorization_endpoint": root + "/oauth2/v1/authorize",
            "token_endpoint": root + "/oauth2/v1/tokens/bearer",
            "userinfo_endpoint": root + "/v1/openid_connect/userinfo",
            "revocation_endpoint": root + "/oauth2/v1/tokens/revoke",
            "jwks_uri": root + "/op/v1/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile", "address", "phone", ACCOUNTING_SCOPE,
                                 "com.intuit.quickbooks.payment"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
        })

    async def authorize(request: Request) -> Response:
        """Consent is automatic: redirect straight back with a code, the state and the realm."""
        q = request.query_params
        client_id, redirect_uri = q.get("client_id", ""), q.get("redirect_uri", "")
        if client_id not in state.clients:
            return _oauth_error("invalid_client", 400, "Unknown client_id")
        if not redirect_uri:
            return _oauth_error("invalid_request", 400, "redirect_uri is required")
        realm_id = q.get("realm_id") or q.get("realmId") or sandbox.default_realm
        extra = {"state": q["state"]} if "state" in q else {}
        if q.get("response_type") != "code":
            return RedirectResponse(_add_query(redirect_uri, {"error": "unsupported_response_type", **extra}), 302)
        if realm_id not in sandbox.companies:
            return _oauth_error("invalid_request", 400, f"Unknown realm {realm_id}")
        code = state.authorize(client_id, redirect_uri, q.get("scope", ""), realm_id)
        return RedirectResponse(_add_query(redirect_uri, {"code": code, **extra, "realmId": realm_id}), 302)

    async def token(request: Request) -> Response:
        injected = sandbox.faults.draw("POST", request.url.path)
        if injected is not None:  # Intuit's token service has bad minutes too
            sandbox.stats.oauth("faults_injected")
            return JSONResponse({"error": "server_error"}, status_code=injected.status if injected.status >= 400
                                else 503, headers=injected.headers)
        sandbox.stats.oauth("token_requests")
        client_id = state.client_from_basic(request.headers.get("authorization"))
        form = await _form(request)
        if client_id is None:  # client_secret_post as a fallback
            cid, secret = form.get("client_id"), form.get("client_secret")
            client_id = cid if cid and state.clients.get(cid) == secret else None
        if client_id is None:
            return _oauth_error("invalid_client", 401)
        grant_type = form.get("grant_type")
        try:
            if grant_type == "authorization_code":
                return JSONResponse(state.exchange_code(client_id, str(form.get("code", "")),
                                                        str(form.get("redirect_uri", ""))))
            if grant_type == "refresh_token":
                return JSONResponse(state.refresh(client_id, str(form.get("refresh_token", ""))))
        except ValueError:
            sandbox.stats.oauth("invalid_grant")
            return _oauth_error("invalid_grant")
        return _oauth_error("unsupported_grant_type")

    async def revoke(request: Request) -> Response:
        client_id = state.client_from_basic(request.headers.get("authorization"))
        if client_id is None:
            return _oauth_error("invalid_client", 401)
        try:
            body = await request.json()
        except ValueError:
            body = await _form(request)
        value = (body or {}).get("token")
        if not value:
            return _oauth_error("invalid_request", 400, "token is required")
        state.revoke(client_id, str(value))
        return Response(status_code=200)

    async def userinfo(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        with state.lock:
            token = state.access.get(header[7:].strip()) if header.lower().startswith("bearer ") else None
        if token is None or token.revoked or token.expires_at <= state.clock.now():
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse({"sub": "sandbox-" + token.grant, "email": "sandbox.user@example.invalid",
                             "emailVerified": True, "givenName": "Sandbox", "familyName": "User",
                             "realmid": token.realm_id})

    async def jwks(request: Request) -> Response:
        return JSONResponse({"keys": []})

    return [
        Route("/.well-known/openid_configuration", discovery, methods=["GET"]),
        Route("/.well-known/openid-configuration", discovery, methods=["GET"]),
        Route("/oauth2/v1/authorize", authorize, methods=["GET"]),
        Route("/connect/oauth2", authorize, methods=["GET"]),
        Route("/oauth2/v1/tokens/bearer", token, methods=["POST"]),
        Route("/oauth2/v1/tokens/revoke", revoke, methods=["POST"]),
        Route("/v1/openid_connect/userinfo", userinfo, methods=["GET"]),
        Route("/op/v1/jwks", jwks, methods=["GET"]),
    ]


async def _form(request: Request) -> dict[str, str]:
    """Form-encoded body, parsed by hand (Starlette's form parser needs python-multipart)."""
    return dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))


def _add_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))

