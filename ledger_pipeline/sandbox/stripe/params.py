"""Stripe's parameter encoding (`metadata[k]=v`, `expand[0]=x`, `created[gte]=t`) into nested values."""

from __future__ import annotations

from typing import Any, Iterable

from .errors import invalid, unknown_parameter

# Maps whose keys are the user's own (a numeric metadata key must stay a key, not become a list index).
_FREE_MAPS = {"metadata"}


def decode(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key, value in pairs:
        name, _, rest = key.partition("[")
        parts = [name] + (rest[:-1].split("][") if rest else [])
        node = root
        for part in parts[:-1]:
            child = node.setdefault(part if part else str(len(node)), {})
            if not isinstance(child, dict):
                raise invalid(f"Invalid value for {key}: conflicting parameters.", param=name)
            node = child
        last = parts[-1] if parts[-1] else str(len(node))
        if isinstance(node.get(last), dict):
            raise invalid(f"Invalid value for {key}: conflicting parameters.", param=name)
        node[last] = value
    return {key: _listify(value, key in _FREE_MAPS) for key, value in root.items()}


def _listify(node: Any, free_map: bool = False) -> Any:
    """Hashes whose keys are all indexes were arrays on the client's side."""
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(value, key in _FREE_MAPS) for key, value in node.items()}
    if not free_map and converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def as_int(value: Any, param: str) -> int:
    try:
        if isinstance(value, (dict, list)):
            raise ValueError
        return int(value)
    except (TypeError, ValueError):
        raise invalid(f"Invalid integer: {value}", param=param) from None


def as_bool(value: Any, param: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise invalid(f"Invalid boolean: {value}", param=param)


def as_list(value: Any, param: str) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [value]
    raise invalid(f"Invalid array", param=param)


def as_range(value: Any, param: str) -> tuple[int | None, int | None]:
    """`created=t` or `created[gt|gte|lt|lte]=t` as inclusive bounds (low, high), None where open."""
    if not isinstance(value, dict):
        stamp = as_int(value, param)
        return stamp, stamp
    low: int | None = None
    high: int | None = None
    for op, raw in value.items():
        stamp = as_int(raw, f"{param}[{op}]")
        if op == "gt":
            low = max(low, stamp + 1) if low is not None else stamp + 1
        elif op == "gte":
            low = max(low, stamp) if low is not None else stamp
        elif op == "lt":
            high = min(high, stamp - 1) if high is not None else stamp - 1
        elif op == "lte":
            high = min(high, stamp) if high is not None else stamp
        else:
            raise unknown_parameter(f"{param}[{op}]")
    return low, high


def only_expand(params: dict[str, Any]) -> None:
    """Endpoints that take nothing but `expand[]` refuse anything else, like Stripe."""
    for name in params:
        if name != "expand":
            raise unknown_parameter(name)
