"""The project's one configuration file (`ledger_pipeline.yaml`) plus environment overrides, validated.

Secrets never live here: the file names the environment variables that hold them.
Environment overrides (handy for pointing the same runs at real services, `ledger-pipeline sandbox serve`,
or the demo's in-process sandboxes):
  LEDGER_PIPELINE_CONFIG   path of the config file (default: ./ledger_pipeline.yaml)
  LEDGER_WAREHOUSE_DIR     warehouse.directory
  LEDGER_STRIPE_API_BASE   stripe.api_base
  LEDGER_MAPPINGS_DIR      mappings.directory
  LEDGER_QUICKBOOKS_BASE   quickbooks.base_url (one server for OAuth discovery and the API: a sandbox)
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_CONFIG = "ledger_pipeline.yaml"
CONNECTED_SEPARATOR = "."  # tenant key of a connected account: "<platform tenant>.<acct_id>"
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,62}$")


class ConfigError(ValueError):
    """The configuration is wrong; the message names the file, the setting and the fix."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WarehouseSettings(_Model):
    directory: str = ".ledger/warehouse"


class MappingSettings(_Model):
    # One YAML per tenant (`<tenant>.yaml`, or `<platform>.connected.yaml` for connected accounts without
    # their own). A relative folder is read next to the configuration file, where it is reviewed with it.
    directory: str = "mappings"


class StripeSettings(_Model):
    api_base: str = "https://api.stripe.com"
    api_key_env: str = "STRIPE_API_KEY"
    requests_per_second: float = Field(20.0, gt=0)   # stay under Stripe's 25/s (test) or 100/s (live)
    max_concurrency: int = Field(8, ge=1, le=64)
    timeout_seconds: float = Field(30.0, gt=0)
    max_retries: int = Field(6, ge=0)
    backoff_seconds: float = Field(0.5, ge=0)        # first retry wait; doubles, with jitter
    window_splits: int = Field(8, ge=1, le=96)       # a day is fetched as this many concurrent windows
    events_retention_days: int = Field(30, ge=1)     # Stripe keeps events for 30 days
    mutable_lookback_days: int = Field(35, ge=0)     # re-list mutable objects this far back

    @field_validator("api_base")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


class QuickBooksSettings(_Model):
    """How to reach QuickBooks Online. Which company a tenant posts to is its mapping's `books.company`."""

    # One server for both OAuth discovery and the API (the sandbox: http://127.0.0.1:12112); when unset,
    # `environment` picks Intuit's discovery document and `api_base` (or Intuit's production API) is used.
    base_url: str | None = None
    environment: str = "production"                  # production | sandbox | URL of a discovery document
    api_base: str | None = None                      # accounting API base ending in /v3
    client_id_env: str = "QBO_CLIENT_ID"
    client_secret_env: str = "QBO_CLIENT_SECRET"
    token_store: str | None = None                   # SQLite file outside the repo; default $XDG_STATE_HOME/...
    token_key_env: str | None = "LEDGER_TOKEN_KEY"   # Fernet key for stored tokens; null: stored unencrypted
    minorversion: int = Field(75, ge=1)
    requests_per_minute: int = Field(450, ge=1)      # per realm, under Intuit's 500/min
    batch_requests_per_minute: int = Field(36, ge=1) # per realm, under Intuit's 40 batch requests/min
    max_concurrent: int = Field(8, ge=1, le=10)      # in flight per realm, under Intuit's 10
    batch_size: int = Field(30, ge=1, le=30)         # objects per batch request (Intuit: 30)
    timeout_seconds: float = Field(60.0, gt=0)
    max_attempts: int = Field(8, ge=1)
    backoff_seconds: float = Field(2.0, ge=0)        # first wait after a 429/5xx; doubles, with jitter
    max_backoff_seconds: float = Field(60.0, ge=0)   # Intuit: wait 60 s after a 429

    @field_validator("base_url", "api_base")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @property
    def discovery(self) -> str:
        """What intuit-oauth's AuthClient takes as `environment`: a name or a discovery document's URL."""
        return f"{self.base_url}/.well-known/openid_configuration" if self.base_url else self.environment

    @property
    def api(self) -> str | None:
        return self.api_base or (f"{self.base_url}/v3" if self.base_url else None)


