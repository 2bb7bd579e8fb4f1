"""Time as QuickBooks writes it: company-local ISO timestamps with an offset, and plain YYYY-MM-DD dates."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except Exception:  # no tz database on the box: UTC is better than failing
        return dt.timezone.utc


def timestamp(epoch: float, tz: str, millis: bool = False) -> str:
    """e.g. 2024-05-01T10:12:13-07:00, QuickBooks' MetaData form (with .mmm for the envelope `time`)."""
    moment = dt.datetime.fromtimestamp(epoch, zone(tz))
    text = moment.isoformat(timespec="milliseconds" if millis else "seconds")
    return text


def today(epoch: float, tz: str) -> str:
    return dt.datetime.fromtimestamp(epoch, zone(tz)).date().isoformat()


def parse_date(text: str) -> dt.date:
    if not isinstance(text, str) or not _DATE.match(text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return dt.date.fromisoformat(text)


def parse_moment(text: str, tz: str) -> dt.datetime:
    """A date or a timestamp from a query literal or MetaData, as an aware datetime."""
    text = text.strip()
    if _DATE.match(text):
        return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), zone(tz))
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone(tz))
