"""What every API request passes through before its handler: a request id, latency and faults, the API
key, the rate limit, the Stripe-Account scope, and Stripe's error shape for anything that goes wrong.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
from typing import TYPE_CHECKING, Any, Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from .context import Context
from .errors import StripeError, api_error, error_for_status, rate_limited
from .ids import new_id
from .params import decode
from .shapes import API_VERSION

if TYPE_CHECKING:
    from .sandbox import StripeSandbox

log = logging.getLogger(__name__)

Handler = Callable[..., "dict[str, Any] | Response"]
Endpoint = Callable[[Request], Awaitable[Response]]

_KEY_PREFIX = re.compile(r"^[a-z]{2,3}_(?:test|live)_")
_NO_KEY = ("You did not provide an API key. You need to provide your API key in the Authorization header, using "
           "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication "
           "for details, or we can help at https://support.stripe.com/.")
_LOOPBACK = {"127.0.0.1", "::1", "localhost", "testclient"}


def mask(key: str) -> str:
    """Stripe shows a key's prefix and last four characters only: sk_test_****abcd."""
    match = _KEY_PREFIX.match(key)
    prefix = match.group(0) if match else key[:3]
    return f"{prefix}****{key[-4:]}" if len(key) > len(prefix) + 4 else f"{prefix}****"


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload, separators=(",", ":")), status_code=status, media_type="application/json")


class Gateway:
    def __init__(self, sandbox: "StripeSandbox"):
        self.sandbox = sandbox

    # --- the two kinds of endpoints ------------------------------------------------------------------

    def api(self, route: str, handler: Handler) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            return await self._serve_api(request, route, handler)
        return endpoint

    def admin(self, handler: Callable[[Request], Awaitable[Any]]) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            try:
                if request.client is None or request.client.host not in _LOOPBACK:
                    raise StripeError(403, "The sandbox admin endpoints answer on loopback only.")
                result = await handler(request)
                response = result if isinstance(result, Response) else json_response(result)
            except StripeError as error:
                response = error.response()
            except (ValueError, TypeError, KeyError) as error:
                response = StripeError(400, f"Invalid sandbox request: {error}").response()
            response.headers["Request-Id"] = new_id("req")
            return response
        return endpoint

    # --- an API request --------------------------------------------------------------------------------

    async def _serve_api(self, request: Request, route: str, handler: Handler) -> Response:
        sandbox = self.sandbox
        request_id = new_id("req")
        who = "unauthenticated"
        try:
            await sandbox.faults.wait()
            key = self._api_key(request)
            account = self._account(request, key)
            who = account or "platform"
            # Connected-account requests count against the platform's key, as at Stripe.
            sandbox.limiter.window = sandbox.clock.window(1.0)
            allowed, _, _ = sandbox.limiter.hit(key)
            if not allowed:
                raise rate_limited()
            fault = sandbox.faults.draw(request.method, request.url.path)
            if fault is not None and fault.kind == "timeout":
                await asyncio.sleep(sandbox.faults.timeout_seconds)
                raise api_error(504, "The request timed out.")
            if fault is not None and fault.kind == "status":
                response = (Response(fault.body, status_code=fault.status, media_type="application/json")
                            if fault.body is not None else error_for_status(fault.status).response())
                response.headers.update(fault.headers)
            else:
                params = await self._params(request)
                ctx = Context(sandbox.store, account, int(sandbox.clock.now()), request_id,
                              request.headers.get("idempotency-key"), key)
                result = handler(ctx, params, **request.path_params)
                response = result if isinstance(result, Response) else json_response(result)
                if fault is not None and fault.kind == "malformed":  # cut the JSON off mid-way
                    body = bytes(response.body)
                    response = Response(body[: max(1, len(body) // 2)], status_code=200,
                                        media_type="application/json")
        except StripeError as error:
            response = error.response()
        except Exception:  # a sandbox bug must still answer like Stripe, and be visible in the log
            log.exception("stripe sandbox failed on %s %s", request.method, request.url.path)
            response = api_error().response()
        response.headers["Request-Id"] = request_id
        response.headers["Stripe-Version"] = API_VERSION
        sandbox.stats.record(who, f"{request.method} {route}", response.status_code)
        return response

    def _api_key(self, request: Request) -> str:
        header = request.headers.get("authorization", "").strip()
        if not header:
            raise StripeError(401, _NO_KEY, headers={"WWW-Authenticate": 'Basic realm="Stripe"'})
        scheme, _, credentials = header.partition(" ")
        key = ""
        if scheme.lower() == "bearer":
            key = credentials.strip()
        elif scheme.lower() == "basic":
            try:
                key = base64.b64decode(credentials.strip()).decode().partition(":")[0]
            except ValueError:
                key = ""
        if not key:
            raise StripeError(401, _NO_KEY, headers={"WWW-Authenticate": 'Basic realm="Stripe"'})
        if not self.sandbox.accepts_key(key):
            raise StripeError(401, f"Invalid API Key provided: {mask(key)}",
                              headers={"WWW-Authenticate": 'Basic realm="Stripe"'})
        return key

    def _account(self, request: Request, key: str) -> str | None:
        account = request.headers.get("stripe-account", "").strip()
        if not account or account == self.sandbox.platform_account_id:
            return None
        if account not in self.sandbox.store.accounts:
            raise StripeError(403, f"The provided key '{mask(key)}' does not have access to account '{account}' "
                                   "(or that account does not exist). Application access may have been revoked.",
                              code="account_invalid")
        return account

    @staticmethod
    async def _params(request: Request) -> dict[str, Any]:
        pairs = list(request.query_params.multi_items())
        if request.method in ("POST", "DELETE"):
            body = await request.body()
            if body:
                pairs += parse_qsl(body.decode(), keep_blank_values=True)
        return decode(pairs)