class XeroSettings(_Model):
    """How to reach Xero. Which organisation a tenant posts to is its mapping's `books.company` (tenant id)."""

    # One server for identity and API (the sandbox: http://127.0.0.1:12113); when unset, Xero's own.
    base_url: str | None = None
    identity_base: str = "https://identity.xero.com"  # token endpoint base
    api_base: str = "https://api.xero.com"            # /api.xro/2.0 and /connections below it
    client_id_env: str = "XERO_CLIENT_ID"
    client_secret_env: str = "XERO_CLIENT_SECRET"
    token_store: str | None = None                   # SQLite file outside the repo; default $XDG_STATE_HOME/...
    token_key_env: str | None = "LEDGER_TOKEN_KEY"   # Fernet key for stored tokens; null: stored unencrypted
    calls_per_minute: int = Field(55, ge=1, le=60)   # per organisation, under Xero's 60/min
    max_concurrent: int = Field(4, ge=1, le=5)       # in flight per organisation, under Xero's 5
    calls_per_day: int = Field(5000, ge=1)           # Xero's daily limit per organisation
    min_calls_left: int = Field(50, ge=0)            # stop posting with this many left (read-back, fixes)
    batch_size: int = Field(50, ge=1, le=50)         # objects per request (Xero: up to 50)
    timeout_seconds: float = Field(60.0, gt=0)
    max_attempts: int = Field(8, ge=1)
    backoff_seconds: float = Field(2.0, ge=0)        # first wait after a 5xx/429 without Retry-After
    max_backoff_seconds: float = Field(60.0, ge=0)

    @field_validator("base_url", "identity_base", "api_base")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @property
    def identity(self) -> str:
        return self.base_url or self.identity_base

    @property
    def api(self) -> str:
        return self.base_url or self.api_base


