"""Xero's JSON: exact decimals in and out, MS-JSON dates, and a tagged form for saving state to disk.

xero-python parses answers with `parse_float=Decimal` and refuses ISO strings where the model says
`date[ms-format]`, so every date goes out as `/Date(ms+0000)/` and every amount as a JSON number
written from a Decimal (never through float).
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any

CENT = Decimal("0.01")
RATE = Decimal("0.000001")  # Xero keeps CurrencyRate to 6 places
ZERO = Decimal("0.00")

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{2,4})?\)/$")


def money(value: Decimal) -> Decimal:
    """Round to the cent, half up (Xero's rounding for line and tax amounts)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: Any) -> Decimal | None:
    """A request number (int, Decimal from parse_float, or numeric string) as Decimal; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidOperation(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):  # only reachable when a caller bypassed parse_float
        return Decimal(repr(value))
    result = Decimal(str(value).strip())
    if not result.is_finite():
        raise InvalidOperation(f"not a number: {value!r}")
    return result


# ---------------------------------------------------------------- dates

def epoch_ms(value: date | datetime) -> int:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return (moment - EPOCH) // timedelta(milliseconds=1)
    return calendar.timegm(value.timetuple()) * 1000


def utc(ms: int) -> datetime:
    """Epoch ms as an aware datetime, exactly (no float round trip)."""
    return EPOCH + timedelta(milliseconds=ms)


def ms_date(value: date | datetime | int | None) -> str | None:
    """`/Date(1714521600000+0000)/`, the form xero-python's deserializer wants."""
    if value is None:
        return None
    ms = value if isinstance(value, int) else epoch_ms(value)
    return f"/Date({ms}+0000)/"


def ms_timestamp(ms: int) -> str:
    """Envelope `DateTimeUTC` is written without an offset by Xero."""
    return f"/Date({ms})/"


def date_string(value: date | None) -> str | None:
    """Xero's companion `DateString` field: `2024-05-01T00:00:00`."""
    return f"{value.isoformat()}T00:00:00" if value else None


def parse_date(value: Any) -> date:
    """A request date: `/Date(ms[+zzzz])/`, `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS`. Raises ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _MS_DATE.match(text)
    if match:
        return utc(int(match.group(1))).date()
    return date.fromisoformat(text[:10])


def parse_http_datetime(value: str) -> int:
    """`If-Modified-Since` as epoch ms: xero-python sends naive ISO (UTC); browsers send RFC 1123."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = parsedate_to_datetime(text)
    return epoch_ms(moment)


def iso_utc(ms: int) -> str:
    """Identity timestamps (`createdDateUtc`): ISO 8601 in UTC."""
    moment = utc(ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0Z"


# ---------------------------------------------------------------- JSON out

def _encode(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, Decimal):
        out.append(format(value, "f"))
    elif isinstance(value, (int, float)):
        out.append(json.dumps(value))
    elif isinstance(value, str):
        out.append(json.dumps(value))
    elif isinstance(value, dict):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(json.dumps(str(key)))
            out.append(":")
            _encode(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, out)
        out.append("]")
    elif isinstance(value, (date, datetime)):
        out.append(json.dumps(ms_date(value)))
    else:
        raise TypeError(f"cannot write {type(value).__name__} as Xero JSON")


def dumps(value: Any) -> str:
    """JSON with Decimals written digit for digit (json.dumps would need float)."""
    out: list[str] = []
    _encode(value, out)
    return "".join(out)


def loads(text: str | bytes) -> Any:
    """Request JSON with every non-integer number as Decimal."""
    return json.loads(text, parse_float=Decimal)


def prune(value: Any) -> Any:
    """Drop None values: xero-python turns a JSON null into the string "None" and then fails enum checks."""
    if isinstance(value, dict):
        return {k: prune(v) for k, v in value.items() if v is not None and not str(k).startswith("_")}
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


# ---------------------------------------------------------------- saved state

def _tag(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$dec": format(value, "f")}
    if isinstance(value, datetime):
        raise TypeError("state keeps datetimes as epoch ms")
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {k: _tag(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tag(v) for v in value]
    return value


def _untag(obj: dict) -> Any:
    if len(obj) == 1:
        if "$dec" in obj:
            return Decimal(obj["$dec"])
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
    return obj


def dump_state(value: Any) -> str:
    """State as JSON a person can read, with Decimals and dates tagged so they come back exact."""
    return json.dumps(_tag(value), indent=1, sort_keys=False)


def load_state(text: str) -> Any:
    return json.loads(text, object_hook=_untag)
