"""xero-python's ApiClient aimed at any identity/API base, tokens from the token store, no hidden retries.

- The token getter hands xero-python a token from the `TokenManager` (refreshed 5 minutes before expiry,
  so xero-python's own 60-second refresh never triggers); the saver keeps any token xero-python
  refreshed itself. Refreshes go through xero-python's TokenApi, with the token URL set on the instance
  (`TokenApi.refresh_token_url` is a class attribute: we do not patch it for the whole process).
- urllib3's default Retry(3) is replaced by no retries at all: xero-python would otherwise re-send a PUT
  after a 429 and sleep Retry-After first (hours, on the daily limit). Retries are ours (posting.retry).
- Every answer's headers go to `observer` (X-DayLimit-Remaining feeds the daily budget).
- xero-python's `Configuration(...)` returns a copy of the first Configuration ever made, ignoring its
  arguments; ours is built past that metaclass (and does not become anyone's default).
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

import certifi
import urllib3
from xero_python.accounting import AccountingApi
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.exceptions import ApiException
from xero_python.identity import IdentityApi

from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.token_manager import TokenManager
from ledger_pipeline.posting.token_store import TokenSet, TokenStore
from ledger_pipeline.targets.xero.errors import TARGET, BrokenAnswer

DEFAULT_SCOPES = ("offline_access accounting.transactions accounting.contacts accounting.settings "
                  "accounting.reports.read")
NO_RETRIES = urllib3.Retry(total=0, connect=0, read=0, redirect=0, status=0, other=0,
                           respect_retry_after_header=False, raise_on_redirect=False, raise_on_status=False)
_local = threading.local()


class _OAuth2Token(OAuth2Token):
    def __init__(self, *, token_url: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.token_url = token_url

    def token_api(self, api_client: ApiClient) -> TokenApi:
        api = TokenApi(api_client, self.client_id, self.client_secret)
        api.refresh_token_url = self.token_url  # instance attribute, not the class-wide one
        return api

    def refresh_access_token(self, api_client: ApiClient) -> bool:
        if not self.can_refresh_access_token():
            return False
        new_token = self.fetch_access_token(self.token_api(api_client))
        self.update_token(**new_token)
        api_client.set_oauth2_token(new_token)
        return True


class _ApiClient(ApiClient):
    observer: Callable[[dict[str, str]], None] | None = None

    def request(self, *args: Any, **kwargs: Any):
        try:
            response = super().request(*args, **kwargs)
        except ApiException as exc:
            self._observe(exc.headers)
            raise
        self._observe(response.getheaders())
        return response

    def deserialize(self, response: Any, response_type: Any, response_model_finder: Any) -> Any:
        try:
            return super().deserialize(response, response_type, response_model_finder)
        except (ValueError, TypeError, KeyError) as exc:
            raise BrokenAnswer(f"Xero's answer could not be read ({type(exc).__name__})") from None

    def _observe(self, headers: Any) -> None:
        if self.observer is not None and headers:
            self.observer({str(k).lower(): str(v) for k, v in dict(headers).items()})


def to_xero_token(tokens: TokenSet, scopes: str) -> dict[str, Any]:
    """The dict xero-python's OAuth2Token.update_token() takes (and nothing else: extra keys raise)."""
    extra = tokens.extra
    return {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token,
            "token_type": extra.get("token_type", "Bearer"), "expires_in": extra.get("expires_in", 1800),
            "expires_at": tokens.expires_at, "scope": list(extra.get("scope") or scopes.split()),
            "id_token": extra.get("id_token")}


def from_xero_token(token: dict[str, Any]) -> TokenSet:
    scope = token.get("scope") or []
    return TokenSet(token.get("access_token"), token["refresh_token"], token.get("expires_at"), None,
                    {"token_type": token.get("token_type", "Bearer"), "expires_in": token.get("expires_in"),
                     "scope": scope.split() if isinstance(scope, str) else list(scope),
                     "id_token": token.get("id_token")})


