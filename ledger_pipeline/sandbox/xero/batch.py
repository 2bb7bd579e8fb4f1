"""Many elements per request, as Xero takes them: `{"Invoices": [...]}` on PUT and POST.

summarizeErrors=true (Xero's default): one invalid element fails the call with a 400 ValidationException
listing the refused elements, and nothing from the call is kept. summarizeErrors=false: 200, every
element answered in order, refused ones with `ValidationErrors` and `StatusAttributeString: "ERROR"`,
the rest saved.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from .context import Ctx
from .serialize import ms_date, parse_date
from .validation import Invalid, XeroError, validation_exception

_DATE_KEYS = {"Date", "DueDate", "ExpectedPaymentDate", "PlannedPaymentDate", "FullyPaidOnDate"}


class BatchInvalid(XeroError):
    """A summarised batch with refused elements: 400 and Xero's ValidationException body."""

    def __init__(self, elements: list[dict]):
        self.elements = elements
        super().__init__(f"{len(elements)} element(s) refused")

    def body(self) -> dict:
        return validation_exception(self.elements)


def echo(raw: Any, enums: dict[str, set[str]] | None = None) -> dict:
    """The element as sent, made safe for xero-python to read back (MS dates, no nulls, no bad enums)."""
    if not isinstance(raw, dict):
        return {}
    out: dict = {}
    for key, value in raw.items():
        if value is None:
            continue
        if key in _DATE_KEYS and isinstance(value, (str, date)):
            try:
                value = ms_date(parse_date(value))
            except (ValueError, TypeError, OverflowError):
                continue
        elif enums and key in enums and value not in enums[key]:
            continue
        elif isinstance(value, dict):
            value = echo(value)
        elif isinstance(value, list):
            value = [echo(v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


def elements(ctx: Ctx, collection: str, single_ok: bool = False) -> list:
    """The list under `{"<Collection>": [...]}`; some endpoints also take one bare object."""
    body = ctx.body
    if isinstance(body, dict) and isinstance(body.get(collection), list):
        return body[collection]
    if single_ok and isinstance(body, dict) and body and collection not in body:
        return [body]
    raise Invalid(f"The request body must contain a '{collection}' list")


def write_many(ctx: Ctx, items: list, save: Callable[[Ctx, dict], str], render: Callable[[Ctx, str], dict],
               *, error_flag: str = "HasErrors", enums: dict[str, set[str]] | None = None,
               summarize: bool | None = None) -> list[dict]:
    """Save each element (`save` returns its id, or raises Invalid) and answer them in order."""
    if summarize is None:
        summarize = ctx.flag("summarizeErrors", True)
    books = ctx.books
    outcomes: list[tuple[str, Any, list[str]]] = []
    with books.savepoint():
        for raw in items:
            mark = books.mark()
            try:
                if not isinstance(raw, dict):
                    raise Invalid("Each element must be an object")
                outcomes.append(("ok", save(ctx, raw), []))
            except Invalid as refusal:
                books.rollback_to(mark)
                outcomes.append(("error", raw, refusal.messages))
        refused = [(raw, messages) for kind, raw, messages in outcomes if kind == "error"]
        if refused and summarize:
            raise BatchInvalid([dict(echo(raw, enums), ValidationErrors=[{"Message": m} for m in messages])
                                for raw, messages in refused])
    answers = []
    for kind, value, messages in outcomes:
        if kind == "ok":
            answers.append(dict(render(ctx, value), StatusAttributeString="OK"))
        else:
            answers.append(dict(echo(value, enums), **{error_flag: True, "StatusAttributeString": "ERROR",
                                                       "ValidationErrors": [{"Message": m} for m in messages]}))
    return answers
