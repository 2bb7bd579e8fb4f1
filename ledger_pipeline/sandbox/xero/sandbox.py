"""XeroSandbox: a local, stateful Xero (Accounting + Identity API) for the real xero-python client.

    sandbox = XeroSandbox(clock=SandboxClock(), faults=Faults(), clients={"client_id": "secret"})
    server = sandbox.serve(port=0)                 # started; server.base_url is http://127.0.0.1:PORT
    token = sandbox.issue_tokens(US_TENANT_ID)     # ready for xero-python's token getter
    books = sandbox.organisations[US_TENANT_ID]    # the organisation's state, for tests

State lives in memory; `save(path)` writes it as readable JSON and `XeroSandbox.from_file(path)` reads it
back. Handlers run one at a time under `lock`, so a test may read `organisations` between calls.
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Route

from ..common import Faults, SandboxClock, ServerThread
from . import admin, identity_http
from .api import make_endpoint
from .identity import ACCESS_TTL, Identity
from .idempotency import IdempotencyCache
from .ledger import balances_by_code
from .limits import RateLimits
from .organisation import US_TENANT_ID, default_organisations
from .reports import trial_balance
from .serialize import dump_state, load_state
from .stats import Stats
from .store import Books

DEFAULT_CLIENT_ID = "sandbox-client"
DEFAULT_CLIENT_SECRET = "sandbox-secret"
MAX_BODY_BYTES = 3_500_000  # Xero's documented 3.5 MB per request
STATE_VERSION = 1




class XeroSandbox:
    def __init__(self, clock: SandboxClock | None = None, faults: Faults | None = None, calls_per_minute: int = 60,
                 max_concurrent: int = 5, calls_per_day: int = 5000, clients: dict[str, Any] | None = None, *,
                 app_calls_per_minute: int = 10000, organisations: dict[str, Books] | None = None,
                 access_token_ttl: int = ACCESS_TTL, max_body_bytes: int = MAX_BODY_BYTES):
        self.clock = clock or SandboxClock()
        self.faults = faults or Faults()
        self.organisations: dict[str, Books] = organisations if organisations is not None else default_organisations()
        self.clients = dict(clients or {DEFAULT_CLIENT_ID: DEFAULT_CLIENT_SECRET})
        self.identity = Identity(self.clients, self.now_ms, lambda: list(self.organisations), access_token_ttl)
        self.limits = RateLimits(self.clock, calls_per_minute, calls_per_day, max_concurrent, app_calls_per_minute)
        self.idempotency = IdempotencyCache()
        self.stats = Stats()
        self.max_body_bytes = max_body_bytes
        self.lock = threading.RLock()
        self.app = self._build_app()

    # ------------------------------------------------------------ app and server
    def _build_app(self) -> Starlette:
        endpoint = make_endpoint(self)
        api = [Route("/api.xro/2.0/{path:path}", endpoint, methods=["GET", "PUT", "POST", "DELETE"]),
               Route("/api.xro/2.0", endpoint, methods=["GET", "PUT", "POST", "DELETE"])]
        return Starlette(routes=identity_http.routes(self) + admin.routes(self) + api)

    def serve(self, port: int = 0, host: str = "127.0.0.1") -> ServerThread:
        """Serve on loopback (port 0 picks a free one); answers the started server."""
        return ServerThread(self.app, host=host, port=port).start()

    # ------------------------------------------------------------ time
    def now_ms(self) -> int:
        return int(round(self.clock.now() * 1000))

    def advance(self, seconds: float) -> None:
        """Move sandbox time forward: tokens age, and rate-limit windows move with it."""
        self.clock.advance(seconds)
        self.limits.advance(seconds)

    # ------------------------------------------------------------ helpers for tests and demos
    def issue_tokens(self, tenant_id: str | list[str] | None = None, *, client_id: str | None = None,
                     scope: str | None = None) -> dict:
        """Tokens as if the user consented to `tenant_id` (default: every organisation) for `client_id`.

        The dict is what xero-python's token getter returns: scope as a list, expires_at in real time.
        """
        if tenant_id is None:
            tenants = list(self.organisations)
        elif isinstance(tenant_id, str):
            tenants = [tenant_id.lower()]
        else:
            tenants = [t.lower() for t in tenant_id]
        unknown = [t for t in tenants if t not in self.organisations]
        if unknown:
            raise KeyError(f"unknown tenant(s): {unknown}")
        client = client_id or next(iter(self.clients))
        if client not in self.clients:
            raise KeyError(f"unknown client {client!r}")
        return self.identity.issue(client, tenants, scope)

    def balances(self, tenant_id: str = US_TENANT_ID, as_of: date | None = None) -> dict[str, Decimal]:
        """Debit-positive ledger balances by account code."""
        with self.lock:
            return balances_by_code(self.organisations[tenant_id.lower()], as_of)

    def trial_balance(self, tenant_id: str = US_TENANT_ID, on: date | None = None) -> dict:
        with self.lock:
            on = on or date.today()
            return trial_balance(self.organisations[tenant_id.lower()], on, self.now_ms())

    def reset(self, limits: bool = True, stats: bool = True, idempotency: bool = False, books: bool = False) -> None:
        if limits:
            self.limits.reset()
        if stats:
            self.stats.reset()
        if idempotency:
            self.idempotency.clear()
        if books:
            with self.lock:
                self.organisations.clear()
                self.organisations.update(default_organisations())

    # ------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        with self.lock:
            state = {
                "version": STATE_VERSION,
                "config": {"calls_per_minute": self.limits.calls_per_minute, "calls_per_day": self.limits.calls_per_day,
                           "max_concurrent": self.limits.max_concurrent,
                           "app_calls_per_minute": self.limits.app_calls_per_minute,
                           "access_token_ttl": self.identity.access_ttl, "max_body_bytes": self.max_body_bytes,
                           "clients": self.clients},
                "clock": {"now": self.clock.now(), "frozen": getattr(self.clock, "_frozen_at", None) is not None,
                          "time_scale": self.clock.time_scale},
                "organisations": {tid: books.to_state() for tid, books in self.organisations.items()},
                "identity": self.identity.to_state(),
                "idempotency": self.idempotency.to_state(),
            }
            Path(path).write_text(dump_state(state), encoding="utf-8")

    @classmethod
    def from_file(cls, path: str | Path, clock: SandboxClock | None = None, faults: Faults | None = None,
                  **overrides: Any) -> "XeroSandbox":
        state = load_state(Path(path).read_text(encoding="utf-8"))
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"{path}: unsupported Xero sandbox state version {state.get('version')!r}")
        if clock is None:
            saved = state["clock"]
            clock = SandboxClock(frozen_at=saved["now"] if saved["frozen"] else None, time_scale=saved["time_scale"])
        config = dict(state["config"], **overrides)
        organisations = {tid: Books.from_state(books) for tid, books in state["organisations"].items()}
        sandbox = cls(clock=clock, faults=faults, organisations=organisations, **config)
        sandbox.identity.load_state(state.get("identity", {}))
        sandbox.idempotency.load_state(state.get("idempotency", []))
        return sandbox
