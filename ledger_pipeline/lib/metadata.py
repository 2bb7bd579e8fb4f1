"""Metadata the Dagster UI shows: tables of rows (offending ids and their amounts), money in major units.

Amounts stay integer minor units everywhere else; they become exact Decimal text only here, for people.
Tables are for reading in the UI; the alerts and the audit pack read every value through `plain`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import dagster as dg

from ledger_pipeline.money import to_decimal

# (name, type, description): the type is a label the UI shows in the table's schema.
Column = tuple[str, str, str]
CELL_TYPES = (str, int, float, bool)


def money(amount: int | None, currency: str | None) -> str | None:
    """Minor units as exact major-unit text (`1234` USD -> `"12.34"`); None stays empty."""
    if amount is None or currency is None:
        return None
    return str(to_decimal(int(amount), currency))


def major(amount: int | None, currency: str) -> float:
    """Minor units as a float in major units, for the numeric metadata the UI plots (exact via Decimal)."""
    return float(to_decimal(int(amount or 0), currency))


def table(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> dg.TableMetadataValue:
    """A table of `rows` (dicts keyed by column name); lists become comma-separated text."""
    names = [name for name, _, _ in columns]
    records = [dg.TableRecord({name: _cell(row.get(name)) for name in names}) for row in rows]
    schema = dg.TableSchema(columns=[dg.TableColumn(name, kind, description=text or None)
                                     for name, kind, text in columns])
    return dg.MetadataValue.table(records, schema=schema)


def _cell(value: Any) -> str | int | float | bool | None:
    if value is None or isinstance(value, CELL_TYPES):
        return value
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return str(value)


def plain(value: Any) -> Any:
    """A metadata value as plain JSON-able data: a table as its rows (dicts), anything else as its value."""
    if isinstance(value, dg.TableMetadataValue):
        return [dict(record.data) for record in value.records]
    raw = getattr(value, "value", value)
    return raw
