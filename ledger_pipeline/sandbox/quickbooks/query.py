"""The part of QuickBooks' query language clients send:

    SELECT * | COUNT(*) FROM Entity [WHERE f op v AND f IN (..) AND f LIKE '%x%'] [ORDER BY|ORDERBY f [ASC|DESC]]
    [STARTPOSITION n] [MAXRESULTS m]

Keywords are case-insensitive; string comparisons too (as QBO's are for names). Like QBO, name lists
hide inactive rows unless the query says something about Active.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from . import errors
from .dates import parse_moment
from .entities import SPECS
from .operations import render
from .store import Company

MAX_RESULTS_CAP = 1000
DEFAULT_MAX_RESULTS = 100
HIDES_INACTIVE = {"Account", "Customer", "Vendor", "Item", "Class", "Department", "TaxCode", "TaxRate"}
LIVE_FIELDS = {"Customer", "Account"}  # filter on rendered objects: Balance/CurrentBalance are computed

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:\\.|[^'\\])*')
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op><=|>=|!=|<>|=|<|>)
  | (?P<punct>[(),.*;])
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
)""", re.VERBOSE)


@dataclass
class Condition:
    path: list[str]
    op: str
    values: list[Any]


@dataclass
class Query:
    entity: str
    count: bool = False
    where: list[Condition] = field(default_factory=list)
    order: list[tuple[list[str], bool]] = field(default_factory=list)  # (path, descending)
    start: int = 1
    max_results: int = DEFAULT_MAX_RESULTS


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise errors.query_parse_error(f'Encountered " {text[pos:pos + 20]!r} " at column {pos + 1}.')
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = [t for t in tokenize(text) if t != ("punct", ";")]
        self.i = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def next(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise errors.query_parse_error(f"Unexpected end of query: {self.text!r}")
        self.i += 1
        return token

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        if token and token[0] == "word" and token[1].upper() in words:
            self.i += 1
            return True
        return False

    def expect_keyword(self, word: str) -> None:
        if not self.keyword(word):
            got = self.peek()
            raise errors.query_parse_error(f'Encountered " {got[1] if got else "<EOF>"} " expecting {word}.')

    def expect(self, kind: str, value: str | None = None) -> str:
        token = self.next()
        if token[0] != kind or (value is not None and token[1] != value):
            raise errors.query_parse_error(f'Encountered " {token[1]} " expecting {value or kind}.')
        return token[1]

    def path(self) -> list[str]:
        parts = [self.expect("word")]
        while self.peek() == ("punct", "."):
            self.i += 1
            parts.append(self.expect("word"))
        return parts

    def literal(self) -> Any:
        kind, value = self.next()
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", value[1:-1])
        if kind == "number":
            return Decimal(value)
        if kind == "word" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise errors.query_parse_error(f'Encountered " {value} " expecting a literal value.')

    def integer(self, what: str) -> int:
        token = self.next()
        if token[0] != "number" or not token[1].lstrip("-").isdigit():
            raise errors.query_parse_error(f"{what} needs a whole number, got {token[1]!r}.")
        return int(token[1])

    def parse(self) -> Query:
        self.expect_keyword("SELECT")
        count = False
        if self.keyword("COUNT"):
            self.expect("punct", "(")
            self.expect("punct", "*")
            self.expect("punct", ")")
            count = True
        else:
            # "*", "*, Sku" (python-quickbooks for Item) or a field list: all come back whole
            while True:
                token = self.next()
                if token not in (("punct", "*"),) and token[0] != "word":
                    raise errors.query_parse_error(f'Encountered " {token[1]} " in the select list.')
                if self.peek() == ("punct", "."):
                    self.i += 1
                    self.expect("word")
                if self.peek() != ("punct", ","):
                    break
                self.i += 1
        self.expect_keyword("FROM")
        name = self.expect("word")
        entity = next((e for e in SPECS if e.lower() == name.lower()), None)
        if entity is None:
            raise errors.query_validation_error(f"Entity {name} is not supported by this query service.")
        query = Query(entity=entity, count=count)
        if self.keyword("WHERE"):
            query.where.append(self.condition())
            while self.keyword("AND"):
                query.where.append(self.condition())
            if self.peek() and self.peek()[0] == "word" and self.peek()[1].upper() == "OR":
                raise errors.query_parse_error("OR is not supported; QuickBooks queries join conditions with AND.")
        ordered = self.keyword("ORDERBY")
        if not ordered and self.keyword("ORDER"):  # ListMixin.all() writes "ORDER BY", where() "ORDERBY"
            self.expect_keyword("BY")
            ordered = True
        if ordered:
            while True:
                path = self.path()
                descending = False
                if self.keyword("DESC"):
                    descending = True
                else:
                    self.keyword("ASC")
                query.order.append((path, descending))
                if self.peek() != ("punct", ","):
                    break
                self.i += 1
        while self.peek() is not None:
            if self.keyword("STARTPOSITION"):
                query.start = self.integer("STARTPOSITION")
            elif self.keyword("MAXRESULTS"):
                query.max_results = self.integer("MAXRESULTS")
            else:
                raise errors.query_parse_error(f'Encountered " {self.peek()[1]} " after the query.')
        if query.start < 1:
            raise errors.query_validation_error("STARTPOSITION must be 1 or more.")
        if query.max_results < 1:
            raise errors.query_validation_error("MAXRESULTS must be 1 or more.")
        query.max_results = min(query.max_results, MAX_RESULTS_CAP)
        return query

    def condition(self) -> Condition:
        path = self.path()
        if self.keyword("IN"):
            self.expect("punct", "(")
            values = [self.literal()]
            while self.peek() == ("punct", ","):
                self.i += 1
                values.append(self.literal())
            self.expect("punct", ")")
            return Condition(path, "in", values)
        if self.keyword("LIKE"):
            return Condition(path, "like", [self.literal()])
        op = self.expect("op")
        return Condition(path, "!=" if op == "<>" else op, [self.literal()])


def parse(text: str) -> Query:
    if not isinstance(text, str) or not text.strip():
        raise errors.query_parse_error("The query is empty.")
    return _Parser(text).parse()


# --- evaluation -----------------------------------------------------------------------------------

def _lookup(obj: dict, path: list[str]) -> Any:
    value: Any = obj
    for part in path:
        if not isinstance(value, dict):
            return None
        match = next((k for k in value if k.lower() == part.lower()), None)
        if match is None:
            return None
        value = value[match]
    if isinstance(value, dict) and "value" in value:  # CustomerRef = '12' compares the Ref's value
        value = value["value"]
    return value


def _compare(stored: Any, literal: Any, tz: str, path: list[str]) -> int | None:
    """-1/0/1 for stored vs literal, None when they can't be compared (the row does not match)."""
    if stored is None:
        return None
    if isinstance(stored, bool) or isinstance(literal, bool):
        left = stored if isinstance(stored, bool) else str(stored).lower() == "true"
        right = literal if isinstance(literal, bool) else str(literal).lower() == "true"
        return (left > right) - (left < right)
    if isinstance(stored, (int, Decimal)) or (isinstance(literal, Decimal) and _numeric(stored)):
        try:
            left, right = Decimal(str(stored)), Decimal(str(literal))
        except InvalidOperation:
            return None
        return (left > right) - (left < right)
    left_text, right_text = str(stored), str(literal)
    if left_text.isdigit() and right_text.isdigit():  # Ids and numeric DocNumbers order as numbers
        return (int(left_text) > int(right_text)) - (int(left_text) < int(right_text))
    if path[-1].endswith(("Time", "Date")) or path[-1] == "TxnDate":
        try:
            left_m, right_m = parse_moment(left_text, tz), parse_moment(right_text, tz)
            return (left_m > right_m) - (left_m < right_m)
        except ValueError:
            pass
    left_text, right_text = left_text.casefold(), right_text.casefold()
    return (left_text > right_text) - (left_text < right_text)


def _numeric(value: Any) -> bool:
    try:
        Decimal(str(value))
        return True
    except InvalidOperation:
        return False


def _matches(obj: dict, cond: Condition, tz: str) -> bool:
    stored = _lookup(obj, cond.path)
    if cond.op == "in":
        return any(_compare(stored, v, tz, cond.path) == 0 for v in cond.values)
    if cond.op == "like":
        if stored is None:
            return False
        pattern = "^" + ".*".join(re.escape(part) for part in str(cond.values[0]).split("%")) + "$"
        return re.match(pattern, str(stored), re.IGNORECASE | re.DOTALL) is not None
    result = _compare(stored, cond.values[0], tz, cond.path)
    if result is None:
        return False
    return {"=": result == 0, "!=": result != 0, "<": result < 0, ">": result > 0, "<=": result <= 0,
            ">=": result >= 0}[cond.op]


def _id_key(obj: dict) -> tuple:
    ident = str(obj.get("Id", ""))
    return (0, int(ident), "") if ident.isdigit() else (1, 0, ident)


def _sort_key(value: Any) -> tuple:
    if value is None:
        return (2, "")
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, Decimal)):
        return (0, Decimal(value))
    return (1, str(value).casefold())


def run(company: Company, text: str) -> dict:
    """Answer a query with QuickBooks' QueryResponse body (without the envelope's time)."""
    query = parse(text)
    entity = query.entity
    rows = list(company.all(entity))
    if entity in LIVE_FIELDS:
        rows = [render(company, entity, row) for row in rows]
    if entity in HIDES_INACTIVE and not any(c.path[-1].lower() == "active" for c in query.where):
        rows = [row for row in rows if row.get("Active", True)]
    tz = company.timezone
    rows = [row for row in rows if all(_matches(row, cond, tz) for cond in query.where)]
    if query.count:
        return {"totalCount": len(rows)}
    rows.sort(key=_id_key)
    for path, descending in reversed(query.order):
        rows.sort(key=lambda row: _sort_key(_lookup(row, path)), reverse=descending)
    page = rows[query.start - 1: query.start - 1 + query.max_results]
    if not page:
        return {}
    if entity not in LIVE_FIELDS:
        page = [render(company, entity, row) for row in page]
    return {entity: page, "startPosition": query.start, "maxResults": len(page)}
