"""Client-side rate limits: one limiter per target and company, shared by every call in the process.

    limiter = shared_limiter("xero", api_base, tenant_id, LimitSettings(per_minute=55, concurrent=4,
                                                                        per_day=5000, min_calls_left=50))
    with limiter.slot():        # waits for: a deferral after a 429, a free in-flight slot, a window slot
        ...one HTTP call...
    limiter.observe_day_remaining(int(headers["X-DayLimit-Remaining"]))
    limiter.calls_left_today()

- Per minute: a sliding window (the targets count that way), `window_seconds` long (60; shorter in
  tests against a time-scaled sandbox).
- In flight: a semaphore, taken before the window slot, so a recorded slot is a call on the wire.
- Per day (Xero): the last `X-DayLimit-Remaining` the server sent, less the calls made since; before any
  header, our own count of calls in the last `day_seconds`. `check_budget()` stops a caller before it
  would go under `min_calls_left`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ledger_pipeline.posting.errors import ErrorKind, TargetError


@dataclass(frozen=True)
class LimitSettings:
    per_minute: int
    concurrent: int
    window_seconds: float = 60.0
    per_day: int | None = None       # Xero: 5,000 per tenant
    day_seconds: float = 86400.0
    min_calls_left: int = 0          # stop before the day's budget goes below this


class RateLimiter:
    def __init__(self, target: str, settings: LimitSettings, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.target = target
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._calls: deque[float] = deque()      # start times within the minute window
        self._day_calls: deque[float] = deque()  # start times within the day window
        self._in_flight = 0
        self._released = threading.Condition(self._lock)
        self._hold_until = 0.0
        self._day_remaining: int | None = None   # from the server, less calls since
        self._day_closed_until = 0.0
        self.waited_seconds = 0.0
        self.configure(settings)

    def configure(self, settings: LimitSettings) -> None:
        with self._lock:
            self.settings = settings
            self._released.notify_all()

    # --- the call slot ------------------------------------------------------------------------------
    @contextmanager
    def slot(self) -> Iterator[None]:
        self._wait_for_deferral()
        self._take_in_flight()
        try:
            self._take_window()
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                self._released.notify()

    def _wait_for_deferral(self) -> None:
        while True:
            with self._lock:
                wait = self._hold_until - self._clock()
            if wait <= 0:
                return
            self._nap(wait)

    def _take_in_flight(self) -> None:
        with self._lock:
            while self._in_flight >= max(1, self.settings.concurrent):
                self._released.wait(timeout=1.0)
            self._in_flight += 1

    def _take_window(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                window = self.settings.window_seconds
                while self._calls and self._calls[0] <= now - window:
                    self._calls.popleft()
                if len(self._calls) < self.settings.per_minute:
                    self._calls.append(now)
                    self._count_day(now)
                    return
                wait = self._calls[0] + window - now
            self._nap(max(wait, 0.001))

    def _count_day(self, now: float) -> None:
        self._day_calls.append(now)
        while self._day_calls and self._day_calls[0] <= now - self.settings.day_seconds:
            self._day_calls.popleft()
        if self._day_remaining is not None:
            self._day_remaining -= 1

    def _nap(self, seconds: float) -> None:
        self.waited_seconds += seconds
        self._sleep(seconds)

    # --- what the server told us ------------------------------------------------------------------
    def defer(self, seconds: float) -> None:
        """Hold every caller back for `seconds` (the server answered 429)."""
        with self._lock:
            self._hold_until = max(self._hold_until, self._clock() + seconds)

    def observe_day_remaining(self, remaining: int) -> None:
        """The server's count of calls left today, sent after the call it counted."""
        with self._lock:
            self._day_remaining = remaining

    def day_exhausted(self, retry_after: float | None) -> None:
        """The server said: no more today (429, X-Rate-Limit-Problem: daily)."""
        with self._lock:
            self._day_remaining = 0
            self._day_closed_until = self._clock() + (retry_after or self.settings.day_seconds)

    # --- the daily budget ---------------------------------------------------------------------------
    def calls_left_today(self) -> int | None:
        """Calls left in today's budget, or None when the target has no daily limit."""
        with self._lock:
            return self._left_today(self._clock())

    def _left_today(self, now: float) -> int | None:
        if self.settings.per_day is None:
            return None
        if self._day_closed_until:
            if self._day_closed_until > now:
                return 0
            self._day_closed_until = 0.0  # the server's day has turned over: count afresh
            self._day_remaining = None
        if self._day_remaining is not None:
            return max(self._day_remaining, 0)
        while self._day_calls and self._day_calls[0] <= now - self.settings.day_seconds:
            self._day_calls.popleft()
        return max(self.settings.per_day - len(self._day_calls), 0)

    def check_budget(self, calls: int = 1) -> None:
        """Raise (nothing sent) if `calls` more would take today's budget below `min_calls_left`."""
        left = self.calls_left_today()
        if left is not None and left - calls < self.settings.min_calls_left:
            raise TargetError(self.target, ErrorKind.BUDGET,
                              f"{left} call(s) left today and {self.settings.min_calls_left} are kept in reserve")


_registry: dict[tuple[str, str, str], RateLimiter] = {}
_registry_lock = threading.Lock()


def shared_limiter(target: str, api_base: str, company_id: str, settings: LimitSettings) -> RateLimiter:
    """The process-wide limiter for one company of one target (the latest settings apply)."""
    key = (target, api_base.rstrip("/"), company_id)
    with _registry_lock:
        limiter = _registry.get(key)
        if limiter is None:
            limiter = _registry[key] = RateLimiter(target, settings)
        elif limiter.settings != settings:
            limiter.configure(settings)
        return limiter
