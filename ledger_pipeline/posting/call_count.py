"""Every HTTP attempt a target client makes, counted (retries included): the objects-per-call figures, and
what a run spent of a daily budget. Both clients make every call through `call(fn, *, idempotent)`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CallCount:
    calls: int = 0
    http_seconds: float = 0.0                                # time on the wire, waits for a slot excluded
    started: list[float] = field(default_factory=list)       # monotonic start of each attempt


def count_attempts(client: Any, count: CallCount) -> None:
    """Count each attempt of `client.call`: the instance's `call` wraps the class's."""
    original = client.call

    def call(fn, *, idempotent: bool):
        def attempt(api):
            count.calls += 1
            started = time.monotonic()
            count.started.append(started)
            try:
                return fn(api)
            finally:
                count.http_seconds += time.monotonic() - started
        return original(attempt, idempotent=idempotent)

    client.call = call
