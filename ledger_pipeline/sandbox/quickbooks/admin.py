"""/_sandbox/*: knobs and views for tests and the demo (no auth; only answered on loopback)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .jsonutil import dumps, loads

LOOPBACK = {"127.0.0.1", "::1", "localhost", "testclient"}


def routes(sandbox: Any) -> list[Route]:
    def guard(request: Request) -> Response | None:
        host = request.client.host if request.client else ""
        return None if host in LOOPBACK else JSONResponse({"error": "admin is loopback only"}, status_code=403)

    async def body(request: Request) -> dict:
        raw = await request.body()
        data = loads(raw) if raw.strip() else {}
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        return data

    def json(value: Any, status: int = 200) -> Response:
        return Response(dumps(value), status_code=status, media_type="application/json")

    async def faults(request: Request) -> Response:
        if (denied := guard(request)) is not None:
            return denied
        try:
            return json(sandbox.configure(**await body(request)))
        except (ValueError, TypeError) as exc:
            return json({"error": str(exc)}, 400)

    async def clock(request: Request) -> Response:
        if (denied := guard(request)) is not None:
            return denied
        try:
            data = await body(request)
            if "time_scale" in data:
                sandbox.clock.time_scale = float(data["time_scale"])
            if "freeze_at" in data:
                sandbox.move_clock(to=float(data["freeze_at"]))
            if "advance" in data:
                sandbox.move_clock(by=float(data["advance"]))
            if data.get("unfreeze"):
                sandbox.clock.unfreeze()
        except (ValueError, TypeError) as exc:
            return json({"error": str(exc)}, 400)
        return json({"now": sandbox.clock.now(), "time_scale": sandbox.clock.time_scale})

    async def health(request: Request) -> Response:
        return json({"status": "ok", "service": "quickbooks-sandbox", "realms": sorted(sandbox.companies),
                     "now": sandbox.clock.now()})

    async def stats(request: Request) -> Response:
        if (denied := guard(request)) is not None:
            return denied
        return json({**sandbox.stats.snapshot(), "limits": sandbox.limits.settings()})

    async def state(request: Request) -> Response:
        if (denied := guard(request)) is not None:
            return denied
        realm = request.path_params["realm"]
        if realm not in sandbox.companies:
            return json({"error": f"unknown realm {realm}"}, 404)
        return json(sandbox.state(realm))

    async def settings(request: Request) -> Response:
        if (denied := guard(request)) is not None:
            return denied
        realm = request.path_params["realm"]
        company = sandbox.companies.get(realm)
        if company is None:
            return json({"error": f"unknown realm {realm}"}, 404)
        data = await body(request)
        unknown = set(data) - set(company.settings)
        if unknown:
            return json({"error": f"unknown settings {sorted(unknown)}"}, 400)
        with company.lock:
            company.settings.update(data)
        return json(company.settings)

    return [
        Route("/_sandbox/faults", faults, methods=["POST"]),
        Route("/_sandbox/clock", clock, methods=["POST"]),
        Route("/_sandbox/health", health, methods=["GET"]),
        Route("/_sandbox/stats", stats, methods=["GET"]),
        Route("/_sandbox/state/{realm}", state, methods=["GET"]),
        Route("/_sandbox/settings/{realm}", settings, methods=["POST"]),
    ]
