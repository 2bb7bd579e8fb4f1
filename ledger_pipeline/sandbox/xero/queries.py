"""List endpoints: `where`, `order`, `IDs`, `page`/`pageSize` and `If-Modified-Since`, as far as the loader uses them.

`where` covers what xero-python users send: comparisons (== != > >= < <=) joined by AND/OR/&&/||, NOT,
parentheses, strings (case-insensitive, like Xero), numbers, true/false/null, Guid("..."),
DateTime(y,m,d[,h,m,s]), dotted fields (Contact.ContactID) and .Contains/.StartsWith/.EndsWith.
Anything else is a QueryParseException, Xero's ErrorNumber 16.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from .context import Ctx
from .serialize import epoch_ms, parse_http_datetime
from .validation import QueryParseError

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100

_TOKEN = re.compile(r"""\s*(?:
    (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<op>==|!=|>=|<=|&&|\|\||>|<|\(|\)|,|\.|!|=)
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
)""", re.X)


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos, text = [], 0, text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise QueryParseError(f"Syntax error at position {pos} in '{text}'")
        pos = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((kind, value))
    return out


def field_value(row: dict, path: str) -> Any:
    value: Any = row
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = next((v for k, v in value.items() if k.lower() == part.lower()), None)
    return value


def _compare(left: Any, op: str, right: Any) -> bool:
    if left is None or right is None:
        same = left is None and right is None
        return same if op == "==" else (not same if op == "!=" else False)
    if isinstance(right, datetime) and isinstance(left, date) and not isinstance(left, datetime):
        left = datetime(left.year, left.month, left.day, tzinfo=timezone.utc)
    elif isinstance(right, date) and not isinstance(right, datetime) and isinstance(left, datetime):
        left = left.date()
    if isinstance(right, bool) or isinstance(left, bool):
        if not (isinstance(left, bool) and isinstance(right, bool)):
            return False
    elif isinstance(right, Decimal):
        try:
            left = Decimal(str(left))
        except InvalidOperation:
            return False
    elif isinstance(right, str):
        left, right = str(left).casefold(), right.casefold()
    try:
        return {"==": left == right, "!=": left != right, ">": left > right, ">=": left >= right,
                "<": left < right, "<=": left <= right}[op]
    except TypeError:
        return False


class _Where:
    """Recursive descent over Xero's filter language, producing a predicate on a row."""

    def __init__(self, text: str, type_name: str, fields: set[str] | None):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.type_name = type_name
        self.fields = {f.lower() for f in fields} if fields else None

    def peek(self) -> tuple[str | None, str | None]:
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value is not None and tok[1] != value):
            raise QueryParseError(f"Syntax error in '{self.text}' near '{tok[1] or 'end'}'")
        self.i += 1
        return tok  # type: ignore[return-value]

    def at(self, *alternatives: str) -> bool:
        kind, value = self.peek()
        return kind in ("op", "ident") and value is not None and value.upper() in alternatives

    def parse(self) -> Callable[[dict], bool]:
        predicate = self.or_()
        if self.i != len(self.toks):
            raise QueryParseError(f"Syntax error in '{self.text}' near '{self.toks[self.i][1]}'")
        return predicate

    def or_(self):
        terms = [self.and_()]
        while self.at("||", "OR"):
            self.i += 1
            terms.append(self.and_())
        return terms[0] if len(terms) == 1 else (lambda row, ts=terms: any(t(row) for t in ts))

    def and_(self):
        terms = [self.atom()]
        while self.at("&&", "AND"):
            self.i += 1
            terms.append(self.atom())
        return terms[0] if len(terms) == 1 else (lambda row, ts=terms: all(t(row) for t in ts))

    def atom(self):
        if self.at("("):
            self.i += 1
            inner = self.or_()
            self.take("op", ")")
            return inner
        if self.at("!", "NOT"):
            self.i += 1
            inner = self.atom()
            return lambda row: not inner(row)
        path = [self.take("ident")[1]]
        method = None
        while self.at("."):
            self.i += 1
            name = self.take("ident")[1]
            if self.at("("):
                method = name
                break
            path.append(name)
        field = ".".join(path)
        if self.fields is not None and path[0].lower() not in self.fields:
            raise QueryParseError(f"No property or field '{path[0]}' exists in type '{self.type_name}'")
        if method:
            self.take("op", "(")
            arg = self.value() if not self.at(")") else None
            self.take("op", ")")
            kind = method.lower()
            if kind in ("tolower", "toupper"):
                return self.comparison(field)
            if kind not in ("contains", "startswith", "endswith"):
                raise QueryParseError(f"No applicable method '{method}' exists in type 'String'")

            def text_match(row, kind=kind, arg=arg):
                value = field_value(row, field)
                if value is None or arg is None:
                    return False
                a, b = str(value).casefold(), str(arg).casefold()
                return {"contains": b in a, "startswith": a.startswith(b), "endswith": a.endswith(b)}[kind]
            return text_match
        return self.comparison(field)

    def comparison(self, field: str):
        if not self.at("==", "!=", ">", ">=", "<", "<=", "="):
            # A bare boolean field: `IsSupplier`, as Xero allows.
            return lambda row: field_value(row, field) is True
        op = self.take("op")[1]
        op = "==" if op == "=" else op
        right = self.value()
        return lambda row: _compare(field_value(row, field), op, right)

    def value(self) -> Any:
        kind, value = self.take()
        if kind == "str":
            return value
        if kind == "num":
            return Decimal(value)
        if kind == "ident":
            word = value.lower()
            if word == "true":
                return True
            if word == "false":
                return False
            if word == "null":
                return None
            if word == "guid":
                self.take("op", "(")
                text = self.take("str")[1]
                self.take("op", ")")
                return text
            if word == "datetime":
                if self.at("."):  # DateTime.Parse("2024-05-01")
                    self.i += 1
                    self.take("ident")
                    self.take("op", "(")
                    text = self.take("str")[1]
                    self.take("op", ")")
                    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
                self.take("op", "(")
                numbers = [int(self.take("num")[1])]
                while self.at(","):
                    self.i += 1
                    numbers.append(int(self.take("num")[1]))
                self.take("op", ")")
                if len(numbers) == 3:
                    return date(*numbers)
                if len(numbers) in (5, 6):
                    return datetime(*numbers, tzinfo=timezone.utc)
        raise QueryParseError(f"Syntax error in '{self.text}' near '{value}'")


