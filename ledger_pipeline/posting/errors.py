"""What can go wrong talking to a books target, in one vocabulary for QuickBooks and Xero.

Every failure a target client raises is a `TargetError`: the kind (what it means for the posting
protocol), the target's own code and message, and the fix (what to change in the books or the mapping).
Messages are built from the target's error text only, never from request headers or tokens.
"""

from __future__ import annotations

from enum import Enum


class ErrorKind(str, Enum):
    THROTTLED = "throttled"            # 429: refused before any work; safe to send again after a wait
    DAILY_LIMIT = "daily_limit"        # Xero's calls-per-day limit: nothing more today
    BUDGET = "budget"                  # our own floor on the daily budget: stopped before sending
    TOKEN_EXPIRED = "token_expired"    # 401: refresh the access token and send again
    NOT_CONNECTED = "not_connected"    # refresh refused (invalid_grant), or no tokens at all: reconnect
    FORBIDDEN = "forbidden"            # the token does not reach this company / tenant
    TRANSIENT = "transient"            # 5xx, timeout, broken answer: the outcome is unknown
    STALE = "stale"                    # QuickBooks 5010: the SyncToken is out of date
    DUPLICATE_NAME = "duplicate_name"  # QuickBooks 6240
    DUPLICATE_DOC = "duplicate_doc"    # QuickBooks 6140
    NOT_FOUND = "not_found"            # QuickBooks 610, Xero 404: missing or inactive
    INVALID = "invalid"                # the target refused the content (validation)


# Refused for good: the target did nothing and the same request would be refused again.
# The posting protocol records these against the record (status failed) and carries on with the next one.
DEFINITIVE = frozenset({ErrorKind.STALE, ErrorKind.DUPLICATE_NAME, ErrorKind.DUPLICATE_DOC, ErrorKind.NOT_FOUND,
                        ErrorKind.INVALID})
# Never reached the books (refused at the door, or not sent): the same request may go again later. These,
# and TRANSIENT, concern the connection rather than one record, so posting stops and the run fails.
NOT_SENT = frozenset({ErrorKind.THROTTLED, ErrorKind.DAILY_LIMIT, ErrorKind.BUDGET, ErrorKind.TOKEN_EXPIRED,
                      ErrorKind.NOT_CONNECTED, ErrorKind.FORBIDDEN})

DEFAULT_FIX = {
    ErrorKind.THROTTLED: "Too many calls for this company: re-run later; if it keeps happening lower "
                         "requests_per_minute / max_concurrent in the target's settings.",
    ErrorKind.DAILY_LIMIT: "The organisation's daily API limit is used up: re-run after it resets "
                           "(see retry_after), or post in larger batches.",
    ErrorKind.BUDGET: "Stopped before the daily API limit (min_calls_left): re-run tomorrow or lower min_calls_left.",
    ErrorKind.TOKEN_EXPIRED: "The access token was refused even after a refresh: reconnect the app to this company.",
    ErrorKind.NOT_CONNECTED: "The app's connection to this company is gone (refresh token expired, revoked or "
                             "never stored): reconnect the app and store the new tokens.",
    ErrorKind.FORBIDDEN: "The connected user/app cannot reach this company: check realm_id / tenant_id, or "
                         "reconnect choosing this company.",
    ErrorKind.TRANSIENT: "The service failed or timed out: re-run later; the same idempotency key is sent again, "
                         "so nothing is posted twice.",
    ErrorKind.STALE: "The object was changed in the books since we last wrote it: re-run (the current SyncToken "
                     "is read again), and check who edited it.",
    ErrorKind.DUPLICATE_NAME: "A customer, vendor or employee already uses this name: rename or merge it in "
                              "QuickBooks, or map the record to the existing one.",
    ErrorKind.DUPLICATE_DOC: "This document number is already used in the books: change the document number "
                             "in the mapping, or allow duplicate numbers in the company's settings.",
    ErrorKind.NOT_FOUND: "Something the record refers to is missing or inactive (account, customer, item, tax "
                         "code): reactivate it in the books or fix the mapping.",
    ErrorKind.INVALID: "The books refused the content: fix the mapping or the company settings the message names.",
}


class TargetError(Exception):
    """A call to QuickBooks or Xero that did not work, classified for the posting protocol."""

    def __init__(self, target: str, kind: ErrorKind, message: str, *, code: str | None = None,
                 fix: str | None = None, retry_after: float | None = None, status: int | None = None,
                 details: list[str] | None = None):
        self.target = target
        self.kind = kind
        self.code = code
        self.message = message
        self.fix = fix or DEFAULT_FIX[kind]
        self.retry_after = retry_after
        self.status = status
        self.details = list(details or [])
        super().__init__(str(self))

    @property
    def definitive(self) -> bool:
        """The target refused this request for good: the outbox row is `failed`, the next try is a new request."""
        return self.kind in DEFINITIVE

    @property
    def not_sent(self) -> bool:
        return self.kind in NOT_SENT

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        return f"{self.target} {self.kind.value}{code}: {self.message} Fix: {self.fix}"
