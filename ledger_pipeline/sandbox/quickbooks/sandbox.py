"""QuickBooksSandbox: a local, stateful QuickBooks Online (API + Intuit OAuth) for tests and the demo."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..common import Faults, SandboxClock, ServerThread
from . import operations, reports
from .app import build_app
from .company import MULTICURRENCY_REALM, US_REALM, default_companies
from .jsonutil import dumps, loads
from .limits import Limits, Stats
from .oauth import OAuthState
from .store import Company

DEFAULT_CLIENTS = {"sandbox-client-id": "sandbox-client-secret"}
SANDBOX_SETTINGS = {"throttle_body", "requests_per_minute", "max_concurrent", "batch_max_items",
                    "batch_requests_per_minute"}
FILE_VERSION = 1


class QuickBooksSandbox:
    def __init__(self, clock: SandboxClock | None = None, faults: Faults | None = None, *,
                 requests_per_minute: int = 500, max_concurrent: int = 10, batch_max_items: int = 30,
                 batch_requests_per_minute: int = 40, clients: dict[str, str] | None = None,
                 throttle_body: str = "json", companies: dict[str, Company] | None = None,
                 default_realm: str = US_REALM):
        self.clock = clock or SandboxClock()
        self.faults = faults or Faults()
        self.companies: dict[str, Company] = companies if companies is not None else default_companies(
            self.clock.now())
        self.default_realm = default_realm if default_realm in self.companies else next(iter(self.companies))
        self.oauth = OAuthState(clients or DEFAULT_CLIENTS, self.clock, lambda: self.companies.keys())
        self.limits = Limits(self.clock, requests_per_minute, max_concurrent, batch_requests_per_minute,
                             batch_max_items, throttle_body)
        self.limits.configure(throttle_body=throttle_body)
        self.stats = Stats()
        self.app = build_app(self)

    # --- serving ------------------------------------------------------------------------------------
    def serve(self, port: int = 0, host: str = "127.0.0.1") -> ServerThread:
        """Start serving on loopback (port 0 picks a free one); `.base_url`, `.stop()`, usable in `with`."""
        return ServerThread(self.app, host=host, port=port).start()

    # --- tokens -------------------------------------------------------------------------------------
    def issue_tokens(self, realm_id: str = US_REALM, client_id: str | None = None) -> dict[str, Any]:
        """A fresh access/refresh token pair for a realm, as if the user had consented."""
        return self.oauth.issue(realm_id, client_id)

    @property
    def clients(self) -> dict[str, str]:
        return dict(self.oauth.clients)

    # --- knobs --------------------------------------------------------------------------------------
    def configure(self, **settings: Any) -> dict[str, Any]:
        """Fault knobs (common.Faults) plus throttle_body, requests_per_minute, max_concurrent,
        batch_max_items, batch_requests_per_minute; `clear: true` resets faults, `reset_limits: true`
        empties the rate windows, `reset_stats: true` zeroes the counters."""
        if settings.pop("clear", False):
            self.faults.clear()
        if settings.pop("reset_limits", False):
            self.limits.reset()
        if settings.pop("reset_stats", False):
            self.stats.reset()
        limits = {k: settings.pop(k) for k in list(settings) if k in SANDBOX_SETTINGS}
        self.limits.configure(**limits)
        if settings:
            self.faults.configure(**settings)
        return {"limits": self.limits.settings(),
                "faults": {k: getattr(self.faults, k) for k in ("latency_ms", "error_rate", "timeout_rate",
                                                                 "timeout_seconds", "slow_page_rate",
                                                                 "slow_page_ms", "seed")},
                "scripted": [vars(s) for s in self.faults.scripted]}

    def move_clock(self, *, by: float | None = None, to: float | None = None) -> None:
        """Move sandbox time; a jump of a minute or more also empties the per-minute rate windows."""
        before = self.clock.now()
        if to is not None:
            self.clock.freeze(to)
        if by is not None:
            self.clock.advance(by)
        if self.clock.now() - before >= 60:
            self.limits.reset()

    # --- the books ----------------------------------------------------------------------------------
    def company(self, realm_id: str = US_REALM) -> Company:
        return self.companies[realm_id]

    def state(self, realm_id: str) -> dict[str, Any]:
        """Everything about one company: objects, tombstones, settings, ledger postings and balances."""
        company = self.companies[realm_id]
        with company.lock:
            data = company.to_json()
            data["ledger"] = {
                "postings": [p.to_json() for p in company.ledger.postings()],
                "balances": {k: {"home": v, "native": company.ledger.native_balance.get(k)}
                             for k, v in company.ledger.home_balance.items() if v},
            }
            data["rendered"] = {e: [operations.render(company, e, o) for o in company.all(e)]
                                for e in ("Account", "Customer")}
        return data

    def trial_balance(self, realm_id: str = US_REALM, start: str = "0001-01-01", end: str = "9999-12-31"):
        """Signed home-currency balances by account Id (debit positive), straight from the ledger."""
        company = self.companies[realm_id]
        with company.lock:
            return reports.trial_balance_amounts(company, start, end)

    # --- persistence --------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> None:
        """Write companies and OAuth tokens to a JSON file (amounts as exact decimals), atomically."""
        data = {"version": FILE_VERSION, "default_realm": self.default_realm,
                "companies": {realm: c.to_json() for realm, c in self.companies.items()},
                "oauth": self.oauth.to_json()}
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(dumps(data, indent=1))
        os.replace(tmp, target)

    @classmethod
    def from_file(cls, path: str | os.PathLike, **kwargs: Any) -> "QuickBooksSandbox":
        data = loads(Path(path).read_text(encoding="utf-8"))
        if data.get("version") != FILE_VERSION:
            raise ValueError(f"unsupported sandbox file version {data.get('version')!r}")
        companies = {realm: Company.from_json(c) for realm, c in data["companies"].items()}
        for company in companies.values():
            operations.reindex(company)
        kwargs.setdefault("default_realm", data.get("default_realm", US_REALM))
        sandbox = cls(companies=companies, **kwargs)
        sandbox.oauth.load(data.get("oauth", {}))
        return sandbox


__all__ = ["QuickBooksSandbox", "US_REALM", "MULTICURRENCY_REALM"]
