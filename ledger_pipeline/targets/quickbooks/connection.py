"""python-quickbooks objects aimed at any base address, with tokens from the token store.

- `QuickBooksHttp`: python-quickbooks' `QuickBooks` with its transport replaced: a plain requests session
  per thread with a timeout (the library sends none), the HTTP status kept as a hint for classification
  (the library hides it), and no requests-oauthlib on the request path (it logs bearer tokens at DEBUG
  and refuses http:// without OAUTHLIB_INSECURE_TRANSPORT).
- `QuickBooksConnection`: a valid access token from the `TokenManager`; refresh through intuit-oauth's
  `AuthClient` (discovery document from `environment`: production, sandbox, or a URL), the rotated
  refresh token saved, then a NEW `QuickBooks` object (the old one keeps the old token).
"""

from __future__ import annotations

import threading
import time
import types
import warnings

import requests
from intuitlib.client import AuthClient
from intuitlib.exceptions import AuthClientError
from quickbooks import QuickBooks

from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.token_manager import TokenManager
from ledger_pipeline.posting.token_store import TokenSet, TokenStore
from ledger_pipeline.targets.quickbooks.errors import TARGET, refresh_error

PRODUCTION_API = "https://quickbooks.api.intuit.com/v3"
SANDBOX_API = "https://sandbox-quickbooks.api.intuit.com/v3"
_local = threading.local()


def last_status() -> int | None:
    """HTTP status of this thread's last QuickBooks answer."""
    return getattr(_local, "status", None)


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


class QuickBooksHttp(QuickBooks):
    timeout: float = 60.0

    def process_request(self, request_type, url, headers="", params="", data=""):
        headers = dict(headers or {})
        headers["Authorization"] = "Bearer " + self.session.access_token
        _local.status = None
        response = _session().request(request_type, url, headers=headers, params=params, data=data,
                                      timeout=self.timeout)
        _local.status = response.status_code
        return response


def api_base_for(environment: str, api_base: str | None) -> str:
    if api_base:
        return api_base.rstrip("/")
    if environment in ("production", "prod"):
        return PRODUCTION_API
    if environment in ("sandbox", "sand"):
        return SANDBOX_API
    raise ValueError("api_base is required when environment is a discovery-document URL")


class QuickBooksConnection:
    def __init__(self, *, client_id: str, client_secret: str, realm_id: str, environment: str, api_base: str,
                 minorversion: int, store: TokenStore, redirect_uri: str = "http://localhost/callback",
                 timeout_seconds: float = 60.0, refresh_margin_seconds: float = 300.0,
                 seed_refresh_token: str | None = None, clock=time.time):
        self.client_id = client_id
        self._client_secret = client_secret
        self.realm_id = realm_id
        self.environment = environment
        self.api_base = api_base.rstrip("/")
        self.minorversion = minorversion
        self.redirect_uri = redirect_uri
        self.timeout_seconds = timeout_seconds
        self._clock = clock
        self.tokens = TokenManager(store, TARGET, realm_id, self._refresh, margin_seconds=refresh_margin_seconds,
                                   clock=clock, seed_refresh_token=seed_refresh_token)
        self._auth: AuthClient | None = None
        self._qb: QuickBooksHttp | None = None
        self._qb_tokens: TokenSet | None = None
        self._lock = threading.Lock()

    def secrets(self) -> tuple[str, ...]:
        return (self._client_secret, *self.tokens.secrets())

    # --- the QuickBooks object ------------------------------------------------------------------------
    def qb(self) -> QuickBooksHttp:
        """The QuickBooks object for the current access token (a new one after every refresh)."""
        tokens = self.tokens.current()
        with self._lock:
            if self._qb is None or self._qb_tokens is None or self._qb_tokens.access_token != tokens.access_token:
                self._qb = self._build(tokens)
                self._qb_tokens = tokens
            _local.tokens = tokens
            return self._qb

    def rejected(self) -> None:
        """The last call on this thread got a 401: refresh (once for all threads) and rebuild."""
        self.tokens.after_rejection(getattr(_local, "tokens", None))

    def _build(self, tokens: TokenSet) -> QuickBooksHttp:
        # python-quickbooks only reads these four attributes; the real AuthClient is needed for refresh only
        auth = types.SimpleNamespace(environment="ledger_pipeline", client_id=self.client_id,
                                     access_token=tokens.access_token, refresh_token=tokens.refresh_token)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            qb = QuickBooksHttp(auth_client=auth, refresh_token=tokens.refresh_token, company_id=self.realm_id,
                                minorversion=self.minorversion)
        qb.api_url_v3 = qb.sandbox_api_url_v3 = self.api_base  # instance attributes shadow Intuit's URLs
        qb.use_decimal = True  # amounts come back as Decimal, never float
        qb.timeout = self.timeout_seconds
        return qb

    # --- refresh (called by the TokenManager under its locks) -----------------------------------------------
    def _auth_client(self) -> AuthClient:
        if self._auth is None:
            # reads the discovery document (production, sandbox, or the URL given) for the token endpoint
            self._auth = AuthClient(self.client_id, self._client_secret, self.redirect_uri,
                                    environment=self.environment)
        return self._auth

    def _refresh(self, tokens: TokenSet) -> TokenSet:
        try:
            auth = self._auth_client()
            auth.refresh(refresh_token=tokens.refresh_token)
        except AuthClientError as exc:
            raise refresh_error(exc, (self._client_secret, *tokens.secrets())) from None
        except requests.RequestException:
            raise TargetError(TARGET, ErrorKind.TRANSIENT, "cannot reach Intuit's token service",
                              code="connection") from None
        return token_set(auth, self.realm_id, self._clock())


def token_set(auth: AuthClient, realm_id: str, now: float) -> TokenSet:
    """What intuit-oauth got from Intuit's token endpoint (a code exchange or a refresh), as we store it."""
    return TokenSet(auth.access_token, auth.refresh_token,
                    expires_at=now + float(auth.expires_in or 3600),
                    refresh_expires_at=(now + float(auth.x_refresh_token_expires_in)
                                        if auth.x_refresh_token_expires_in else None),
                    extra={"realm_id": realm_id})
