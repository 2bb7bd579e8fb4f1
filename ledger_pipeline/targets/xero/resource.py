"""XeroResource: settings for one Xero organisation, secrets from the environment.

    XeroResource(client_id=dg.EnvVar("XERO_CLIENT_ID"), client_secret=dg.EnvVar("XERO_CLIENT_SECRET"),
                 tenant_id="...", token_encryption_key=dg.EnvVar("LEDGER_TOKEN_KEY"))
    client = resource.client()        # XeroClient; target = resource.target() for the Poster

A sandbox is just another address: identity_base=api_base=<sandbox base URL>.
"""

from __future__ import annotations

import dagster as dg
from pydantic import Field

from ledger_pipeline.posting.limiter import LimitSettings, shared_limiter
from ledger_pipeline.posting.retry import RetryPolicy
from ledger_pipeline.posting.token_store import TokenStore
from ledger_pipeline.targets.xero.client import XeroClient
from ledger_pipeline.targets.xero.connection import DEFAULT_SCOPES, XeroConnection
from ledger_pipeline.targets.xero.errors import TARGET
from ledger_pipeline.targets.xero.target import XeroTarget


class XeroResource(dg.ConfigurableResource):
    client_id: str = Field(description="Xero app client id.")
    client_secret: str = Field(description="Xero app client secret; pass dg.EnvVar(...), never a literal.")
    tenant_id: str = Field(description="The Xero organisation (tenant) id.")
    identity_base: str = Field("https://identity.xero.com", description="Identity service (token endpoint) base.")
    api_base: str = Field("https://api.xero.com", description="API base: /api.xro/2.0 and /connections below it.")
    scopes: str = Field(DEFAULT_SCOPES, description="Scopes sent with a refresh.")
    refresh_token: str | None = Field(None, description="Seeds the token store when it has nothing for this "
                                                        "tenant; pass dg.EnvVar(...).")
    token_store_path: str | None = Field(None, description="SQLite token store; default outside the repo "
                                                           "($XDG_STATE_HOME/ledger_pipeline/tokens.sqlite3).")
    token_encryption_key: str | None = Field(None, description="Fernet key encrypting stored tokens; "
                                                               "dg.EnvVar('LEDGER_TOKEN_KEY').")
    calls_per_minute: int = Field(55, description="Client-side ceiling under Xero's 60/min per tenant.")
    max_concurrent: int = Field(4, description="Calls in flight, under Xero's 5 per tenant.")
    calls_per_day: int = Field(5000, description="Xero's daily limit per tenant (depends on the app's plan).")
    min_calls_left: int = Field(50, description="Stop before the daily budget goes below this (kept for "
                                                "read-back and fixes).")
    rate_window_seconds: float = Field(60.0, description="Length of the per-minute window (shorter only in tests).")
    timeout_seconds: float = Field(60.0, description="Per request.")
    max_attempts: int = Field(8, description="Tries per call, counting the first.")
    backoff_seconds: float = Field(2.0, description="First wait after a 5xx/429 without Retry-After; doubles.")
    max_backoff_seconds: float = Field(60.0, description="Longest single backoff wait.")
    max_retry_after_seconds: float = Field(300.0, description="A longer Retry-After is not waited for: the call "
                                                              "fails as not sent.")
    refresh_margin_seconds: float = Field(300.0, description="Refresh the access token this long before expiry.")

    def connection(self) -> XeroConnection:
        return XeroConnection(client_id=self.client_id, client_secret=self.client_secret, tenant_id=self.tenant_id,
                              identity_base=self.identity_base, api_base=self.api_base,
                              store=TokenStore(self.token_store_path, self.token_encryption_key),
                              timeout_seconds=self.timeout_seconds,
                              refresh_margin_seconds=self.refresh_margin_seconds,
                              seed_refresh_token=self.refresh_token, scopes=self.scopes,
                              max_connections=self.max_concurrent)

    def client(self) -> XeroClient:
        connection = self.connection()
        limiter = shared_limiter(TARGET, connection.api_base, self.tenant_id,
                                 LimitSettings(per_minute=self.calls_per_minute, concurrent=self.max_concurrent,
                                               window_seconds=self.rate_window_seconds, per_day=self.calls_per_day,
                                               min_calls_left=self.min_calls_left))
        policy = RetryPolicy(max_attempts=self.max_attempts, backoff_seconds=self.backoff_seconds,
                             max_backoff_seconds=self.max_backoff_seconds,
                             max_retry_after_seconds=self.max_retry_after_seconds)
        return XeroClient(connection, limiter, policy)

    def target(self) -> XeroTarget:
        return XeroTarget(self.client())
