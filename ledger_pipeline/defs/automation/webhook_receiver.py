"""The Stripe webhook receiver: verify the delivery, put the event in the inbox, answer at once.

`POST /webhooks/stripe/{tenant}` takes the events of one configured tenant's Stripe account (and, for a
platform, its connected accounts' Connect events), signed with that endpoint's secret. A forged signature,
a timestamp outside the tolerance and a replay of a delivery already received are refused; a redelivery by
Stripe (same event, new signature) is acknowledged and not queued twice. The events sensor turns the
inbox into runs, exactly as it does for polled events.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import stripe
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ledger_pipeline.config import ConfigError, ProjectConfig, connected_tenant_key
from ledger_pipeline.defs.automation.event_inbox import StripeEventInbox

MAX_BODY = 1 << 20  # Stripe's events are far smaller


def build_webhook_app(config: ProjectConfig, inbox: StripeEventInbox, secrets: Mapping[str, str],
                      tolerance_seconds: int) -> Starlette:
    """`secrets`: platform tenant key -> its endpoint's signing secret (whsec_...)."""

    async def receive(request: Request) -> JSONResponse:
        platform = request.path_params["tenant"]
        secret = secrets.get(platform)
        if not secret:
            return _refuse(404, f"no Stripe webhook endpoint for tenant {platform!r} here")
        payload = await request.body()
        if len(payload) > MAX_BODY:
            return _refuse(413, "the body is larger than any Stripe event")
        header = request.headers.get("stripe-signature")
        try:
            stripe.WebhookSignature.verify_header(payload, header, secret, tolerance_seconds)
        except stripe.SignatureVerificationError as exc:
            return _refuse(400, f"signature refused: {exc.user_message or 'invalid'}")
        event = _event(payload)
        if event is None:
            return _refuse(400, "the signed body is not a Stripe event")
        if not await run_in_threadpool(inbox.record_delivery, event["id"], _signed_at(header), tolerance_seconds):
            return _refuse(409, f"replayed delivery of {event['id']} refused")
        tenant = tenant_for_account(config, platform, event.get("account"))
        if tenant is None:
            return JSONResponse({"received": event["id"], "ignored": "not an account of a configured tenant"})
        new = await run_in_threadpool(inbox.record, tenant, [event], "webhook")
        return JSONResponse({"received": event["id"], "tenant": tenant, "duplicate": not new})

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "tenants": sorted(secrets)})

    return Starlette(routes=[
        Route("/webhooks/stripe/{tenant}", receive, methods=["POST"]),
        Route("/healthz", health, methods=["GET"]),
    ])


def tenant_for_account(config: ProjectConfig, platform: str, account: str | None) -> str | None:
    """The tenant an event of `account` belongs to, received on `platform`'s endpoint."""
    own = config.tenant(platform)
    if not account or account == own.stripe_account:
        return platform
    configured = next((t.key for t in config.tenants if t.stripe_account == account), None)
    if configured:
        return configured
    try:
        return config.tenant(connected_tenant_key(platform, account)).key
    except ConfigError:
        return None


def _event(payload: bytes) -> dict[str, Any] | None:
    try:
        event = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(event, dict) or event.get("object") != "event" or not isinstance(event.get("id"), str):
        return None
    return event


def _signed_at(header: str) -> int:
    """The `t=` of a header that already verified."""
    return int(next(part[2:] for part in header.split(",") if part.startswith("t=")))


def _refuse(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)
