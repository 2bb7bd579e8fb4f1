"""The asset checks of one asset, declared once: their specs, their results, and "not applicable" for a
tenant the asset has nothing to do for. Both loaders' preflight and read-back checks are built on it."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg


class CheckSet:
    def __init__(self, asset: dg.AssetKey, descriptions: dict[str, str], *, blocking: bool = False):
        self.asset = asset
        self.descriptions = descriptions
        self.blocking = blocking

    def specs(self) -> list[dg.AssetCheckSpec]:
        return [dg.AssetCheckSpec(name, asset=self.asset, blocking=self.blocking, description=text)
                for name, text in self.descriptions.items()]

    def result(self, name: str, passed: bool, description: str, *,
               severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR, **metadata: Any) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(check_name=name, asset_key=self.asset, passed=passed, severity=severity,
                                   description=description, metadata=json_metadata(metadata))

    def not_applicable(self, reason: str) -> list[dg.AssetCheckResult]:
        return [self.result(name, True, reason, not_applicable=True) for name in self.descriptions]


    def from_findings(self, areas: dict[str, str], findings: Mapping[str, list[Any]], checked: Mapping[str, int],
                      connection: str, books: str, shown: int = 25) -> Iterator[dg.AssetCheckResult]:
        """Preflight: one result per check (name -> the area it covers) from that area's findings. Nothing
        else is checked when the connection failed (`books`: what could not be read)."""
        connected = not findings[connection]
        for name, area in areas.items():
            found = findings[area]
            if area != connection and not connected:
                yield self.result(name, False, f"not checked: the {books} could not be read (see `connected`)")
            elif found:
                yield self.result(name, False, f"{len(found)} problem(s): " + " | ".join(str(f) for f in found[:3]),
                                  findings=[vars(f) for f in found[:shown]], count=len(found))
            else:
                count = checked.get(area, 0)
                yield self.result(name, True, f"{count} checked, all fit" if count else "nothing to check here",
                                  checked=count)


def json_metadata(values: dict[str, Any]) -> dict[str, Any]:
    """Lists and dicts as JSON metadata; the rest as they are."""
    return {k: dg.MetadataValue.json(v) if isinstance(v, (list, dict)) else v for k, v in values.items()}


def records(n: int) -> str:
    return f"{n} record" + ("" if n == 1 else "s")


def month(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the day's month."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
