"""Our thin Stripe client: the real stripe-python client underneath, our own rate limit and retries on top.

stripe-python's own retries are off (`max_network_retries=0`); every call goes through one shared token
bucket, and only what is safe to repeat is repeated (we only read: GETs are idempotent). A sandbox is just
another `api_base`.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import dagster as dg
import stripe
import tenacity
from pydantic import Field

from ledger_pipeline.defs.stripe.throttle import TokenBucket, shared_bucket

PAGE_SIZE = 100  # Stripe's maximum `limit`
_SECRET = re.compile(r"\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9*]*")


class StripeKeyError(RuntimeError):
    """Stripe refused the API key (or its access to an account); the message names the setting."""


class StripeFetchError(RuntimeError):
    """A request still failed after every retry, or Stripe answered with something we cannot read."""


class _Transient(Exception):
    """An answer worth asking again for (a page that is not a Stripe list, cut off mid-way, ...)."""


def scrub(text: str) -> str:
    """Remove anything shaped like a Stripe key from a message (Stripe echoes masked keys in errors)."""
    return _SECRET.sub("[key]", text)


@dataclass(frozen=True)
class Answer:
    data: dict[str, Any]   # the parsed JSON
    body: str              # the JSON text exactly as received
    server_time: int       # Stripe's clock when it answered (the Date header), unix seconds


@dataclass
class CallStats:
    """What the calls cost: for materialization metadata and the benchmark."""

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    server_errors: int = 0
    timeouts: int = 0
    waited_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: float) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict[str, float]:
        with self._lock:
            return {"requests": self.requests, "retries": self.retries, "rate_limited": self.rate_limited,
                    "server_errors": self.server_errors, "timeouts": self.timeouts,
                    "throttle_wait_seconds": round(self.waited_seconds, 3)}


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, (_Transient, stripe.RateLimitError, stripe.APIConnectionError)):
        return True
    if isinstance(exc, stripe.APIError):  # 5xx, and bodies that are not JSON (status 200 cut short)
        return True
    status = getattr(exc, "http_status", None)
    return isinstance(exc, stripe.StripeError) and status is not None and status >= 500


class StripeApi:
    """GETs against one Stripe account (the key's own, or a connected account via Stripe-Account)."""

    def __init__(self, *, api_key: str, api_key_env: str, api_base: str, stripe_account: str | None,
                 bucket: TokenBucket, timeout_seconds: float, max_retries: int, backoff_seconds: float):
        self.api_base = api_base
        self.api_key_env = api_key_env
        self.stripe_account = stripe_account
        self.bucket = bucket
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self.stats = CallStats()
        # stripe-python's requests client keeps one session per thread: safe to share across the pool.
        self._client = stripe.StripeClient(api_key, base_addresses={"api": api_base}, stripe_account=stripe_account,
                                           max_network_retries=0,
                                           http_client=stripe.RequestsClient(timeout=timeout_seconds))

    # --- calls -------------------------------------------------------------------------------------------

    def get(self, path: str, params: dict[str, Any] | None = None, *, expect_list: bool = False) -> Answer:
        """One GET, throttled, retried on 429, 5xx, timeouts and unreadable answers.

        With `expect_list`, an answer that is not a Stripe list counts as unreadable too."""
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.max_retries + 1),
            retry=tenacity.retry_if_exception(_transient),
            wait=self._wait,
            before_sleep=self._count_retry,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._once(path, params or {}, expect_list)
        except stripe.AuthenticationError as exc:
            raise self._key_error(exc) from None
        except stripe.PermissionError as exc:
            raise self._permission_error(exc) from None
        except (stripe.StripeError, _Transient) as exc:
            status = getattr(exc, "http_status", None)
            raise StripeFetchError(
                f"GET {self.api_base}{path} failed after {self.max_retries + 1} attempt(s)"
                f"{f' (HTTP {status})' if status else ''}: {scrub(str(exc).strip())[:300]}"
            ) from None
        raise AssertionError("unreachable")  # tenacity either returned or raised

    def check_key(self) -> Answer:
        """The account behind the key (and Stripe-Account): the first call of every extraction, so a bad
        key fails before anything else happens."""
        return self.get("/v1/account")

    def _once(self, path: str, params: dict[str, Any], expect_list: bool) -> Answer:
        self.stats.add(requests=1, waited_seconds=self.bucket.acquire())
        try:
            response = self._client.raw_request("get", path, **params)
        except stripe.RateLimitError:
            self.stats.add(rate_limited=1)
            raise
        except stripe.APIConnectionError as exc:
            if "timeout" in str(exc).lower() or "timed out" in str(exc).lower():
                self.stats.add(timeouts=1)
            raise
        except stripe.APIError:
            self.stats.add(server_errors=1)
            raise
        self.bucket.answered()
        data = response.data
        if expect_list and not (isinstance(data, dict) and isinstance(data.get("data"), list)):
            raise _Transient(f"the answer to GET {path} is not a Stripe list")
        return Answer(data=data, body=response.body, server_time=_server_time(response.headers))

    # --- retries -----------------------------------------------------------------------------------------

    def _wait(self, state: tenacity.RetryCallState) -> float:
        """Exponential backoff with jitter; a 429's Retry-After is honoured up to the longest backoff."""
        base = self.backoff_seconds * (2 ** (state.attempt_number - 1))
        wait = base * random.uniform(0.5, 1.0)
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, stripe.RateLimitError):
            retry_after = _retry_after(exc)
            if retry_after:  # at least what the server asked, spread so the retries do not come back at once
                asked = min(retry_after, self.backoff_seconds * (2 ** self.max_retries))
                wait = max(wait, asked * random.uniform(1.0, 1.5))
            self.bucket.slow_down()  # every thread, not just this one
        return wait

    def _count_retry(self, state: tenacity.RetryCallState) -> None:
        self.stats.add(retries=1)

    # --- messages that name the setting and never the key ------------------------------------------------

    def _key_error(self, exc: stripe.StripeError) -> StripeKeyError:
        return StripeKeyError(
            f"Stripe rejected the key in environment variable {self.api_key_env} (HTTP {exc.http_status} from "
            f"{self.api_base}, request {exc.request_id or 'unknown'}). Set {self.api_key_env} to a valid secret "
            f"key (sk_live_... or sk_test_...) of this Stripe account, or point stripe.api_key_env in "
            f"ledger_pipeline.yaml at the variable that holds it."
        )

    def _permission_error(self, exc: stripe.StripeError) -> StripeKeyError:
        if self.stripe_account:
            return StripeKeyError(
                f"The key in environment variable {self.api_key_env} has no access to connected account "
                f"{self.stripe_account} (HTTP {exc.http_status}: {scrub(exc.user_message or str(exc))[:200]}). "
                f"Check that the account is still connected to the platform, or remove its tenant."
            )
        return StripeKeyError(
            f"The key in environment variable {self.api_key_env} may not read this data (HTTP {exc.http_status}: "
            f"{scrub(exc.user_message or str(exc))[:200]}). Use a secret key, or a restricted key with read "
            f"access to balance, payouts, charges, customers, products, invoices, events and Connect."
        )


