"""JSON in and out with exact decimals: QuickBooks speaks money as JSON numbers, we keep them as Decimal."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

_MARK = "\u0000D:"
_MARKED = re.compile(r'"\\u0000D:(-?[0-9]+(?:\.[0-9]+)?)"')


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number QuickBooks accepts")


def loads(text: str | bytes) -> Any:
    """Parse JSON keeping every non-integer number as an exact Decimal (NaN/Infinity refused)."""
    return json.loads(text, parse_float=Decimal, parse_constant=_no_constants)


def _mark(value: Any) -> Any:
    if isinstance(value, Decimal):
        # format "f" avoids exponent forms such as 1E+2, which some parsers dislike
        return _MARK + format(value, "f")
    if isinstance(value, dict):
        return {k: _mark(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark(v) for v in value]
    if isinstance(value, float):
        return _MARK + format(Decimal(repr(value)), "f")
    return value


def dumps(value: Any, indent: int | None = None) -> str:
    """Serialize with Decimals written as plain JSON numbers, digit for digit (no float detour)."""
    text = json.dumps(_mark(value), indent=indent, ensure_ascii=False)
    return _MARKED.sub(r"\1", text)


def dec(value: Any, default: Decimal | None = Decimal("0")) -> Decimal | None:
    """A JSON amount (int, Decimal, numeric string) as Decimal; `default` for empty or missing."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ValueError(f"not an amount: {value!r}")
    try:
        if isinstance(value, Decimal):
            result = value
        elif isinstance(value, float):
            result = Decimal(repr(value))
        else:
            result = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return result


def money(value: Decimal) -> Decimal:
    """Round to the cent (half up), the way QuickBooks stores currency amounts."""
    from decimal import ROUND_HALF_UP

    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money_text(value: Decimal) -> str:
    """Amounts in report cells: two decimals, as strings (QuickBooks reports carry text values)."""
    return format(money(value), "f")
