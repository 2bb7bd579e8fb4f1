"""Find, read and validate a tenant's mapping file; every problem names the file, line, key, and the fix.

The version of a mapping is its file name plus the hash of its bytes: every journal line records the
version it was built with, so a reviewer can find the exact file a posted figure came from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ledger_pipeline.config import CONNECTED_SEPARATOR
from ledger_pipeline.defs.journal.mapping_model import (
    ACCOUNT_CURRENCY, BOOKS_ALIAS, PRICE_MATCHERS, PRODUCT_MATCHERS, TAX_RATE_MATCHERS, MappingFile,
)
from ledger_pipeline.defs.stripe.objects import CURRENCIES
from ledger_pipeline.money import exponent

CONNECTED_DEFAULT = "connected"          # <platform>.connected.yaml serves its connected accounts
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_QUICKBOOKS_ID = re.compile(r"^\d+$")
_XERO_CODE = re.compile(r"^[A-Za-z0-9._\-]{1,10}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class Problem:
    path: str            # key path in the file, e.g. "accounts.clearing.usd.ref"
    line: int | None     # 1-based line in the file, when the key (or its parent) is there
    what: str
    fix: str

    def render(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.path or '(top level)'}: {self.what}. Fix: {self.fix}"


class MappingError(ValueError):
    """A mapping file that cannot be used; `problems` lists every issue found, not only the first."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(p.render(file) for p in problems))


@dataclass(frozen=True)
class Mapping:
    file: str               # as shown to people: the path relative to the mappings folder's parent
    content_hash: str       # sha256 of the file's bytes
    content: MappingFile

    @property
    def version(self) -> str:
        return f"{Path(self.file).name}@{self.content_hash[:12]}"


def mapping_path(tenant_key: str, directory: Path) -> Path:
    """`<tenant>.yaml`; a connected account without one uses `<platform>.connected.yaml`."""
    own = directory / f"{tenant_key}.yaml"
    if own.exists():
        return own
    platform, _, account = tenant_key.partition(CONNECTED_SEPARATOR)
    if account:
        shared = directory / f"{platform}{CONNECTED_SEPARATOR}{CONNECTED_DEFAULT}.yaml"
        if shared.exists():
            return shared
        raise MappingError(str(own), [Problem("", None, f"tenant {tenant_key!r} has no mapping file",
                                              f"create {own} or a default for the platform's connected "
                                              f"accounts, {shared}")])
    raise MappingError(str(own), [Problem("", None, f"tenant {tenant_key!r} has no mapping file",
                                          f"create {own} (copy mappings/demo.yaml and edit it)")])


def load_mapping(path: Path, shown_as: str | None = None) -> Mapping:
    """Read and validate one mapping file."""
    shown = shown_as or str(path)
    raw_bytes = path.read_bytes()
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MappingError(shown, [Problem("", raw_bytes[:exc.start].count(b"\n") + 1,
                                           f"is not UTF-8 text (byte 0x{raw_bytes[exc.start]:02x})",
                                           "save the file as UTF-8 (an editor's \"save with encoding\")")]) from None
    try:
        tree = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise MappingError(shown, [Problem("", mark.line + 1 if mark else None, f"is not valid YAML ({exc})",
                                           "correct the indentation or quoting at that line")]) from None
    repeated = _repeated_keys(tree)
    if repeated:  # YAML would silently keep the last one: a second `revenue:` must not win unseen
        raise MappingError(shown, repeated)
    if not isinstance(data, dict):
        raise MappingError(shown, [Problem("", 1, "the top level must be a set of sections (books:, accounts:, ...)",
                                           "start from mappings/demo.yaml")])
    try:
        content = MappingFile.model_validate(data)
    except ValidationError as exc:
        found = [_from_pydantic(err, tree) for err in exc.errors()]
        raise MappingError(shown, list(dict.fromkeys(found))) from None
    problems = semantic_problems(content, data, tree)
    if problems:
        raise MappingError(shown, problems)
    return Mapping(file=shown, content_hash=hashlib.sha256(raw_bytes).hexdigest(), content=content)


# --- where a key sits in the file ----------------------------------------------------------------------