class XeroConnection:
    def __init__(self, *, client_id: str, client_secret: str, tenant_id: str, identity_base: str, api_base: str,
                 store: TokenStore, timeout_seconds: float = 60.0, refresh_margin_seconds: float = 300.0,
                 seed_refresh_token: str | None = None, scopes: str = DEFAULT_SCOPES, max_connections: int = 5,
                 clock: Callable[[], float] = time.time):
        self.tenant_id = tenant_id
        self.identity_base = identity_base.rstrip("/")
        self.api_base = api_base.rstrip("/")
        self.scopes = scopes
        self.timeout_seconds = timeout_seconds
        self._client_secret = client_secret
        self.tokens = TokenManager(store, TARGET, tenant_id, self._refresh, margin_seconds=refresh_margin_seconds,
                                   clock=clock, seed_refresh_token=seed_refresh_token)
        oauth = _OAuth2Token(token_url=self.identity_base + "/connect/token", client_id=client_id,
                             client_secret=client_secret)
        # Configuration's metaclass hands out copies of the FIRST Configuration ever built, whatever the
        # arguments: build ours past the metaclass, so it holds our token and leaves the default alone.
        configuration = type.__call__(Configuration, oauth2_token=oauth)
        self.api_client = _ApiClient(configuration, pool_threads=1,
                                     oauth2_token_getter=self._get_token, oauth2_token_saver=self._save_token)
        self.api_client.rest_client.pool_manager = urllib3.PoolManager(
            num_pools=4, maxsize=max(1, max_connections), cert_reqs=ssl.CERT_REQUIRED, ca_certs=certifi.where(),
            retries=NO_RETRIES, timeout=urllib3.Timeout(connect=min(10.0, timeout_seconds), read=timeout_seconds))
        self.accounting = AccountingApi(self.api_client, base_url=self.api_base + "/api.xro/2.0")
        self.identity = IdentityApi(self.api_client, base_url=self.api_base)

    def secrets(self) -> tuple[str, ...]:
        return (self._client_secret, *self.tokens.secrets())

    @property
    def request_timeout(self) -> tuple[float, float]:
        return (min(10.0, self.timeout_seconds), self.timeout_seconds)

    # --- token getter / saver wired to the store ----------------------------------------------------
    def _get_token(self) -> dict[str, Any]:
        tokens = self.tokens.current()
        _local.tokens = tokens
        return to_xero_token(tokens, self.scopes)

    def _save_token(self, token: dict[str, Any]) -> None:
        self.tokens.save_rotated(from_xero_token(token))

    def rejected(self) -> None:
        """The last call on this thread got a 401: refresh (once for all threads)."""
        self.tokens.after_rejection(getattr(_local, "tokens", None))

    def _refresh(self, tokens: TokenSet) -> TokenSet:
        oauth = self.api_client.configuration.oauth2_token
        holder = _OAuth2Token(token_url=oauth.token_url, client_id=oauth.client_id, client_secret=oauth.client_secret)
        current = to_xero_token(tokens, self.scopes)
        holder.update_token(**{**current, "access_token": current["access_token"] or ""})
        try:
            token = holder.fetch_access_token(holder.token_api(self.api_client))
        except ApiException as exc:
            status = getattr(exc, "status", None)
            if isinstance(status, int) and status >= 500:
                raise TargetError(TARGET, ErrorKind.TRANSIENT, f"Xero's identity service failed (HTTP {status})",
                                  code=str(status)) from None
            raise TargetError(TARGET, ErrorKind.NOT_CONNECTED, f"Xero refused to refresh the token (HTTP {status})",
                              code=str(status)) from None
        except urllib3.exceptions.HTTPError as exc:
            raise TargetError(TARGET, ErrorKind.TRANSIENT, "cannot reach Xero's identity service",
                              code="connection") from exc
        return from_xero_token(token)
