"""`StripeSandbox`: a local, stateful Stripe API for the pipeline, its demo and its tests."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

from ..common import Faults, SandboxClock, ServerThread, SlidingWindowLimiter
from .app import build_app
from .balance import Balances
from .composition import Compositions
from .stats import RequestStats
from .store import Store


class StripeSandbox:
    """Serves the Stripe API over HTTP from objects in the seed format.

    The seed format: `{"objects": [Stripe objects in the API's shape; a connected account's carry a
    top-level "account": "acct_..."], "payout_composition": {"po_...": ["txn_...", ...]}}`.
    `api_keys=None` accepts any `sk_test_` / `rk_test_` key.
    """

    def __init__(self, seed: dict[str, Any] | str | os.PathLike | None = None,
                 api_keys: Iterable[str] | None = ("sk_test_sandbox",), requests_per_second: int = 25,
                 clock: SandboxClock | None = None, faults: Faults | None = None,
                 events_retention_days: float = 30, platform_account_id: str = "acct_1SandboxPlatform0"):
        self.api_keys = frozenset(api_keys) if api_keys is not None else None
        self.clock = clock or SandboxClock()
        self.faults = faults or Faults()
        self.events_retention_days = events_retention_days
        self.platform_account_id = platform_account_id
        self.limiter = SlidingWindowLimiter(requests_per_second, self.clock.window(1.0))
        self.stats = RequestStats()
        self.store = Store()
        self.compositions = Compositions(self.store)
        self.balances = Balances(self.store)
        self.app = build_app(self)
        if seed is not None:
            self.load(seed)

    def accepts_key(self, key: str) -> bool:
        if self.api_keys is None:
            return key.startswith(("sk_test_", "rk_test_")) and len(key) > 8
        return key in self.api_keys

    def load(self, seed: dict[str, Any] | str | os.PathLike) -> int:
        """Add the objects of a seed (a dict or a JSON file); returns how many it held."""
        if isinstance(seed, dict):
            return self.store.load(seed)
        return self.store.load(json.loads(Path(seed).read_text()), copy_objects=False)  # ours alone

    def dump(self) -> dict[str, Any]:
        return self.store.dump()

    def save(self, path: str | os.PathLike) -> None:
        Path(path).write_text(json.dumps(self.dump(), indent=1))

    @classmethod
    def from_file(cls, path: str | os.PathLike, **kwargs: Any) -> "StripeSandbox":
        return cls(seed=path, **kwargs)

    def serve(self, port: int = 0, host: str = "127.0.0.1") -> ServerThread:
        """Start serving on loopback (port 0: a free port); stop with `.stop()` on the answer."""
        return ServerThread(self.app, host=host, port=port).start()