def _line(tree: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """Line of the deepest node on `path` that exists (a missing key points at its parent)."""
    node, line = tree, (tree.start_mark.line + 1 if tree is not None else None)
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((value for key, value in node.value if key.value == str(step)), None)
            key_node = next((key for key, _ in node.value if key.value == str(step)), None)
            if found is None:
                return line
            node, line = found, key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _repeated_keys(node: yaml.Node | None, path: tuple[Any, ...] = ()) -> list[Problem]:
    """Keys given twice in one section, anywhere in the file."""
    found: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + 1
            if key.value in first:
                found.append(Problem(_dotted(path + (key.value,)), line,
                                     f"is given twice (also at line {first[key.value]}); YAML would keep only "
                                     f"this one", "keep one of them and delete the other"))
            first.setdefault(key.value, line)
            found += _repeated_keys(value, path + (key.value,))
    elif isinstance(node, yaml.SequenceNode):
        for n, item in enumerate(node.value):
            found += _repeated_keys(item, path + (n,))
    return found


def _dotted(path: tuple[Any, ...]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _known_keys(path: tuple[Any, ...]) -> list[str]:
    """Field names of the model at `path` (for "did you mean" hints)."""
    model: Any = MappingFile
    for step in path:
        if isinstance(step, int) or model is None:
            continue
        field = getattr(model, "model_fields", {}).get(step)
        if field is None:
            return []
        model = _model_of(field.annotation)
    return sorted(getattr(model, "model_fields", {}))


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _from_pydantic(err: dict[str, Any], tree: yaml.Node | None) -> Problem:
    loc = tuple(err["loc"])
    # pydantic adds the union member it tried ("str", "int") to the path; it means nothing to a reader
    loc = tuple(step for step in loc if step not in ("str", "int", "Ref", "function-before[_number_as_text(), str]"))
    path = _dotted(loc)
    line = _line(tree, loc)
    kind = err["type"]
    if kind == "missing":
        return Problem(path, line, "is required but missing", f"add `{loc[-1]}:` here (see mappings/demo.yaml)")
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        hint = f"; the keys allowed here are: {', '.join(known)}" if known else ""
        return Problem(path, line, "is not a key this section knows", f"remove it or correct its spelling{hint}")
    if kind == "literal_error":
        return Problem(path, line, f"has the value {err.get('input')!r}", err["msg"].replace("Input", "it"))
    if kind in ("model_type", "dict_type"):
        return Problem(path, line, f"should be a set of keys, got {err.get('input')!r}",
                       "write it as `key: value` lines under this key (or `{ref: \"31\", name: Stripe Fees}`)")
    if kind == "list_type":
        return Problem(path, line, "should be a list", "start each rule on its own line with `- `")
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return Problem(path, line, f"is not a date ({err.get('input')!r})", "write it as \"YYYY-MM-DD\"")
    if kind == "too_short":
        return Problem(path, line, "is empty", "give at least one entry")
    return Problem(path, line, err["msg"], "correct the value")


def problem_at(text: str) -> Callable[[tuple[Any, ...], str, str], Problem]:
    """Problems about keys of a valid file found elsewhere (against the books), placed at their line."""
    tree = yaml.compose(text)
    return lambda path, what, fix: Problem(_dotted(path), _line(tree, path), what, fix)


# --- rules pydantic cannot express ---------------------------------------------------------------------

def semantic_problems(content: MappingFile, data: dict[str, Any], tree: yaml.Node | None) -> list[Problem]:
    problems: list[Problem] = []

    def bad(path: tuple[Any, ...], what: str, fix: str) -> None:
        problems.append(Problem(_dotted(path), _line(tree, path), what, fix))

    books = content.books
    books_currency = books.currency.lower()
    if books_currency != ACCOUNT_CURRENCY and books_currency not in CURRENCIES:
        bad(("books", "currency"), f"{books.currency!r} is not a currency code",
            "use a lowercase ISO 4217 code such as usd or eur (or `account` in a connected-account default)")
    if books.target == "quickbooks" and not _QUICKBOOKS_ID.match(books.company):
        bad(("books", "company"), f"{books.company!r} is not a QuickBooks realm id",
            "use the company's realm id, digits only (QuickBooks: Settings > Account and settings > Billing)")
    if books.target == "xero" and not _UUID.match(books.company):
        bad(("books", "company"), f"{books.company!r} is not a Xero tenant id",
            "use the organisation's tenant id, a UUID like 8f5e...-....-....-....-............")

    ref_shape = _QUICKBOOKS_ID if books.target == "quickbooks" else _XERO_CODE
    ref_hint = ("a QuickBooks Account Id (digits)" if books.target == "quickbooks"
                else "a Xero account code (up to 10 letters or digits)")
    for path, ref in account_refs(content):
        if not ref_shape.match(ref):
            bad(path + ("ref",), f"{ref!r} is not {ref_hint}", f"use {ref_hint} for this account")

    for section in ("clearing", "bank"):
        for key in getattr(content.accounts, section):
            if key != BOOKS_ALIAS and key not in CURRENCIES:
                bad(("accounts", section, key), f"{key!r} is not a currency code",
                    f"key {section} accounts by lowercase ISO 4217 code (usd, eur, ...) or `{BOOKS_ALIAS}`")

    for section, keys in (("fees", content.fees), ("stripe_fees", content.stripe_fees),
                          ("categories", content.categories)):
        for key in keys:
            if not _SNAKE.match(key):
                bad((section, key), f"{key!r} is not a Stripe name",
                    "use Stripe's own lowercase name with underscores, e.g. stripe_fee or dispute_reversal")

    _rule_problems(bad, "products", content.products, PRODUCT_MATCHERS)
    _rule_problems(bad, "prices", content.prices, PRICE_MATCHERS)
    _rule_problems(bad, "tax_rates", content.tax_rates, TAX_RATE_MATCHERS)

    for currency, rates in content.exchange_rates.items():
        if currency not in CURRENCIES:
            bad(("exchange_rates", currency), f"{currency!r} is not a currency code", "use a lowercase ISO code")
        for period, rate in rates.items():
            path = ("exchange_rates", currency, period)
            if period != "default" and not _PERIOD.match(period):
                bad(path, f"{period!r} is not a month", "key rates by \"YYYY-MM\" or `default`")
            value = _decimal(data, path)
            if value is None or value <= 0:
                bad(path, f"{rate!r} is not a positive rate written as text",
                    "quote it, e.g. \"1.0850\" (books-currency units per unit of this currency)")

    if content.opening_balance is not None:
        for currency in content.opening_balance.balances:
            path = ("opening_balance", "balances", currency)
            if currency not in CURRENCIES:
                bad(path, f"{currency!r} is not a currency code", "use a lowercase ISO code")
                continue
            value = _decimal(data, path)
            if value is None:
                bad(path, "is not an amount written as text", "quote it, e.g. \"1520.33\"")
            elif value != value.quantize(Decimal(1).scaleb(-exponent(currency))):
                bad(path, f"{value} has more decimals than {currency.upper()} allows",
                    f"round it to {exponent(currency)} decimals, as Stripe's balance report shows it")

    if content.tracking is not None and not content.tracking.values and content.tracking.default is None:
        bad(("tracking",), "maps no metadata value and has no default",
            "add `values:` (metadata value -> class or tracking option) or a `default:`, or remove `tracking:`")
    return problems


def _decimal(data: dict[str, Any], path: tuple[Any, ...]) -> Decimal | None:
    """An exact amount or rate from the file: text or a whole number; a float would have lost digits."""
    value: Any = data
    for step in path:
        value = value[step]
    if isinstance(value, bool) or isinstance(value, float):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def account_refs(content: MappingFile) -> list[tuple[tuple[Any, ...], str]]:
    """(path, ref) of every account in the file (items, tax codes and tracking values are not accounts)."""
    found: list[tuple[tuple[Any, ...], str]] = []
    for name in type(content.accounts).model_fields:
        value = getattr(content.accounts, name)
        if isinstance(value, dict):
            found += [(("accounts", name, key), ref.ref) for key, ref in value.items()]
        elif value is not None:
            found.append((("accounts", name), value.ref))
    for section in ("fees", "stripe_fees", "categories"):
        found += [((section, key), ref.ref) for key, ref in getattr(content, section).items()]
    for section in ("products", "prices", "tax_rates"):
        for n, rule in enumerate(getattr(content, section)):
            if rule.account is not None:
                found.append(((section, n, "account"), rule.account.ref))
    return found


def _rule_problems(bad: Any, section: str, rules: list[Any], matchers: tuple[str, ...]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for n, rule in enumerate(rules):
        given = [m for m in matchers if getattr(rule, m) is not None]
        if len(given) != 1:
            bad((section, n), f"names {'no' if not given else ' and '.join(given)} match key{'s' if given else ''}",
                f"give exactly one of {', '.join(matchers)} per rule (\"*\" matches anything not listed)")
            continue
        key = (given[0], getattr(rule, given[0]))
        if key in seen:
            bad((section, n, given[0]), f"repeats the rule at {section}[{seen[key]}] ({key[0]}: {key[1]!r})",
                "keep one rule per value and delete the other")
        seen.setdefault(key, n)