class TenantSettings(_Model):
    key: str
    name: str = ""
    stripe_account: str | None = None                # None: the API key's own account
    connected_accounts: Literal["discover", "none"] | list[str] = "none"
    timezone: str = "UTC"

    @field_validator("key")
    @classmethod
    def _key_shape(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError("tenant key must be lowercase letters, digits, '_' or '-' (at most 63)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r} (use an IANA name like Europe/Paris)") from exc
        return value


class Tenant(_Model):
    """One set of books: a Stripe account (or a platform's connected account) and its reporting zone."""

    key: str
    stripe_account: str | None
    timezone: str = "UTC"
    platform_key: str | None = None

    def day_window(self, day: dt.date) -> tuple[int, int]:
        """[start, end) of the tenant's reporting day as unix seconds (the partition's Stripe window)."""
        zone = ZoneInfo(self.timezone)
        start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        return int(start.timestamp()), int(end.timestamp())


class WebhookReceiverSettings(_Model):
    host: str = "127.0.0.1"                          # loopback: put a TLS proxy in front to reach it
    port: int = Field(12114, ge=1, le=65535)
    tolerance_seconds: int = Field(300, ge=1)        # older signatures are refused (Stripe's default)
    signing_secret_env: str = "STRIPE_WEBHOOK_SECRET"
    # A platform tenant whose endpoint has its own signing secret: tenant key -> variable holding it.
    signing_secret_envs: dict[str, str] = {}

    def secret_env(self, tenant_key: str) -> str:
        return self.signing_secret_envs.get(tenant_key, self.signing_secret_env)


class AutomationSettings(_Model):
    # The daily run of each tenant's last complete day starts at this UTC time, after Stripe's payout cut-off.
    daily_run_hour_utc: int = Field(6, ge=0, le=23)
    daily_run_minute: int = Field(0, ge=0, le=59)
    events_poll_seconds: int = Field(30, ge=10, le=600)
    # Webhook inbox and sent-alerts ledger (SQLite); default: <warehouse.directory>/automation.sqlite3.
    state_file: str | None = None
    webhooks: WebhookReceiverSettings = WebhookReceiverSettings()


class SlackAlertSettings(_Model):
    channel: str
    token_env: str = "SLACK_BOT_TOKEN"
    api_base: str | None = None                      # Slack's own unless set (a test receiver, a proxy)


class WebhookAlertSettings(_Model):
    url: str | None = None
    url_env: str | None = None                       # when the URL carries a token, keep it in the environment

    @model_validator(mode="after")
    def _one_url(self) -> "WebhookAlertSettings":
        if (self.url is None) == (self.url_env is None):
            raise ValueError("give exactly one of `url` or `url_env`")
        return self


class EmailAlertSettings(_Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    from_address: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    username: str | None = None
    password_env: str | None = None


class AlertRoute(_Model):
    slack: SlackAlertSettings | None = None
    webhook: WebhookAlertSettings | None = None
    email: EmailAlertSettings | None = None


class AlertSettings(_Model):
    webserver_base_url: str = "http://127.0.0.1:3000"  # runs are linked as <this>/runs/<run id>
    timeout_seconds: float = Field(10.0, gt=0)
    # Tenant key -> where its alerts go. A connected account without its own entry uses its platform's;
    # "*" covers every tenant without one.
    tenants: dict[str, AlertRoute] = {}

    @field_validator("webserver_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


class ProjectConfig(_Model):
    start_date: dt.date = dt.date(2026, 1, 1)        # first day partition
    warehouse: WarehouseSettings = WarehouseSettings()
    stripe: StripeSettings = StripeSettings()
    quickbooks: QuickBooksSettings = QuickBooksSettings()
    xero: XeroSettings = XeroSettings()
    mappings: MappingSettings = MappingSettings()
    automation: AutomationSettings = AutomationSettings()
    alerts: AlertSettings = AlertSettings()
    tenants: list[TenantSettings] = []

    @model_validator(mode="after")
    def _unique_keys(self) -> "ProjectConfig":
        keys = [t.key for t in self.tenants]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"tenant keys must be unique; repeated: {', '.join(dupes)}")
        return self

    def tenant(self, key: str) -> Tenant:
        """Resolve a tenant partition key, including a connected account's `<platform>.<acct_id>`."""
        platform_key, _, account = key.partition(CONNECTED_SEPARATOR)
        for settings in self.tenants:
            if settings.key != platform_key:
                continue
            if not account:
                return Tenant(key=key, stripe_account=settings.stripe_account, timezone=settings.timezone)
            allowed = settings.connected_accounts
            if allowed == "none" or (isinstance(allowed, list) and account not in allowed):
                break
            return Tenant(key=key, stripe_account=account, timezone=settings.timezone,
                          platform_key=platform_key)
        raise ConfigError(
            f"tenant {key!r} is not in the configuration: add it under `tenants:` in {config_path()}"
            " (connected accounts need `connected_accounts: discover` or their id listed on the platform)"
        )

    def configured_tenant_keys(self) -> list[str]:
        keys: list[str] = []
        for settings in self.tenants:
            keys.append(settings.key)
            if isinstance(settings.connected_accounts, list):
                keys += [connected_tenant_key(settings.key, acct) for acct in settings.connected_accounts]
        return keys


def connected_tenant_key(platform_key: str, account_id: str) -> str:
    return f"{platform_key}{CONNECTED_SEPARATOR}{account_id}"


def config_path() -> Path:
    return Path(os.environ.get("LEDGER_PIPELINE_CONFIG", DEFAULT_CONFIG))


def load_config(path: Path | str | None = None) -> ProjectConfig:
    """Read and validate the config file (missing file = defaults), then apply environment overrides."""
    path = Path(path) if path is not None else config_path()
    raw: dict = {}
    if path.exists():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: the top level must be a mapping of settings")
    overrides = {
        ("warehouse", "directory"): os.environ.get("LEDGER_WAREHOUSE_DIR"),
        ("stripe", "api_base"): os.environ.get("LEDGER_STRIPE_API_BASE"),
        ("mappings", "directory"): os.environ.get("LEDGER_MAPPINGS_DIR"),
        ("quickbooks", "base_url"): os.environ.get("LEDGER_QUICKBOOKS_BASE"),
        ("xero", "base_url"): os.environ.get("LEDGER_XERO_BASE"),
    }
    for (section, name), value in overrides.items():
        if value:
            raw.setdefault(section, {})[name] = value
    try:
        return ProjectConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None


def mappings_directory(config: ProjectConfig, path: Path | str | None = None) -> Path:
    """The mapping files' folder: as configured, or beside the configuration file when relative."""
    folder = Path(config.mappings.directory)
    if folder.is_absolute():
        return folder
    return (Path(path) if path is not None else config_path()).resolve().parent / folder


@lru_cache(maxsize=1)
def project_config() -> ProjectConfig:
    """The configuration the Dagster definitions are built from (read once per process)."""
    return load_config()
