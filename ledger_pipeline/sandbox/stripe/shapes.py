"""Full Stripe shapes of the objects the sandbox creates itself (schema-valid, every field present)."""

from __future__ import annotations

from typing import Any

from .ids import invoice_prefix, new_id

API_VERSION = "2026-10-28.endive"  # what stripe-python 16.1.0 pins


def customer(now: int) -> dict[str, Any]:
    return {
        "id": new_id("cus"), "object": "customer", "address": None, "balance": 0, "created": now,
        "currency": None, "default_source": None, "delinquent": False, "description": None, "discount": None,
        "email": None, "invoice_prefix": invoice_prefix(),
        "invoice_settings": {"custom_fields": None, "default_payment_method": None, "footer": None,
                             "rendering_options": None},
        "livemode": False, "metadata": {}, "name": None, "next_invoice_sequence": 1, "phone": None,
        "preferred_locales": [], "shipping": None, "tax_exempt": "none", "test_clock": None,
    }


def deleted(obj: dict[str, Any]) -> dict[str, Any]:
    """What Stripe answers for a deleted object: its id, its type and `deleted: true`."""
    return {"id": obj["id"], "object": obj["object"], "deleted": True}


def product(now: int) -> dict[str, Any]:
    return {
        "id": new_id("prod"), "object": "product", "active": True, "created": now, "default_price": None,
        "description": None, "images": [], "livemode": False, "marketing_features": [], "metadata": {},
        "name": "", "package_dimensions": None, "shippable": None, "statement_descriptor": None,
        "tax_code": None, "type": "service", "unit_label": None, "updated": now, "url": None,
    }


def price(now: int) -> dict[str, Any]:
    return {
        "id": new_id("price"), "object": "price", "active": True, "billing_scheme": "per_unit", "created": now,
        "currency": "usd", "custom_unit_amount": None, "livemode": False, "lookup_key": None, "metadata": {},
        "nickname": None, "product": None, "recurring": None, "tax_behavior": "unspecified", "tiers_mode": None,
        "transform_quantity": None, "type": "one_time", "unit_amount": None, "unit_amount_decimal": None,
    }


def recurring(interval: str, interval_count: int = 1, usage_type: str = "licensed") -> dict[str, Any]:
    return {"interval": interval, "interval_count": interval_count, "meter": None, "usage_type": usage_type}


def address(fields: dict[str, Any]) -> dict[str, Any]:
    keys = ("city", "country", "line1", "line2", "postal_code", "state")
    return {key: fields.get(key) or None for key in keys}


def event(kind: str, now: int, data: dict[str, Any], *, account: str | None, request_id: str | None,
          idempotency_key: str | None = None) -> dict[str, Any]:
    answer = {
        "id": new_id("evt"), "object": "event", "api_version": API_VERSION, "created": now, "data": data,
        "livemode": False, "pending_webhooks": 0,
        "request": {"id": request_id, "idempotency_key": idempotency_key}, "type": kind,
    }
    if account:
        answer["account"] = account
    return answer


def platform_account(account_id: str, created: int) -> dict[str, Any]:
    """The platform's own account (GET /v1/account without Stripe-Account)."""
    return {
        "id": account_id, "object": "account", "business_type": "company", "charges_enabled": True,
        "country": "US", "created": created, "default_currency": "usd", "details_submitted": True,
        "email": "finance@sandbox.example", "metadata": {}, "payouts_enabled": True, "type": "standard",
    }
