"""The writes the sandbox accepts: customers, products and prices, and voiding an invoice, each with its
Stripe events.

Form values arrive as strings; empty strings unset a field (and a metadata key), like Stripe.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from . import shapes
from .context import Context
from .errors import StripeError, invalid, missing_parameter, no_such, unknown_parameter
from .params import as_bool, as_int, as_list, only_expand

Convert = Callable[[Any, str], Any]


def _text(value: Any, name: str) -> str | None:
    if not isinstance(value, str):
        raise invalid(f"Invalid string: {value}", param=name)
    return value or None


def _integer(value: Any, name: str) -> int:
    return as_int(value, name)


def _boolean(value: Any, name: str) -> bool:
    return as_bool(value, name)


def _strings(value: Any, name: str) -> list[str]:
    return [] if value == "" else [str(item) for item in as_list(value, name)]


def _address(value: Any, name: str) -> dict[str, Any] | None:
    if value == "":
        return None
    if not isinstance(value, dict):
        raise invalid(f"Invalid hash", param=name)
    for key in value:
        if key not in ("city", "country", "line1", "line2", "postal_code", "state"):
            raise unknown_parameter(f"{name}[{key}]")
    return shapes.address(value)


def _shipping(value: Any, name: str) -> dict[str, Any] | None:
    if value == "":
        return None
    if not isinstance(value, dict) or "name" not in value:
        raise missing_parameter(f"{name}[name]")
    return {"address": _address(value.get("address", {}), f"{name}[address]"), "name": value["name"],
            "phone": value.get("phone") or None}


def _features(value: Any, name: str) -> list[dict[str, str]]:
    return [] if value == "" else [{"name": str(item.get("name", ""))} for item in as_list(value, name)
                                   if isinstance(item, dict)]


CUSTOMER_FIELDS: dict[str, Convert] = {
    "name": _text, "email": _text, "description": _text, "phone": _text, "balance": _integer,
    "invoice_prefix": _text, "preferred_locales": _strings, "tax_exempt": _text, "address": _address,
    "shipping": _shipping,
}
PRODUCT_FIELDS: dict[str, Convert] = {
    "name": _text, "active": _boolean, "description": _text, "images": _strings,
    "marketing_features": _features, "shippable": _boolean, "statement_descriptor": _text,
    "tax_code": _text, "unit_label": _text, "url": _text,
}
PRICE_UPDATE_FIELDS: dict[str, Convert] = {
    "active": _boolean, "nickname": _text, "lookup_key": _text, "tax_behavior": _text,
}


def _apply(obj: dict[str, Any], params: dict[str, Any], fields: dict[str, Convert],
           ignore: tuple[str, ...] = ("expand",)) -> dict[str, Any]:
    """Write params into obj; returns Stripe's `previous_attributes` (old values of what changed)."""
    previous: dict[str, Any] = {}
    for name, raw in params.items():
        if name in ignore:
            continue
        if name == "metadata":
            changed = _merge_metadata(obj, raw)
            if changed:
                previous["metadata"] = changed
            continue
        if name not in fields:
            raise unknown_parameter(name)
        value = fields[name](raw, name)
        if obj.get(name) != value:
            previous[name] = copy.deepcopy(obj.get(name))
            obj[name] = value
    return previous


def _merge_metadata(obj: dict[str, Any], raw: Any) -> dict[str, Any]:
    metadata = obj.setdefault("metadata", {})
    if raw == "":  # metadata="" clears every key
        changed = dict(metadata)
        metadata.clear()
        return changed
    if not isinstance(raw, dict):
        raise invalid("Invalid hash", param="metadata")
    changed = {}
    for key, value in raw.items():
        old = metadata.get(key)
        if value == "":
            metadata.pop(key, None)
        else:
            metadata[key] = str(value)
        if metadata.get(key) != old:
            changed[key] = old
    return changed


def _emit(ctx: Context, kind: str, obj: dict[str, Any], previous: dict[str, Any] | None = None) -> None:
    data: dict[str, Any] = {"object": copy.deepcopy(obj)}
    if previous is not None:
        data["previous_attributes"] = previous
    event = shapes.event(kind, ctx.now, data, account=ctx.account, request_id=ctx.request_id,
                         idempotency_key=ctx.idempotency_key)
    ctx.store.put(event, ctx.account)


def _live(ctx: Context, object_id: str, kind: str) -> dict[str, Any]:
    record = ctx.owned(object_id, kind)
    if record is None or record.deleted:
        raise no_such(kind, object_id)
    return copy.deepcopy(record.obj)


# --- customers ---------------------------------------------------------------------------------------

