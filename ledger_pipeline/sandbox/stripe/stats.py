"""Request counts for `GET /_sandbox/stats`: totals, per status, per account, per endpoint, 429s."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._by_status: Counter[int] = Counter()
            self._by_endpoint: Counter[str] = Counter()
            self._by_account: dict[str, Counter[int]] = defaultdict(Counter)

    def record(self, account: str, endpoint: str, status: int) -> None:
        with self._lock:
            self._by_status[status] += 1
            self._by_endpoint[endpoint] += 1
            self._by_account[account][status] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": sum(self._by_status.values()),
                "rate_limited": self._by_status[429],
                "by_status": {str(code): n for code, n in sorted(self._by_status.items())},
                "by_endpoint": dict(self._by_endpoint.most_common()),
                "by_account": {
                    account: {"requests": sum(codes.values()), "rate_limited": codes[429],
                              "by_status": {str(code): n for code, n in sorted(codes.items())}}
                    for account, codes in sorted(self._by_account.items())
                },
            }
