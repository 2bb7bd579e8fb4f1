"""The Starlette app: OAuth, the v3 API and the admin endpoints of one QuickBooksSandbox."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from . import admin, api, oauth


def build_app(sandbox: Any) -> Starlette:
    return Starlette(routes=oauth.routes(sandbox) + api.routes(sandbox) + admin.routes(sandbox))
