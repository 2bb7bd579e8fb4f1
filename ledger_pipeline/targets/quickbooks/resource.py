"""QuickBooksResource: settings for one QuickBooks company, secrets from the environment.

    QuickBooksResource(client_id=dg.EnvVar("QBO_CLIENT_ID"), client_secret=dg.EnvVar("QBO_CLIENT_SECRET"),
                       realm_id="9130350000000001", environment="production",
                       token_encryption_key=dg.EnvVar("LEDGER_TOKEN_KEY"))
    client = resource.client()        # QuickBooksClient; target = resource.target() for the Poster

A sandbox is just another address: environment=<base>/.well-known/openid_configuration, api_base=<base>/v3.
"""

from __future__ import annotations

import dagster as dg
from pydantic import Field

from ledger_pipeline.posting.limiter import LimitSettings, shared_limiter
from ledger_pipeline.posting.retry import RetryPolicy
from ledger_pipeline.posting.token_store import TokenStore
from ledger_pipeline.targets.quickbooks.client import QuickBooksClient
from ledger_pipeline.targets.quickbooks.connection import QuickBooksConnection, api_base_for
from ledger_pipeline.targets.quickbooks.errors import TARGET
from ledger_pipeline.targets.quickbooks.target import QuickBooksTarget


class QuickBooksResource(dg.ConfigurableResource):
    client_id: str = Field(description="Intuit app client id.")
    client_secret: str = Field(description="Intuit app client secret; pass dg.EnvVar(...), never a literal.")
    realm_id: str = Field(description="The QuickBooks company (realm) id.")
    environment: str = Field("production", description="production | sandbox | URL of a discovery document.")
    api_base: str | None = Field(None, description="Accounting API base ending in /v3; derived from environment "
                                                   "when it is production or sandbox.")
    minorversion: int = Field(75, description="API minor version (Intuit serves everything below 75 as 75).")
    redirect_uri: str = Field("http://localhost:8000/callback", description="The app's redirect URI "
                                                                             "(unused by refreshes).")
    refresh_token: str | None = Field(None, description="Seeds the token store when it has nothing for this "
                                                        "realm; pass dg.EnvVar(...).")
    token_store_path: str | None = Field(None, description="SQLite token store; default outside the repo "
                                                           "($XDG_STATE_HOME/ledger_pipeline/tokens.sqlite3).")
    token_encryption_key: str | None = Field(None, description="Fernet key encrypting stored tokens; "
                                                               "dg.EnvVar('LEDGER_TOKEN_KEY').")
    requests_per_minute: int = Field(450, description="Client-side ceiling under Intuit's 500/min per realm.")
    max_concurrent: int = Field(8, description="Calls in flight, under Intuit's 10 per realm.")
    rate_window_seconds: float = Field(60.0, description="Length of the per-minute window (shorter only in tests).")
    timeout_seconds: float = Field(60.0, description="Per request; QuickBooks itself gives up after 120 s.")
    max_attempts: int = Field(8, description="Tries per call, counting the first.")
    backoff_seconds: float = Field(2.0, description="First wait after a 429/5xx without Retry-After; doubles.")
    max_backoff_seconds: float = Field(60.0, description="Longest single wait (Intuit: wait 60 s after a 429).")
    refresh_margin_seconds: float = Field(300.0, description="Refresh the access token this long before expiry.")

    def connection(self) -> QuickBooksConnection:
        store = TokenStore(self.token_store_path, self.token_encryption_key)
        return QuickBooksConnection(client_id=self.client_id, client_secret=self.client_secret,
                                    realm_id=self.realm_id, environment=self.environment,
                                    api_base=api_base_for(self.environment, self.api_base),
                                    minorversion=self.minorversion, store=store, redirect_uri=self.redirect_uri,
                                    timeout_seconds=self.timeout_seconds,
                                    refresh_margin_seconds=self.refresh_margin_seconds,
                                    seed_refresh_token=self.refresh_token)

    def client(self) -> QuickBooksClient:
        connection = self.connection()
        limiter = shared_limiter(TARGET, connection.api_base, self.realm_id,
                                 LimitSettings(per_minute=self.requests_per_minute, concurrent=self.max_concurrent,
                                               window_seconds=self.rate_window_seconds))
        policy = RetryPolicy(max_attempts=self.max_attempts, backoff_seconds=self.backoff_seconds,
                             max_backoff_seconds=self.max_backoff_seconds)
        return QuickBooksClient(connection, limiter, policy)

    def target(self) -> QuickBooksTarget:
        return QuickBooksTarget(self.client())
