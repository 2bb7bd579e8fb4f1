"""One call to a target: budget check, limiter slot, classification, and retries that are safe.

What is retried (tenacity does the looping):
- THROTTLED (429): always, because the target refused before doing anything. The wait is the server's
  Retry-After when it sends one (Xero), else exponential backoff with jitter (QuickBooks); every caller of
  the same company holds back for it (`limiter.defer`). A Retry-After longer than
  `max_retry_after_seconds` is not waited for: the call fails as not sent.
- TOKEN_EXPIRED (401): once, after `reauth()` refreshed the token.
- TRANSIENT (5xx, timeout, broken answer): only when the request is idempotent (a read, or a write
  carrying a requestid / Idempotency-Key), because the first try may have done the work.
Nothing else is retried; DAILY_LIMIT and BUDGET stop at once.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.limiter import RateLimiter

T = TypeVar("T")
log = logging.getLogger(__name__)
_NO_CAUSE = {ErrorKind.TOKEN_EXPIRED, ErrorKind.NOT_CONNECTED, ErrorKind.FORBIDDEN}


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    backoff_seconds: float = 1.0          # first wait without a Retry-After; doubles, with jitter
    max_backoff_seconds: float = 60.0     # Intuit: "wait 60 seconds" after a 429
    max_retry_after_seconds: float = 300.0
    sleep: Callable[[float], None] = time.sleep

    def backoff(self, attempt: int) -> float:
        ceiling = min(self.max_backoff_seconds, self.backoff_seconds * 2 ** max(attempt - 1, 0))
        return ceiling * random.uniform(0.5, 1.0)


def call_with_retries(fn: Callable[[], T], *, classify: Callable[[BaseException], TargetError | None],
                      limiter: RateLimiter, policy: RetryPolicy, idempotent: bool,
                      reauth: Callable[[], None] | None = None) -> T:
    reauthed = False

    def attempt() -> T:
        limiter.check_budget()
        with limiter.slot():
            try:
                return fn()
            except TargetError:
                raise
            except Exception as exc:  # noqa: BLE001 - classified below, unknown ones re-raised as they are
                error = classify(exc)
                if error is None:
                    raise
                if error.kind is ErrorKind.DAILY_LIMIT:
                    limiter.day_exhausted(error.retry_after)
                raise error from (None if error.kind in _NO_CAUSE else exc)

    def retryable(exc: BaseException) -> bool:
        if not isinstance(exc, TargetError):
            return False
        if exc.kind is ErrorKind.THROTTLED:
            return exc.retry_after is None or exc.retry_after <= policy.max_retry_after_seconds
        if exc.kind is ErrorKind.TOKEN_EXPIRED:
            return reauth is not None and not reauthed
        return exc.kind is ErrorKind.TRANSIENT and idempotent

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TargetError) and exc.kind is ErrorKind.TOKEN_EXPIRED:
            return 0.0
        if isinstance(exc, TargetError) and exc.kind is ErrorKind.THROTTLED and exc.retry_after is not None:
            return exc.retry_after
        return policy.backoff(state.attempt_number)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        nonlocal reauthed
        exc = state.outcome.exception() if state.outcome else None
        assert isinstance(exc, TargetError)
        seconds = state.next_action.sleep if state.next_action else 0.0
        if exc.kind is ErrorKind.TOKEN_EXPIRED and reauth is not None:
            reauthed = True
            reauth()
        elif exc.kind is ErrorKind.THROTTLED:
            limiter.defer(seconds)
        log.info("%s %s (code %s): retry %d in %.2fs", exc.target, exc.kind.value, exc.code,
                 state.attempt_number, seconds)

    retrying = tenacity.Retrying(stop=tenacity.stop_after_attempt(policy.max_attempts),
                                 retry=tenacity.retry_if_exception(retryable), wait=wait,
                                 before_sleep=before_sleep, sleep=policy.sleep, reraise=True)
    return retrying(attempt)
