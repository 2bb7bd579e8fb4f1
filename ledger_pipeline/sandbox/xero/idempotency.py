"""`Idempotency-Key` replay, per tenant: the same key answers the first response again and changes nothing.

Only answers that settle the outcome are kept (2xx and 400); a 5xx, 429 or auth failure did nothing, so
a retry with the same key runs for real. A retry that arrives while the first is still running waits for
it and then replays its answer. Xero caps keys at 128 characters. Xero's guide does not say what happens
when a key comes back with a different body; the sandbox replays the first answer and counts the
mismatch in /_sandbox/stats (`idempotency_mismatches`), so a loader bug shows.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from dataclasses import dataclass

MAX_KEY_LENGTH = 128
KEEP_STATUSES = (200, 201, 204, 400)


@dataclass
class Stored:
    fingerprint: str
    status: int
    body: bytes
    headers: dict[str, str]


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.upper().encode() + b" " + path.lower().encode() + b"\n" + body).hexdigest()


class IdempotencyCache:
    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], Stored] = {}
        self._running: dict[tuple[str, str], asyncio.Event] = {}
        self._lock = threading.Lock()

    async def claim(self, tenant: str, key: str) -> Stored | None:
        """A stored answer to replay, or None after marking the key as running (call `finish` later)."""
        slot = (tenant, key)
        while True:
            with self._lock:
                if slot in self.stored:
                    return self.stored[slot]
                event = self._running.get(slot)
                if event is None:
                    self._running[slot] = asyncio.Event()
                    return None
            await event.wait()

    def finish(self, tenant: str, key: str, answer: Stored | None) -> None:
        slot = (tenant, key)
        with self._lock:
            if answer is not None and answer.status in KEEP_STATUSES:
                self.stored[slot] = answer
            event = self._running.pop(slot, None)
        if event is not None:
            event.set()

    def clear(self) -> None:
        with self._lock:
            self.stored.clear()

    def to_state(self) -> list[dict]:
        return [{"tenant": t, "key": k, "fingerprint": s.fingerprint, "status": s.status,
                 "body": s.body.decode("utf-8"), "headers": s.headers} for (t, k), s in self.stored.items()]

    def load_state(self, rows: list[dict]) -> None:
        self.stored = {(r["tenant"], r["key"]): Stored(r["fingerprint"], r["status"], r["body"].encode("utf-8"),
                                                       r["headers"]) for r in rows}
