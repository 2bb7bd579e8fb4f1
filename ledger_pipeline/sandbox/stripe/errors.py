"""Stripe's error answers: `{"error": {"type", "code", "message", "param"}}` with Stripe's status codes."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

DOCS = "https://stripe.com/docs/error-codes/"


class StripeError(Exception):
    """Raised anywhere in a request; the gateway turns it into Stripe's JSON error answer."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = DOCS + self.code.replace("_", "-")
        if self.param:
            error["param"] = self.param
        return {"error": error}

    def response(self) -> Response:
        return Response(json.dumps(self.body(), indent=2), status_code=self.status,
                        media_type="application/json", headers=self.headers)


def invalid(message: str, param: str | None = None, code: str | None = None) -> StripeError:
    return StripeError(400, message, param=param, code=code)


def unknown_parameter(name: str) -> StripeError:
    return StripeError(400, f"Received unknown parameter: {name}", param=name, code="parameter_unknown")


def missing_parameter(name: str) -> StripeError:
    return StripeError(400, f"Missing required param: {name}.", param=name, code="parameter_missing")


def no_such(object_name: str, object_id: str, param: str = "id", status: int = 404) -> StripeError:
    return StripeError(status, f"No such {object_name}: '{object_id}'", param=param, code="resource_missing")


def unrecognized_url(method: str, path: str) -> StripeError:
    return StripeError(404, f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
                            "or we can help at https://support.stripe.com/.")


def rate_limited() -> StripeError:
    return StripeError(429, "Too many requests hit the API too quickly. We recommend an exponential backoff of "
                            "your requests.", code="rate_limit")


def api_error(status: int = 500, message: str | None = None) -> StripeError:
    return StripeError(status, message or "An unknown error occurred", type="api_error")


def error_for_status(status: int) -> StripeError:
    """The answer a scripted fault gives for a bare status code."""
    if status == 429:
        return rate_limited()
    if status == 401:
        return StripeError(401, "Invalid API Key provided: sk_test_****", type="invalid_request_error")
    if status == 402:
        return StripeError(402, "Your card was declined.", type="card_error", code="card_declined")
    if status == 403:
        return StripeError(403, "The provided key does not have the required permissions for this endpoint.",
                           type="invalid_request_error", code="secret_key_required")
    if status == 404:
        return StripeError(404, "The requested resource was not found.", code="resource_missing")
    if 400 <= status < 500:
        return StripeError(status, "The request was invalid.")
    return api_error(status, "Something went wrong on Stripe's end.")
