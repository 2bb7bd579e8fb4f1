"""Pieces every sandbox server shares: a loopback server thread, a scalable clock, rate limits, faults."""

from __future__ import annotations

import asyncio
import random
import re
import socket
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import uvicorn


class ServerThread:
    """Serve an ASGI app on 127.0.0.1 in a background thread (port 0 picks a free port)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0):
        self.app = app
        self.host = host
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.port = self._sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_keep_alive=30, backlog=256)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"sandbox-{self.port}", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        self._server.run(sockets=[self._sock])

    def start(self) -> "ServerThread":
        """Start serving; starting an already started server does nothing (so `with sandbox.serve():` works)."""
        if self._thread.is_alive() or self._server.started:
            return self
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"sandbox server on {self.base_url} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> "ServerThread":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SandboxClock:
    """The sandbox's idea of now: real time, or frozen at a moment and moved by hand.

    `time_scale` shrinks the windows of per-minute and per-day limits (60 means a minute lasts a second)
    so tests and benchmarks can meet the real limits without waiting for them.
    """

    def __init__(self, frozen_at: float | None = None, time_scale: float = 1.0):
        self._frozen_at = frozen_at
        self.time_scale = time_scale
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._frozen_at if self._frozen_at is not None else time.time()

    def freeze(self, at: float) -> None:
        with self._lock:
            self._frozen_at = at

    def advance(self, seconds: float) -> None:
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = time.time()
            self._frozen_at += seconds

    def unfreeze(self) -> None:
        with self._lock:
            self._frozen_at = None

    def window(self, seconds: float) -> float:
        """A limit's window in real seconds, after time scaling."""
        return seconds / self.time_scale


class SlidingWindowLimiter:
    """At most `limit` requests per `window` seconds (real time, already scaled) per key."""

    def __init__(self, limit: int, window: float):
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str) -> tuple[bool, float, int]:
        """Record a request. Returns (allowed, seconds until a slot frees, remaining in window)."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False, max(hits[0] + self.window - now, 0.0), 0
            hits.append(now)
            return True, 0.0, self.limit - len(hits)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


class ConcurrencyLimiter:
    """At most `limit` requests in flight per key."""

    def __init__(self, limit: int):
        self.limit = limit
        self._in_flight: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def acquire(self, key: str) -> bool:
        with self._lock:
            if self._in_flight[key] >= self.limit:
                return False
            self._in_flight[key] += 1
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._in_flight[key] = max(self._in_flight[key] - 1, 0)


@dataclass
class ScriptedFault:
    """Answer the next `count` requests whose path matches `path` with this fault."""

    path: str = ".*"
    status: int = 500
    count: int = 1
    kind: str = "status"  # status | timeout | malformed
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    method: str | None = None


@dataclass
class Faults:
    """Switchable latency and failures. Probabilities draw from a seeded RNG, so runs repeat."""

    latency_ms: float = 0.0
    error_rate: float = 0.0          # share of requests answered with a 5xx
    timeout_rate: float = 0.0        # share of requests that hang for `timeout_seconds`, then fail
    timeout_seconds: float = 30.0
    slow_page_rate: float = 0.0      # share of requests delayed by `slow_page_ms`
    slow_page_ms: float = 2000.0
    seed: int = 0
    scripted: list[ScriptedFault] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def configure(self, **settings: Any) -> None:
        """Change knobs at run time (the servers expose this at POST /_sandbox/faults)."""
        with self._lock:
            for key, value in settings.items():
                if key == "scripted":
                    self.scripted = [ScriptedFault(**s) if isinstance(s, dict) else s for s in value]
                elif key == "seed":
                    self.seed = int(value)
                    self._rng = random.Random(self.seed)
                elif hasattr(self, key) and not key.startswith("_"):
                    setattr(self, key, type(getattr(self, key))(value))
                else:
                    raise ValueError(f"unknown fault setting {key!r}")

    def clear(self) -> None:
        self.configure(latency_ms=0.0, error_rate=0.0, timeout_rate=0.0, slow_page_rate=0.0, scripted=[])

    def draw(self, method: str, path: str) -> ScriptedFault | None:
        """Decide whether this request fails, and how."""
        with self._lock:
            for fault in self.scripted:
                if fault.count > 0 and re.search(fault.path, path) and (
                    fault.method is None or fault.method.upper() == method.upper()
                ):
                    fault.count -= 1
                    if fault.count == 0:
                        self.scripted.remove(fault)
                    return fault
            roll = self._rng.random()
            if roll < self.timeout_rate:
                return ScriptedFault(kind="timeout")
            if roll < self.timeout_rate + self.error_rate:
                return ScriptedFault(status=self._rng.choice([500, 502, 503]))
            return None

    def delay_seconds(self) -> float:
        with self._lock:
            extra = self.slow_page_ms if self.slow_page_rate and self._rng.random() < self.slow_page_rate else 0.0
            return (self.latency_ms + extra) / 1000.0

    async def wait(self) -> None:
        delay = self.delay_seconds()
        if delay:
            await asyncio.sleep(delay)
