"""The project's one configuration file (`ledger_pipeline.yaml`) plus environment overrides, validated.

Secrets never live here: the file names the environment variables that hold them.
Environment overrides (handy for pointing the same runs at real services, `ledger-pipeline sandbox serve`,
or the demo's in-process sandboxes):
  LEDGER_PIPELINE_CONFIG   path of the config file (default: ./ledger_pipeline.yaml)
  LEDGER_WAREHOUSE_DIR     warehouse.directory
  LEDGER_STRIPE_API_BASE   stripe.api_base
  LEDGER_MAPPINGS_DIR      mappings.directory
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


class ProjectConfig(_Model):
    start_date: dt.date = dt.date(2026, 1, 1)        # first day partition
    warehouse: WarehouseSettings = WarehouseSettings()
    stripe: StripeSettings = StripeSettings()
    mappings: MappingSettings = MappingSettings()
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
