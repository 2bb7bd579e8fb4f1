"""python-quickbooks exceptions -> TargetError, by Fault code (the HTTP status is not exposed by the library;
our transport records it as a hint for answers that carry no Fault, such as an XML 429 or an HTML 504).

    3001, or 10000 with a 429 in the text      throttled (a JSON 429 is a ValidationException 3001,
                                                an XML one a QuickbooksException 10000 "Error reading json")
    401 / 3200 / AuthenticationFailed          token expired -> refresh once
    3100 / 403                                 forbidden (token for another company)
    5010 stale SyncToken, 6240 duplicate name, 6140 duplicate DocNumber, 610 not found / inactive
    10000 SystemFault, unreadable body, 5xx    transient
    anything else                              invalid (the content was refused)
"""

from __future__ import annotations

import requests
from intuitlib.exceptions import AuthClientError
from quickbooks.exceptions import AuthorizationException, QuickbooksException, SevereException

from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.redact import scrub

TARGET = "quickbooks"

_BY_CODE = {
    3001: ErrorKind.THROTTLED,
    401: ErrorKind.TOKEN_EXPIRED,
    3200: ErrorKind.TOKEN_EXPIRED,
    403: ErrorKind.FORBIDDEN,
    3100: ErrorKind.FORBIDDEN,
    6190: ErrorKind.FORBIDDEN,
    5010: ErrorKind.STALE,
    6240: ErrorKind.DUPLICATE_NAME,
    6140: ErrorKind.DUPLICATE_DOC,
    610: ErrorKind.NOT_FOUND,
}
_FIX = {
    6190: "The QuickBooks company is not active (subscription ended or suspended): reactivate it in QuickBooks.",
    2500: "The record names an Id QuickBooks does not have (account, customer, item, tax code): fix the mapping.",
    2050: "A field is longer than QuickBooks allows (DocNumber holds 21 characters): shorten it in the mapping.",
    6000: "QuickBooks refused the transaction (see the message): fix the mapping or the company setting it names.",
}


def fault_error(code: int | str | None, message: str, detail: str = "", *, status: int | None = None,
                secrets: tuple[str, ...] = ()) -> TargetError:
    """A TargetError from one QuickBooks Fault entry (also used for each failed item of a batch)."""
    number = _int(code)
    text = f"{message} {detail}"
    kind = _BY_CODE.get(number)
    if kind is None:
        if "ThrottleExceeded" in text or status == 429:
            kind = ErrorKind.THROTTLED
        elif number >= 10000 or (status is not None and status >= 500):
            kind = ErrorKind.TRANSIENT
        elif "AuthenticationFailed" in text:
            kind = ErrorKind.TOKEN_EXPIRED
        else:
            kind = ErrorKind.INVALID
    clean = scrub(f"{message}: {detail}" if detail else message, secrets)
    return TargetError(TARGET, kind, clean, code=str(number) if number else None, fix=_FIX.get(number),
                       status=status)


def classify(exc: BaseException, *, status: int | None = None, secrets: tuple[str, ...] = ()) -> TargetError | None:
    """Map what python-quickbooks, intuit-oauth or requests raised; None for anything unexpected (a bug)."""
    if isinstance(exc, TargetError):
        return exc
    if isinstance(exc, requests.Timeout):
        return TargetError(TARGET, ErrorKind.TRANSIENT, "QuickBooks did not answer in time", code="timeout")
    if isinstance(exc, requests.ConnectionError):
        return TargetError(TARGET, ErrorKind.TRANSIENT, "cannot reach QuickBooks: " + scrub(exc, secrets),
                           code="connection")
    if isinstance(exc, AuthClientError):
        return refresh_error(exc, secrets)
    if not isinstance(exc, QuickbooksException):
        return None
    code = _int(exc.error_code)
    text = f"{exc.message} {exc.detail}"
    if code == 10000 and ("429" in text or "ThrottleExceeded" in text):
        return TargetError(TARGET, ErrorKind.THROTTLED, "QuickBooks throttled the request", code="3001", status=429)
    if isinstance(exc, AuthorizationException) and (code == 401 or status == 401):
        return TargetError(TARGET, ErrorKind.TOKEN_EXPIRED, "QuickBooks refused the access token", code="401",
                           status=401)
    if code == 10000 and not isinstance(exc, SevereException):
        # the body was not JSON (HTML gateway error, cut-off answer) or had no Fault with a non-200 status
        return TargetError(TARGET, ErrorKind.TRANSIENT,
                           f"QuickBooks answered something unreadable (HTTP {status or '?'})", code="10000",
                           status=status)
    return fault_error(code, exc.message, exc.detail, status=status, secrets=secrets)


def refresh_error(exc: AuthClientError, secrets: tuple[str, ...] = ()) -> TargetError:
    """intuit-oauth's refresh failed: invalid_grant means the refresh token is spent, expired or revoked."""
    status = getattr(exc, "status_code", None)
    if status is not None and status >= 500:
        return TargetError(TARGET, ErrorKind.TRANSIENT, f"Intuit's token service failed (HTTP {status})",
                           code=str(status), status=status)
    body = scrub(getattr(exc, "content", b"").decode("utf-8", "replace") if isinstance(
        getattr(exc, "content", None), bytes) else "", secrets)
    return TargetError(TARGET, ErrorKind.NOT_CONNECTED,
                       f"Intuit refused to refresh the token (HTTP {status}) {body}".strip(), code=str(status),
                       status=status)


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0
