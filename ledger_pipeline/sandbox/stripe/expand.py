"""`expand[]`: replace an id with the object it names, along dotted paths (`data.source.customer`).

Copies only the dicts on the expanded path; everything else is shared with the store.
"""

from __future__ import annotations

from typing import Any, Callable

from .errors import invalid

Resolve = Callable[[str], dict[str, Any] | None]

# Fields Stripe documents as expandable. A null one stays null; one naming an object the sandbox does
# not hold stays an id. Any other field that holds the id of a known object expands too.
EXPANDABLE = {
    "account", "application", "application_fee", "balance_transaction", "charge", "credit_note", "customer",
    "customer_balance_transaction", "default_payment_method", "default_price", "default_source",
    "default_tax_rates", "destination", "destination_payment", "discounts", "dispute", "failure_balance_transaction",
    "invoice", "invoice_item", "latest_charge", "latest_invoice", "latest_revision", "on_behalf_of",
    "original_payout", "originating_transaction", "payment_intent", "payment_method", "payout", "price",
    "product", "refund", "reversed_by", "review", "source", "source_transaction", "source_transfer",
    "source_transfer_reversal", "subscription", "subscription_item", "tax_rates", "test_clock", "transfer",
    "transfer_reversal",
}


def expand(node: dict[str, Any], paths: list[str], resolve: Resolve) -> dict[str, Any]:
    for path in paths:
        if not isinstance(path, str) or not path:
            raise invalid("Invalid expand path.", param="expand")
        node = _expand(node, path.split("."), resolve)
    return node


def _expand(node: Any, segments: list[str], resolve: Resolve) -> Any:
    if isinstance(node, list):
        return [_expand(item, segments, resolve) for item in node]
    name, rest = segments[0], segments[1:]
    if not isinstance(node, dict) or name not in node:
        raise _cannot(name)
    copy = dict(node)
    copy[name] = _expand_value(node[name], name, rest, resolve)
    return copy


def _expand_value(value: Any, name: str, rest: list[str], resolve: Resolve) -> Any:
    if isinstance(value, list):
        return [_expand_value(item, name, rest, resolve) for item in value]
    if value is None:
        return None
    if isinstance(value, str):
        target = resolve(value)
        if target is None:
            if name in EXPANDABLE:
                return value
            raise _cannot(name)
        value = target
    elif not isinstance(value, dict) or (not rest and "object" not in value):
        raise _cannot(name)
    return _expand(value, rest, resolve) if rest else value


def _cannot(name: str):
    return invalid(f"This property cannot be expanded ({name}).", param="expand")
