"""xero-python exceptions -> TargetError, by HTTP status (xero-python exposes it, and the headers).

    429 + X-Rate-Limit-Problem: daily   daily limit (stop; Retry-After says when the day turns)
    429 otherwise                       throttled, wait Retry-After
    401 token expired (refresh once), 403 forbidden (tenant not connected), 404 not found,
    400 invalid with every ValidationErrors message, 413 invalid (batch too large),
    5xx, timeouts, broken connections, answers that cannot be read   transient
"""

from __future__ import annotations

import json

import urllib3
from xero_python.exceptions import ApiException, RateLimitException

from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.redact import scrub

TARGET = "xero"


class BrokenAnswer(Exception):
    """Xero answered, but the answer could not be read (cut short, not JSON, not the shape xero-python expects):
    the request may have done its work, so the outcome is unknown."""


def classify(exc: BaseException, *, secrets: tuple[str, ...] = ()) -> TargetError | None:
    if isinstance(exc, TargetError):
        return exc
    if isinstance(exc, BrokenAnswer):
        return TargetError(TARGET, ErrorKind.TRANSIENT, str(exc), code="broken_answer")
    if isinstance(exc, (urllib3.exceptions.TimeoutError, urllib3.exceptions.ProtocolError,
                        urllib3.exceptions.NewConnectionError, urllib3.exceptions.MaxRetryError)):
        return TargetError(TARGET, ErrorKind.TRANSIENT, "cannot reach Xero or it did not answer in time: "
                           + type(exc).__name__, code="connection")
    if not isinstance(exc, ApiException):
        return None
    status = exc.status if isinstance(exc.status, int) else getattr(exc.http_resp, "status", None)
    headers = _headers(exc)
    if status == 429 or isinstance(exc, RateLimitException):
        problem = headers.get("x-rate-limit-problem") or "minute"
        retry_after = _float(headers.get("retry-after"))
        kind = ErrorKind.DAILY_LIMIT if problem.lower() in ("day", "daily") else ErrorKind.THROTTLED
        return TargetError(TARGET, kind, f"Xero rate limit reached ({problem})", code="429", status=429,
                           retry_after=retry_after)
    body = _body(exc)
    if status == 401:
        return TargetError(TARGET, ErrorKind.TOKEN_EXPIRED, "Xero refused the access token", code="401", status=401)
    if status == 403:
        return TargetError(TARGET, ErrorKind.FORBIDDEN, "the token is not connected to this Xero organisation",
                           code="403", status=403,
                           fix="reconnect the app choosing this organisation, or fix tenant_id")
    if status == 404:
        return TargetError(TARGET, ErrorKind.NOT_FOUND, "Xero has no such object", code="404", status=404)
    if status == 413:
        return TargetError(TARGET, ErrorKind.INVALID, "the request is larger than Xero takes (3.5 MB)", code="413",
                           status=413, fix="send smaller batches")
    if status is not None and (status >= 500 or status == 408):
        return TargetError(TARGET, ErrorKind.TRANSIENT, f"Xero failed (HTTP {status})", code=str(status),
                           status=status)
    messages = validation_messages(body)
    message = "; ".join(messages) or str(body.get("Message") or body.get("error") or f"HTTP {status}")
    return TargetError(TARGET, ErrorKind.INVALID, scrub(message, secrets), code=str(status), status=status,
                       details=[scrub(m, secrets) for m in messages])


def validation_messages(body: dict) -> list[str]:
    """Every ValidationErrors message in a Xero error body, in order."""
    out = []
    for element in body.get("Elements") or []:
        for error in element.get("ValidationErrors") or []:
            if error.get("Message"):
                out.append(str(error["Message"]))
    return out


def _headers(exc: ApiException) -> dict[str, str]:
    try:
        return {str(k).lower(): str(v) for k, v in (exc.headers or {}).items()}
    except Exception:  # noqa: BLE001 - a response without headers
        return {}


def _body(exc: ApiException) -> dict:
    raw = exc.body
    try:
        data = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw or "{}")
    except (ValueError, TypeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
