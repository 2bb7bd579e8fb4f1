"""`/_sandbox/*`: test and admin endpoints (no API key, loopback only): seed, faults, clock, health, stats."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.routing import Route

from .gateway import Gateway

if TYPE_CHECKING:
    from .sandbox import StripeSandbox


def admin_routes(sandbox: "StripeSandbox", gateway: Gateway) -> list[Route]:
    async def objects(request: Request) -> dict[str, Any]:
        seed = await request.json()
        loaded = sandbox.store.load(seed, copy_objects=False)  # freshly parsed: no copy needed
        return {"loaded": loaded, "objects": len(sandbox.store)}

    async def faults(request: Request) -> dict[str, Any]:
        settings = await request.json()
        if settings.pop("clear", False):
            sandbox.faults.clear()
        if settings:
            sandbox.faults.configure(**settings)
        return _fault_settings(sandbox)

    async def clock(request: Request) -> dict[str, Any]:
        settings = await request.json()
        if "freeze_at" in settings:
            sandbox.clock.freeze(float(settings["freeze_at"]))
        if "advance" in settings:
            sandbox.clock.advance(float(settings["advance"]))
        if settings.get("unfreeze"):
            sandbox.clock.unfreeze()
        if "time_scale" in settings:
            sandbox.clock.time_scale = float(settings["time_scale"])
        return {"now": sandbox.clock.now(), "time_scale": sandbox.clock.time_scale}

    async def rate_limit(request: Request) -> dict[str, Any]:
        settings = await request.json()
        if "requests_per_second" in settings:
            sandbox.limiter.limit = int(settings["requests_per_second"])
        sandbox.limiter.reset()
        return {"requests_per_second": sandbox.limiter.limit}

    async def health(request: Request) -> dict[str, Any]:
        return {"status": "ok", "objects": len(sandbox.store), "accounts": sorted(sandbox.store.accounts),
                "now": sandbox.clock.now()}

    async def stats(request: Request) -> dict[str, Any]:
        if request.method == "DELETE":
            sandbox.stats.reset()
        return sandbox.stats.snapshot()

    return [
        Route("/_sandbox/objects", gateway.admin(objects), methods=["POST"]),
        Route("/_sandbox/faults", gateway.admin(faults), methods=["POST"]),
        Route("/_sandbox/clock", gateway.admin(clock), methods=["POST"]),
        Route("/_sandbox/rate_limit", gateway.admin(rate_limit), methods=["POST"]),
        Route("/_sandbox/health", gateway.admin(health), methods=["GET"]),
        Route("/_sandbox/stats", gateway.admin(stats), methods=["GET", "DELETE"]),
    ]


def _fault_settings(sandbox: "StripeSandbox") -> dict[str, Any]:
    faults = sandbox.faults
    return {
        "latency_ms": faults.latency_ms, "error_rate": faults.error_rate, "timeout_rate": faults.timeout_rate,
        "timeout_seconds": faults.timeout_seconds, "slow_page_rate": faults.slow_page_rate,
        "slow_page_ms": faults.slow_page_ms, "seed": faults.seed,
        "scripted": [asdict(fault) for fault in faults.scripted],
    }