def create_customer(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.lock:
        obj = shapes.customer(ctx.now)
        _apply(obj, params, CUSTOMER_FIELDS)
        ctx.store.put(obj, ctx.account)
        _emit(ctx, "customer.created", obj)
        return obj


def update_customer(ctx: Context, customer_id: str, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.lock:
        obj = _live(ctx, customer_id, "customer")
        previous = _apply(obj, params, CUSTOMER_FIELDS)
        ctx.store.put(obj, ctx.account)
        if previous:
            _emit(ctx, "customer.updated", obj, previous)
        return obj


def delete_customer(ctx: Context, customer_id: str) -> dict[str, Any]:
    with ctx.store.lock:
        obj = _live(ctx, customer_id, "customer")
        ctx.store.mark_deleted(customer_id)
        _emit(ctx, "customer.deleted", obj)
        return shapes.deleted(obj)


# --- products ----------------------------------------------------------------------------------------

def create_product(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("name"):
        raise missing_parameter("name")
    with ctx.store.lock:
        obj = shapes.product(ctx.now)
        if "id" in params:
            if ctx.store.get(params["id"]) is not None:
                raise StripeError(400, "Product already exists.", param="id", code="resource_already_exists")
            obj["id"] = str(params["id"])
        _apply(obj, params, PRODUCT_FIELDS, ignore=("expand", "id"))
        ctx.store.put(obj, ctx.account)
        _emit(ctx, "product.created", obj)
        return obj


def update_product(ctx: Context, product_id: str, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.lock:
        obj = _live(ctx, product_id, "product")
        fields = dict(PRODUCT_FIELDS, default_price=lambda value, name: _own_price(ctx, value, product_id))
        previous = _apply(obj, params, fields)
        if previous:
            previous["updated"] = obj["updated"]
            obj["updated"] = ctx.now
        ctx.store.put(obj, ctx.account)
        if previous:
            _emit(ctx, "product.updated", obj, previous)
        return obj


def _own_price(ctx: Context, price_id: Any, product_id: str) -> str | None:
    if price_id == "":
        return None
    record = ctx.owned(str(price_id), "price")
    if record is None:
        raise no_such("price", str(price_id), param="default_price", status=400)
    if record.obj.get("product") != product_id:
        raise invalid("The price must belong to this product.", param="default_price")
    return str(price_id)


def delete_product(ctx: Context, product_id: str) -> dict[str, Any]:
    with ctx.store.lock:
        obj = _live(ctx, product_id, "product")
        if len(ctx.store.field_index(ctx.account, "price", "product", product_id)):
            raise invalid("This product cannot be deleted because it has one or more user-created prices.",
                          param="id")
        ctx.store.mark_deleted(product_id)
        _emit(ctx, "product.deleted", obj)
        return shapes.deleted(obj)


# --- prices ------------------------------------------------------------------------------------------

def create_price(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    params = dict(params)
    if "currency" not in params:
        raise missing_parameter("currency")
    with ctx.store.lock:
        obj = shapes.price(ctx.now)
        obj["currency"] = str(params.pop("currency")).lower()
        product_data = params.pop("product_data", None)
        if "product" in params:
            product_id = str(params.pop("product"))
            if ctx.owned(product_id, "product") is None or ctx.store.get(product_id).deleted:
                raise no_such("product", product_id, param="product", status=400)
            obj["product"] = product_id
        elif isinstance(product_data, dict):
            obj["product"] = create_product(ctx, product_data)["id"]
        else:
            raise missing_parameter("product")
        if "unit_amount" in params:
            obj["unit_amount"] = as_int(params.pop("unit_amount"), "unit_amount")
            obj["unit_amount_decimal"] = str(obj["unit_amount"])
        elif "unit_amount_decimal" in params:
            obj["unit_amount_decimal"] = str(params.pop("unit_amount_decimal"))
        if "recurring" in params:
            obj["recurring"] = _recurring(params.pop("recurring"))
            obj["type"] = "recurring"
        if params.pop("billing_scheme", "per_unit") != "per_unit":
            raise invalid("The sandbox only supports billing_scheme=per_unit.", param="billing_scheme")
        _apply(obj, params, PRICE_UPDATE_FIELDS)
        ctx.store.put(obj, ctx.account)
        _emit(ctx, "price.created", obj)
        return obj


def _recurring(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or "interval" not in raw:
        raise missing_parameter("recurring[interval]")
    if raw["interval"] not in ("day", "week", "month", "year"):
        raise invalid(f"Invalid recurring[interval]: must be one of day, month, week, or year",
                      param="recurring[interval]")
    for key in raw:
        if key not in ("interval", "interval_count", "usage_type"):
            raise unknown_parameter(f"recurring[{key}]")
    return shapes.recurring(raw["interval"], as_int(raw.get("interval_count", 1), "recurring[interval_count]"),
                            raw.get("usage_type", "licensed"))


def update_price(ctx: Context, price_id: str, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.lock:
        obj = _live(ctx, price_id, "price")
        previous = _apply(obj, params, PRICE_UPDATE_FIELDS)
        ctx.store.put(obj, ctx.account)
        if previous:
            _emit(ctx, "price.updated", obj, previous)
        return obj


# --- invoices ----------------------------------------------------------------------------------------

def void_invoice(ctx: Context, invoice_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """POST /v1/invoices/{id}/void: Stripe voids only open or uncollectible invoices (a paid one is refunded
    or credited instead); `invoice.updated` and `invoice.voided` follow, as Stripe sends them."""
    only_expand(params)
    with ctx.store.lock:
        obj = _live(ctx, invoice_id, "invoice")
        if obj.get("status") not in ("open", "uncollectible"):
            raise invalid(f"You can only void an open or uncollectible invoice; {invoice_id} is "
                          f"{obj.get('status')}.", param="invoice")
        previous = {"status": obj["status"], "status_transitions": copy.deepcopy(obj.get("status_transitions")),
                    "auto_advance": obj.get("auto_advance")}
        obj["status"] = "void"
        obj["auto_advance"] = False
        obj["status_transitions"] = dict(obj.get("status_transitions") or {}, voided_at=ctx.now)
        ctx.store.put(obj, ctx.account)
        _emit(ctx, "invoice.updated", obj, previous)
        _emit(ctx, "invoice.voided", obj, previous)
        return obj
