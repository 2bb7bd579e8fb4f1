"""Xero's rate limits: per tenant 60 a minute, 5,000 a day, 5 at once; per app 10,000 a minute.

Windows are rolling and measured in real seconds after time scaling (`clock.window(60)`), so a test with
`time_scale=60` meets the minute limit in one real second. Moving the sandbox clock forward through
`XeroSandbox.advance()` (or POST /_sandbox/clock) also moves these windows forward, so a test can wait
out a limit without sleeping. All checks happen together under one lock and a refused call counts
against nothing, so a 429 never uses up a slot.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from ..common import SandboxClock

MINUTE, DAY = 60.0, 86400.0


@dataclass
class Verdict:
    allowed: bool
    problem: str | None = None           # minute | daily | concurrent | appminute
    retry_after: int | None = None       # whole seconds, real time (already scaled)
    minute_remaining: int = 0
    day_remaining: int = 0
    app_minute_remaining: int = 0

    def headers(self) -> dict[str, str]:
        out = {"X-MinLimit-Remaining": str(self.minute_remaining), "X-DayLimit-Remaining": str(self.day_remaining),
               "X-AppMinLimit-Remaining": str(self.app_minute_remaining)}
        if not self.allowed:
            out["X-Rate-Limit-Problem"] = self.problem or "minute"
            if self.retry_after is not None:
                out["Retry-After"] = str(self.retry_after)
        return out


class RateLimits:
    def __init__(self, clock: SandboxClock, calls_per_minute: int = 60, calls_per_day: int = 5000,
                 max_concurrent: int = 5, app_calls_per_minute: int = 10000):
        self.clock = clock
        self.calls_per_minute = calls_per_minute
        self.calls_per_day = calls_per_day
        self.max_concurrent = max_concurrent
        self.app_calls_per_minute = app_calls_per_minute
        self._skew = 0.0
        self._lock = threading.Lock()
        self._minute: dict[str, deque[float]] = defaultdict(deque)
        self._day: dict[str, deque[float]] = defaultdict(deque)
        self._app: dict[str, deque[float]] = defaultdict(deque)
        self._in_flight: dict[str, int] = defaultdict(int)

    def _now(self) -> float:
        return time.monotonic() + self._skew

    def advance(self, sandbox_seconds: float) -> None:
        """The sandbox clock moved forward: move the windows by the same (scaled) amount."""
        with self._lock:
            self._skew += sandbox_seconds / self.clock.time_scale

    def reset(self) -> None:
        with self._lock:
            self._minute.clear()
            self._day.clear()
            self._app.clear()

    @staticmethod
    def _trim(hits: deque[float], now: float, window: float) -> None:
        while hits and hits[0] <= now - window:
            hits.popleft()

    @staticmethod
    def _wait(hits: deque[float], now: float, window: float) -> int:
        return max(1, math.ceil(hits[0] + window - now))

    def acquire(self, tenant: str, app: str) -> Verdict:
        """Count one call, or say which limit refuses it. A granted call must be `release`d."""
        with self._lock:
            now = self._now()
            minute_window, day_window = self.clock.window(MINUTE), self.clock.window(DAY)
            minute, day, app_hits = self._minute[tenant], self._day[tenant], self._app[app]
            self._trim(minute, now, minute_window)
            self._trim(day, now, day_window)
            self._trim(app_hits, now, minute_window)
            verdict = Verdict(False, minute_remaining=max(self.calls_per_minute - len(minute), 0),
                              day_remaining=max(self.calls_per_day - len(day), 0),
                              app_minute_remaining=max(self.app_calls_per_minute - len(app_hits), 0))
            if len(day) >= self.calls_per_day:
                verdict.problem, verdict.retry_after = "daily", self._wait(day, now, day_window)
            elif len(app_hits) >= self.app_calls_per_minute:
                verdict.problem, verdict.retry_after = "appminute", self._wait(app_hits, now, minute_window)
            elif len(minute) >= self.calls_per_minute:
                verdict.problem, verdict.retry_after = "minute", self._wait(minute, now, minute_window)
            elif self._in_flight[tenant] >= self.max_concurrent:
                verdict.problem = "concurrent"
            if verdict.problem:
                return verdict
            minute.append(now)
            day.append(now)
            app_hits.append(now)
            self._in_flight[tenant] += 1
            verdict.allowed = True
            verdict.minute_remaining -= 1
            verdict.day_remaining -= 1
            verdict.app_minute_remaining -= 1
            return verdict

    def release(self, tenant: str) -> None:
        with self._lock:
            self._in_flight[tenant] = max(self._in_flight[tenant] - 1, 0)

    def in_flight(self, tenant: str) -> int:
        return self._in_flight.get(tenant, 0)
