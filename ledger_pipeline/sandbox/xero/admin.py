"""/_sandbox: knobs and views for tests, demos and benchmarks. No auth, loopback callers only.

POST /_sandbox/faults        body: Faults settings (latency_ms, error_rate, scripted, ...) or {"clear": true}
POST /_sandbox/clock         body: {"freeze_at": epoch|ISO, "advance": seconds, "unfreeze": true, "time_scale": x}
GET  /_sandbox/health        liveness, tenants, sandbox time
GET  /_sandbox/stats         calls, answers by status, 429s by problem, replays, faults, per tenant
GET  /_sandbox/state/{tenant}  the organisation's books (Decimals as strings) and its balances by account code
POST /_sandbox/tokens        body: {"tenant_id": ..., "client_id": ...} -> a token dict, as issue_tokens()
POST /_sandbox/reset         body: {"limits": true, "stats": true, "idempotency": true, "books": false}
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .ledger import balances_by_code

if TYPE_CHECKING:
    from .sandbox import XeroSandbox

LOOPBACK = {"127.0.0.1", "::1", "localhost", "testclient"}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


async def _body(request: Request) -> dict:
    raw = await request.body()
    if not raw.strip():
        return {}
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


def routes(sandbox: "XeroSandbox") -> list[Route]:
    def guard(handler):
        async def wrapped(request: Request) -> Response:
            if request.client is None or request.client.host not in LOOPBACK:
                return JSONResponse({"error": "the admin API answers loopback callers only"}, status_code=403)
            try:
                return await handler(request)
            except (ValueError, TypeError, KeyError) as error:
                return JSONResponse({"error": str(error)}, status_code=400)
        return wrapped

    def faults_view() -> dict:
        f = sandbox.faults
        return {"latency_ms": f.latency_ms, "error_rate": f.error_rate, "timeout_rate": f.timeout_rate,
                "timeout_seconds": f.timeout_seconds, "slow_page_rate": f.slow_page_rate,
                "slow_page_ms": f.slow_page_ms, "seed": f.seed, "scripted": [asdict(s) for s in f.scripted]}

    async def faults(request: Request) -> Response:
        body = await _body(request)
        if body.pop("clear", False):
            sandbox.faults.clear()
        if body:
            sandbox.faults.configure(**body)
        return JSONResponse(faults_view())

    async def clock(request: Request) -> Response:
        body = await _body(request)
        if "time_scale" in body:
            sandbox.clock.time_scale = float(body["time_scale"])
        if body.get("unfreeze"):
            sandbox.clock.unfreeze()
        if body.get("freeze_at") is not None:
            at = body["freeze_at"]
            if isinstance(at, (int, float)):
                sandbox.clock.freeze(float(at))
            else:
                moment = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
                sandbox.clock.freeze((moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp())
        if body.get("advance"):
            sandbox.advance(float(body["advance"]))
        return JSONResponse({"now": sandbox.clock.now(), "now_ms": sandbox.now_ms(),
                             "time_scale": sandbox.clock.time_scale})

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "service": "xero-sandbox", "now_ms": sandbox.now_ms(),
                             "tenants": {tid: b.name for tid, b in sandbox.organisations.items()}})

    async def stats(request: Request) -> Response:
        return JSONResponse(sandbox.stats.snapshot())

    async def state(request: Request) -> Response:
        tenant = request.path_params["tenant"].lower()
        books = sandbox.organisations.get(tenant)
        if books is None:
            return JSONResponse({"error": f"no organisation {tenant}"}, status_code=404)
        with sandbox.lock:
            view = _plain({"tenant_id": books.tenant_id, "organisation": books.organisation,
                           "fx_rates": books.fx_rates, "balances_by_code": balances_by_code(books),
                           **{name: list(rows.values()) for name, rows in books.data.items() if name != "meta"}})
        return JSONResponse(view)

    async def tokens(request: Request) -> Response:
        body = await _body(request)
        return JSONResponse(sandbox.issue_tokens(body.get("tenant_id"), client_id=body.get("client_id")))

    async def reset(request: Request) -> Response:
        body = await _body(request) or {"limits": True, "stats": True}
        sandbox.reset(**{k: bool(v) for k, v in body.items()})
        return JSONResponse({"reset": sorted(k for k, v in body.items() if v)})

    return [
        Route("/_sandbox/faults", guard(faults), methods=["POST"]),
        Route("/_sandbox/clock", guard(clock), methods=["POST"]),
        Route("/_sandbox/health", guard(health), methods=["GET"]),
        Route("/_sandbox/stats", guard(stats), methods=["GET"]),
        Route("/_sandbox/state/{tenant}", guard(state), methods=["GET"]),
        Route("/_sandbox/tokens", guard(tokens), methods=["POST"]),
        Route("/_sandbox/reset", guard(reset), methods=["POST"]),
    ]