def where_predicate(text: str, type_name: str, fields: set[str] | None = None) -> Callable[[dict], bool]:
    return _Where(text, type_name, fields).parse()


def _sort_key(value: Any):
    if value is None:
        return (1, "")
    if isinstance(value, str):
        return (0, value.casefold())
    if isinstance(value, datetime):
        return (0, value.timestamp())
    if isinstance(value, date):
        return (0, datetime(value.year, value.month, value.day, tzinfo=timezone.utc).timestamp())
    return (0, value)


def order_rows(rows: list[dict], order: str, type_name: str, fields: set[str] | None) -> list[dict]:
    lowered = {f.lower() for f in fields} if fields else None
    for part in reversed([p.strip() for p in order.split(",") if p.strip()]):
        words = part.split()
        field = words[0]
        descending = len(words) > 1 and words[1].upper() == "DESC"
        if len(words) > 2 or (len(words) == 2 and words[1].upper() not in ("ASC", "DESC")):
            raise QueryParseError(f"Invalid order clause '{part}'")
        if lowered is not None and field.split(".")[0].lower() not in lowered:
            raise QueryParseError(f"No property or field '{field}' exists in type '{type_name}'")
        present = [r for r in rows if field_value(r, field) is not None]
        missing = [r for r in rows if field_value(r, field) is None]
        present.sort(key=lambda r: _sort_key(field_value(r, field)), reverse=descending)
        rows = present + missing
    return rows


def list_rows(ctx: Ctx, rows: list[dict], *, type_name: str, id_field: str, fields: set[str] | None = None,
              pageable: bool = False) -> tuple[list[dict], dict | None]:
    """Apply the list parameters to rendered rows; returns the rows and Xero's `pagination` block (if paged)."""
    since = ctx.headers.get("if-modified-since")
    if since:
        try:
            since_ms = parse_http_datetime(since)
        except (ValueError, TypeError):
            since_ms = None
        if since_ms is not None:
            rows = [r for r in rows if isinstance(r.get("UpdatedDateUTC"), datetime)
                    and epoch_ms(r["UpdatedDateUTC"]) >= since_ms]
    ids = ctx.query.get("ids")
    if ids:
        wanted = {i.strip().lower() for i in ids.split(",") if i.strip()}
        rows = [r for r in rows if str(r.get(id_field, "")).lower() in wanted]
    if ctx.query.get("where"):
        predicate = where_predicate(ctx.query["where"], type_name, fields)
        rows = [r for r in rows if predicate(r)]
    if ctx.query.get("order"):
        rows = order_rows(rows, ctx.query["order"], type_name, fields)
    pagination = None
    if pageable and ctx.query.get("page"):
        try:
            page = max(int(ctx.query["page"]), 1)
            size = int(ctx.query.get("pagesize") or DEFAULT_PAGE_SIZE)
        except ValueError:
            raise QueryParseError("page and pageSize must be whole numbers")
        size = min(max(size, 1), MAX_PAGE_SIZE)
        count = len(rows)
        pagination = {"page": page, "pageSize": size, "pageCount": (count + size - 1) // size, "itemCount": count}
        rows = rows[(page - 1) * size: page * size]
    return rows, pagination
