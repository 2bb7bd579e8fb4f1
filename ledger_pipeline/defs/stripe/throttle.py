"""One client-side token bucket per Stripe key, shared by every thread (and tenant) in the process.

Stripe counts a connected account's requests against the platform's key, so the bucket is keyed by
(API base, key fingerprint), not by account.
"""

from __future__ import annotations

import hashlib
import threading
import time


class TokenBucket:
    """At most `rate` calls per second on average, `burst` at once after a quiet spell.

    Each caller reserves the next free slot under the lock and sleeps outside it, so waiting threads
    never hold each other up and the slots stay evenly spaced. When the server still answers 429 (someone
    else spends the same account's budget, or our requests reach it bunched up), the pace drops by a
    fraction and creeps back with every answered call (additive increase, multiplicative decrease). A
    burst of 429s is one congestion event: the pace drops at most once per `cooldown` seconds.
    """

    def __init__(self, rate: float, burst: int = 1, cooldown: float = 1.0):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.target = rate
        self.rate = rate
        self.burst = max(1, burst)
        self.cooldown = cooldown
        self._next = 0.0
        self._slowed_at = float("-inf")
        self._lock = threading.Lock()

    @property
    def interval(self) -> float:
        return 1.0 / self.rate

    def acquire(self) -> float:
        """Block until this call may go; returns how long it waited."""
        with self._lock:
            now = time.monotonic()
            slot = max(self._next, now - (self.burst - 1) * self.interval)
            self._next = slot + self.interval
        wait = slot - now
        if wait > 0:
            time.sleep(wait)
            return wait
        return 0.0

    def slow_down(self) -> None:
        """The server said: too many requests. Give up the next slot and slow the pace."""
        with self._lock:
            now = time.monotonic()
            if now - self._slowed_at >= self.cooldown:
                self.rate = max(self.target * 0.25, self.rate * 0.9)
                self._slowed_at = now
            self._next = max(self._next, now) + self.interval

    def answered(self) -> None:
        """A call went through: creep back towards the configured rate."""
        if self.rate < self.target:
            with self._lock:
                self.rate = min(self.target, self.rate + self.target * 0.005)


_buckets: dict[tuple[str, str, float], TokenBucket] = {}
_buckets_lock = threading.Lock()


def shared_bucket(api_base: str, api_key: str, rate: float) -> TokenBucket:
    """The process-wide bucket for this key at this rate (the key itself is never kept)."""
    fingerprint = hashlib.sha256(api_key.encode()).hexdigest()[:16]
    key = (api_base, fingerprint, rate)
    with _buckets_lock:
        bucket = _buckets.get(key)
        if bucket is None:
            bucket = _buckets[key] = TokenBucket(rate)
        return bucket
