"""Counters for GET /_sandbox/stats: calls, answers by status, 429s by problem, replays, faults; per tenant."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with getattr(self, "_lock", threading.Lock()):
            self.calls: Counter = Counter()
            self.by_status: dict[str, Counter] = defaultdict(Counter)
            self.rate_limited: dict[str, Counter] = defaultdict(Counter)
            self.operations: dict[str, Counter] = defaultdict(Counter)
            self.replays: Counter = Counter()
            self.mismatches: Counter = Counter()
            self.faults: Counter = Counter()
            self.identity: Counter = Counter()

    def call(self, tenant: str, operation: str, status: int) -> None:
        with self._lock:
            self.calls[tenant] += 1
            self.by_status[tenant][str(status)] += 1
            self.operations[tenant][operation] += 1

    def limited(self, tenant: str, problem: str) -> None:
        with self._lock:
            self.rate_limited[tenant][problem] += 1

    def count(self, table: str, key: str) -> None:
        with self._lock:
            getattr(self, table)[key] += 1

    def snapshot(self) -> dict:
        with self._lock:
            tenants = set(self.calls) | set(self.rate_limited) | set(self.faults)
            return {
                "tenants": {t: {"calls": self.calls[t], "by_status": dict(self.by_status[t]),
                                "rate_limited": dict(self.rate_limited[t]),
                                "rate_limited_total": sum(self.rate_limited[t].values()),
                                "operations": dict(self.operations[t]), "idempotent_replays": self.replays[t],
                                "idempotency_mismatches": self.mismatches[t], "faults": self.faults[t]}
                            for t in sorted(tenants)},
                "calls": sum(self.calls.values()),
                "rate_limited": {p: sum(c[p] for c in self.rate_limited.values())
                                 for p in sorted({p for c in self.rate_limited.values() for p in c})},
                "identity": dict(self.identity),
            }
