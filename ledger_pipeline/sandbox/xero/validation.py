"""Xero's refusals: the exceptions handlers raise and the bodies Xero answers with.

A ValidationException (HTTP 400, ErrorNumber 10) carries the refused elements, each echoing what was
sent plus `ValidationErrors: [{"Message": ...}]`; xero-python reads `Elements[0].ValidationErrors[0].Message`
as the exception's reason. Auth failures use Xero's problem-details shape instead.
"""

from __future__ import annotations

import uuid
from decimal import InvalidOperation
from typing import Any

from .serialize import parse_date, to_decimal


class XeroError(Exception):
    """Any refusal that ends a request with a fixed status and body."""

    status = 400

    def body(self) -> dict | str:
        raise NotImplementedError


class Invalid(XeroError):
    """One element (invoice, payment, ...) breaks Xero's rules; `messages` are Xero's wording."""

    def __init__(self, messages: str | list[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))

    def body(self) -> dict:
        return validation_exception([{"ValidationErrors": [{"Message": m} for m in self.messages]}])


class QueryParseError(XeroError):
    """A `where` or `order` Xero cannot parse (Xero answers ErrorNumber 16)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def body(self) -> dict:
        return {"ErrorNumber": 16, "Type": "QueryParseException", "Message": self.message}


class BadRequest(XeroError):
    """A malformed request Xero refuses before looking at elements (bad JSON, bad header)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def body(self) -> dict:
        return {"ErrorNumber": 14, "Type": "PostDataInvalidException", "Message": self.message}


class NotFound(XeroError):
    status = 404

    def body(self) -> str:
        return "The resource you're looking for cannot be found"


class ProblemDetails(XeroError):
    """401/403 from Xero's gateway: `{"Type":null,"Title":"Unauthorized","Status":401,"Detail":...}`."""

    def __init__(self, status: int, title: str, detail: str):
        self.status = status
        self.title = title
        self.detail = detail
        super().__init__(detail)

    def body(self) -> dict:
        return {"Type": None, "Title": self.title, "Status": self.status, "Detail": self.detail,
                "Instance": str(uuid.uuid4()), "Extensions": {}}


def unauthorized(detail: str = "AuthenticationUnsuccessful") -> ProblemDetails:
    return ProblemDetails(401, "Unauthorized", detail)


def forbidden(detail: str = "AuthenticationUnsuccessful") -> ProblemDetails:
    return ProblemDetails(403, "Forbidden", detail)


def validation_exception(elements: list[dict]) -> dict:
    return {"ErrorNumber": 10, "Type": "ValidationException",
            "Message": "A validation exception occurred", "Elements": elements}


# ---------------------------------------------------------------- field readers that collect errors

class Errors(list):
    """Messages gathered while checking one element, so all of them come back at once, as Xero does."""

    def raise_if_any(self) -> None:
        if self:
            raise Invalid(list(self))


def read_amount(raw: dict, key: str, errors: Errors, label: str | None = None):
    try:
        return to_decimal(raw.get(key))
    except (InvalidOperation, ValueError):
        errors.append(f"{label or key} must be a valid number")
        return None


def read_date(raw: dict, key: str, errors: Errors, label: str | None = None):
    value = raw.get(key)
    if value in (None, ""):
        return None
    try:
        return parse_date(value)
    except (ValueError, TypeError, OverflowError):
        errors.append(f"The {label or key} '{value}' is not a valid date")
        return None


def is_guid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
        return True
    except (ValueError, TypeError, AttributeError):
        return False
