"""The Starlette app: `/v1` routes, `/_sandbox` routes, and Stripe's answer for URLs it does not know."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from .admin import admin_routes
from .errors import unrecognized_url
from .gateway import Gateway
from .ids import new_id
from .routes import api_routes

if TYPE_CHECKING:
    from .sandbox import StripeSandbox


def build_app(sandbox: "StripeSandbox") -> Starlette:
    gateway = Gateway(sandbox)

    async def unknown_url(request: Request, exc: Exception) -> Response:
        # Stripe answers 404 for unknown paths and for known paths with the wrong method alike.
        response = unrecognized_url(request.method, request.url.path).response()
        response.headers["Request-Id"] = new_id("req")
        return response

    return Starlette(routes=api_routes(sandbox, gateway) + admin_routes(sandbox, gateway),
                     exception_handlers={HTTPException: unknown_url})