def _server_time(headers: Any) -> int:
    try:
        return int(parsedate_to_datetime(headers["Date"]).timestamp())
    except (KeyError, TypeError, ValueError, IndexError):
        return int(time.time())


def _retry_after(exc: stripe.StripeError) -> float | None:
    try:
        return float((exc.headers or {}).get("Retry-After"))
    except (TypeError, ValueError):
        return None


class StripeResource(dg.ConfigurableResource):
    """Read access to Stripe (or any server speaking its API, like the sandbox) for the extraction."""

    api_key: str = Field(description="The secret key; set it with dg.EnvVar, never in code or YAML.")
    api_key_env: str = Field("STRIPE_API_KEY", description="Name of the variable holding the key, for messages.")
    api_base: str = "https://api.stripe.com"
    requests_per_second: float = 20.0
    max_concurrency: int = 8
    timeout_seconds: float = 30.0
    max_retries: int = 6
    backoff_seconds: float = 0.5
    window_splits: int = 8
    events_retention_days: int = 30
    mutable_lookback_days: int = 35

    def api(self, stripe_account: str | None = None) -> StripeApi:
        key = self._key()
        return StripeApi(api_key=key, api_key_env=self.api_key_env, api_base=self.api_base.rstrip("/"),
                         stripe_account=stripe_account,
                         bucket=shared_bucket(self.api_base, key, self.requests_per_second),
                         timeout_seconds=self.timeout_seconds, max_retries=self.max_retries,
                         backoff_seconds=self.backoff_seconds)

    def _key(self) -> str:
        # Outside a Dagster run (CLI, demo) an EnvVar field still holds the variable, not its value.
        key = self.api_key.get_value() if isinstance(self.api_key, dg.EnvVar) else self.api_key
        if not key or not key.strip():
            raise StripeKeyError(
                f"Environment variable {self.api_key_env} is empty or not set: export it with the Stripe "
                f"secret key (sk_live_... or sk_test_...) this pipeline should read with."
            )
        return key.strip()
