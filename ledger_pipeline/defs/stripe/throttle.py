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
    never hold each other up and the slots stay evenly spaced.
    """

    def __init__(self, rate: float, burst: int = 1):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.interval = 1.0 / rate
        self.burst = max(1, burst)
        self._next = 0.0
        self._lock = threading.Lock()

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

    def defer(self, seconds: float) -> None:
        """Hold every caller back for `seconds` (the server said: too many requests)."""
        with self._lock:
            self._next = max(self._next, time.monotonic() + seconds)


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
