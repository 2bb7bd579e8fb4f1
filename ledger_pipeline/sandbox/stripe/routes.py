"""The `/v1` endpoints: lists and retrieves of every resource, the balance, lines, and the writes."""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import partial
from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from . import mutations, shapes
from .context import Context
from .errors import StripeError, invalid, no_such, unknown_parameter
from .expand import expand
from .gateway import Gateway
from .listing import ListSpec, Predicate, list_embedded, list_objects
from .params import as_list, only_expand
from .resources import RESOURCES

if TYPE_CHECKING:
    from .sandbox import StripeSandbox

PLATFORM_ACCOUNT_CREATED = 1577836800  # 2020-01-01, before anything a seed holds


class Api:
    def __init__(self, sandbox: "StripeSandbox"):
        self.sandbox = sandbox

    # --- lists and retrieves -------------------------------------------------------------------------

    def list(self, spec: ListSpec, ctx: Context, params: dict[str, Any], url: str | None = None) -> dict[str, Any]:
        if spec.platform_only and ctx.account is not None:
            raise _platform_only()
        candidates, predicates, floor = None, [], None
        if spec.kind == "balance_transaction" and "payout" in params:
            candidates = self._payout_entries(ctx, params["payout"])
        elif spec.kind == "product" and "ids" in params:
            ids = as_list(params["ids"], "ids")
            records = (ctx.owned(str(i), "product") for i in ids)
            candidates = sorted(r.entry for r in records if r is not None and not r.deleted)
        elif spec.kind == "price":
            predicates += _price_filters(params)
        elif spec.kind == "invoice_payment" and "payment" in params:
            predicates += _payment_filters(params["payment"])
        elif spec.kind == "event":
            floor = self._retention_floor(ctx)
            candidates, predicates = _event_filters(ctx, params)
        page = list_objects(ctx.store, spec, ctx.account, params, url=url or spec.url, candidates=candidates,
                            predicates=predicates, floor=floor)
        return _expanded(ctx, page, params)

    def retrieve(self, spec: ListSpec, ctx: Context, params: dict[str, Any], id: str) -> dict[str, Any]:
        only_expand(params)
        record = ctx.owned(id, spec.kind)
        if spec.kind == "account":
            if ctx.account is not None and id != ctx.account:
                raise _platform_only()
            record = ctx.store.get(id)
            record = record if record is not None and record.type == "account" else None
        if record is None or (record.deleted and spec.kind != "customer"):
            raise no_such(spec.kind, id)
        if record.deleted:  # Stripe still answers for a deleted customer
            return shapes.deleted(record.obj)
        if spec.kind == "event" and record.obj.get("created", 0) < self._retention_floor(ctx):
            raise no_such(spec.kind, id)
        return _expanded(ctx, record.obj, params)

    def balance(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        only_expand(params)
        return self.sandbox.balances.balance(ctx.account, self.sandbox.clock.now())

    def current_account(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        only_expand(params)
        if ctx.account is None:
            return shapes.platform_account(self.sandbox.platform_account_id, PLATFORM_ACCOUNT_CREATED)
        record = ctx.store.get(ctx.account)
        return record.obj if record is not None else {"id": ctx.account, "object": "account"}

    def lines(self, kind: str, ctx: Context, params: dict[str, Any], id: str) -> dict[str, Any]:
        record = ctx.owned(id, kind)
        if record is None or record.deleted:
            raise no_such(kind, id)
        lines = record.obj.get("lines") or {}
        url = f"/v1/{kind}s/{id}/lines"
        page = list_embedded(lines.get("data", []), params, url=url, kind="line_item")
        return _expanded(ctx, page, params)

    def _payout_entries(self, ctx: Context, payout_id: Any) -> list:
        record = ctx.owned(str(payout_id), "payout")
        if record is None or record.deleted:
            raise no_such("payout", str(payout_id), param="payout")
        if not record.obj.get("automatic"):
            raise invalid("Balance transaction history can only be filtered on automatic payouts, not manual "
                          "payouts.", param="payout")
        return self.sandbox.compositions.entries(record.obj["id"])

    def _retention_floor(self, ctx: Context) -> int:
        return ctx.now - int(self.sandbox.events_retention_days * 86400)

    # --- writes --------------------------------------------------------------------------------------

    def write(self, action, ctx: Context, params: dict[str, Any], **path: str) -> dict[str, Any]:
        result = action(ctx, *path.values(), params) if path else action(ctx, params)
        return _expanded(ctx, result, params)

    def remove(self, action, ctx: Context, params: dict[str, Any], id: str) -> dict[str, Any]:
        for name in params:
            raise unknown_parameter(name)
        return action(ctx, id)


def _expanded(ctx: Context, obj: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    if "expand" not in params:
        return obj
    return expand(obj, as_list(params["expand"], "expand"), ctx.resolve)


def _platform_only() -> StripeError:
    return StripeError(403, "Only Stripe Connect platforms can work with other accounts. If you specified a "
                            "client_id parameter, make sure it's correct.")


def _event_filters(ctx: Context, params: dict[str, Any]) -> tuple[list | None, list[Predicate]]:
    if "type" in params and "types" in params:
        raise invalid("You may only specify one of these parameters: type, types.", param="types")
    if "types" in params:
        wanted = set(as_list(params["types"], "types"))
        return None, [lambda obj: obj.get("type") in wanted]
    kind = params.get("type")
    if kind is None:
        return None, []
    if not isinstance(kind, str):
        raise invalid(f"Invalid string: {kind}", param="type")
    if "*" in kind:
        return None, [lambda obj: fnmatchcase(obj.get("type", ""), kind)]
    return ctx.store.field_index(ctx.account, "event", "type", kind).entries, []


def _price_filters(params: dict[str, Any]) -> list[Predicate]:
    checks: list[Predicate] = []
    if "lookup_keys" in params:
        keys = set(as_list(params["lookup_keys"], "lookup_keys"))
        checks.append(lambda obj: obj.get("lookup_key") in keys)
    recurring = params.get("recurring")
    if recurring is not None:
        if not isinstance(recurring, dict):
            raise invalid("Invalid hash", param="recurring")
        for key, value in recurring.items():
            if key not in ("interval", "usage_type", "meter"):
                raise unknown_parameter(f"recurring[{key}]")
            checks.append(lambda obj, k=key, v=value: (obj.get("recurring") or {}).get(k) == v)
    return checks


def _payment_filters(payment: Any) -> list[Predicate]:
    """`payment[type]=payment_intent&payment[payment_intent]=pi_...` on invoice payments."""
    if not isinstance(payment, dict):
        raise invalid("Invalid hash", param="payment")
    for key in payment:
        if key not in ("type", "payment_intent", "payment_record", "charge"):
            raise unknown_parameter(f"payment[{key}]")
    return [lambda obj, k=key, v=value: (obj.get("payment") or {}).get(k) == v for key, value in payment.items()]


def api_routes(sandbox: "StripeSandbox", gateway: Gateway) -> list[Route]:
    api = Api(sandbox)
    routes: list[Route] = []

    def add(path: str, handler, method: str = "GET") -> None:
        routes.append(Route(path, gateway.api(path, handler), methods=[method]))

    for spec in RESOURCES.values():
        add(spec.url, partial(api.list, spec))
        add(spec.url + "/{id}", partial(api.retrieve, spec))
    history = RESOURCES["balance_transactions"]
    add("/v1/balance/history", lambda ctx, params: api.list(history, ctx, params, url="/v1/balance/history"))
    add("/v1/balance/history/{id}", partial(api.retrieve, history))
    add("/v1/balance", api.balance)
    add("/v1/account", api.current_account)
    add("/v1/invoices/{id}/lines", partial(api.lines, "invoice"))
    add("/v1/credit_notes/{id}/lines", partial(api.lines, "credit_note"))

    add("/v1/customers", partial(api.write, mutations.create_customer), "POST")
    add("/v1/customers/{id}", partial(api.write, mutations.update_customer), "POST")
    add("/v1/customers/{id}", partial(api.remove, mutations.delete_customer), "DELETE")
    add("/v1/products", partial(api.write, mutations.create_product), "POST")
    add("/v1/products/{id}", partial(api.write, mutations.update_product), "POST")
    add("/v1/products/{id}", partial(api.remove, mutations.delete_product), "DELETE")
    add("/v1/prices", partial(api.write, mutations.create_price), "POST")
    add("/v1/prices/{id}", partial(api.write, mutations.update_price), "POST")
    add("/v1/invoices/{id}/void", partial(api.write, mutations.void_invoice), "POST")
    return routes
