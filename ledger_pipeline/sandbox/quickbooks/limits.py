"""Per-realm throttles (500 requests/min, 10 in flight, 40 batch requests/min) and the 429 they answer.

Windows are `clock.window(60)` real seconds, so a time_scale of 60 turns a minute into a second.
QuickBooks has been seen answering throttling with an XML body even to JSON clients; `throttle_body`
picks which one the sandbox sends.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any

from starlette.responses import Response

from ..common import ConcurrencyLimiter, SandboxClock, SlidingWindowLimiter
from .dates import timestamp
from .jsonutil import dumps

THROTTLE_MESSAGE = "message=ThrottleExceeded; errorCode=003001; statusCode=429"
THROTTLE_DETAIL = "The request limit was reached.  Try again later"


class Limits:
    def __init__(self, clock: SandboxClock, requests_per_minute: int, max_concurrent: int,
                 batch_requests_per_minute: int, batch_max_items: int, throttle_body: str = "json"):
        self.clock = clock
        self.requests_per_minute = requests_per_minute
        self.batch_requests_per_minute = batch_requests_per_minute
        self.batch_max_items = batch_max_items
        self.throttle_body = throttle_body
        self.minute = SlidingWindowLimiter(requests_per_minute, clock.window(60))
        self.batch = SlidingWindowLimiter(batch_requests_per_minute, clock.window(60))
        self.concurrent = ConcurrencyLimiter(max_concurrent)

    def configure(self, **settings: Any) -> None:
        if "throttle_body" in settings:
            if settings["throttle_body"] not in ("json", "xml"):
                raise ValueError("throttle_body must be 'json' or 'xml'")
            self.throttle_body = settings["throttle_body"]
        if "requests_per_minute" in settings:
            self.requests_per_minute = self.minute.limit = int(settings["requests_per_minute"])
        if "batch_requests_per_minute" in settings:
            self.batch_requests_per_minute = self.batch.limit = int(settings["batch_requests_per_minute"])
        if "max_concurrent" in settings:
            self.concurrent.limit = int(settings["max_concurrent"])
        if "batch_max_items" in settings:
            self.batch_max_items = int(settings["batch_max_items"])

    def allow(self, realm: str, is_batch: bool) -> str | None:
        """Count one request; the name of the limit it broke, or None."""
        window = self.clock.window(60)  # the time scale may have changed since the last request
        self.minute.window = self.batch.window = window
        if not self.minute.hit(realm)[0]:
            return "requests_per_minute"
        if is_batch and not self.batch.hit(realm)[0]:
            return "batch_requests_per_minute"
        return None

    def reset(self) -> None:
        self.minute.reset()
        self.batch.reset()

    def settings(self) -> dict[str, Any]:
        return {"requests_per_minute": self.requests_per_minute, "max_concurrent": self.concurrent.limit,
                "batch_requests_per_minute": self.batch_requests_per_minute,
                "batch_max_items": self.batch_max_items, "throttle_body": self.throttle_body,
                "window_seconds": self.clock.window(60)}

    def throttle_response(self, now: float, tz: str) -> Response:
        if self.throttle_body == "xml":
            body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<IntuitResponse time="{timestamp(now, tz, millis=True)}" '
                    'xmlns="http://schema.intuit.com/finance/v3">\n'
                    '    <Fault type="SERVICE">\n        <Error code="3001">\n'
                    f'            <Message>{THROTTLE_MESSAGE}</Message>\n'
                    f'            <Detail>{THROTTLE_DETAIL}</Detail>\n'
                    '        </Error>\n    </Fault>\n</IntuitResponse>')
            return Response(body, status_code=429, media_type="application/xml")
        body = {"Fault": {"Error": [{"Message": THROTTLE_MESSAGE, "Detail": THROTTLE_DETAIL, "code": "3001"}],
                          "type": "SERVICE"}, "time": timestamp(now, tz, millis=True)}
        return Response(dumps(body), status_code=429, media_type="application/json")


class Stats:
    """Counters per realm for GET /_sandbox/stats."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._realms: dict[str, Counter] = defaultdict(Counter)
        self._statuses: dict[str, Counter] = defaultdict(Counter)
        self._oauth: Counter = Counter()

    def count(self, realm: str, key: str, n: int = 1) -> None:
        with self._lock:
            self._realms[realm][key] += n

    def status(self, realm: str, status: int) -> None:
        with self._lock:
            self._statuses[realm][str(status)] += 1

    def oauth(self, key: str) -> None:
        with self._lock:
            self._oauth[key] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            realms = {}
            for realm in set(self._realms) | set(self._statuses):
                counts = dict(self._realms[realm])
                realms[realm] = {"requests": counts.pop("requests", 0), "throttled": counts.pop("throttled", 0),
                                 **counts, "statuses": dict(self._statuses[realm])}
            return {"realms": realms, "oauth": dict(self._oauth)}

    def reset(self) -> None:
        with self._lock:
            self._realms.clear()
            self._statuses.clear()
            self._oauth.clear()
