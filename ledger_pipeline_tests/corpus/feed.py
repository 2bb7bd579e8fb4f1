"""What a case feeds the pipeline: the base world plus its own Stripe objects (patched as it says), the
faults the Stripe sandbox serves, the Stripe settings it runs with, and the edits to its mapping file.

feed:
  customers / products / prices / tax_rates: [{id, ...}]   catalog objects (world.py builders)
  sales: [{key, amount, ...}]          card payments ch_<key> / pi_<key> / txn_<key> (world.World.sale)
  transactions: [{id, amount, type, category, fee_details, ...}]   bare balance transactions
  objects: [{...}]                     verbatim Stripe objects ("@14:30" is that time on DAY, unix seconds)
  payout: false                        leave the case's transactions unpaid (default: po_case pays them)
  patch: {object id: {set: {dotted.path: value}, drop: [dotted.path]}}   after everything is built
  faults: [{path, status, kind, count, body}]   scripted answers of the Stripe sandbox (common.ScriptedFault)
  stripe: {...}                        StripeResource settings (api_key, max_retries, ...)
  tenant: demo.acct_...                the partition's tenant (default demo)
  mapping: {replace: [[old, new]], append: text, text: text, encoding: latin-1, remove: true}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ledger_pipeline.sandbox.common import ScriptedFault

from .world import CASE_PAYOUT, World, at, base_world

BUILDERS = {"customers": "customer", "products": "product", "prices": "price", "tax_rates": "tax_rate"}


def case_world(feed: dict[str, Any]) -> World:
    world = base_world()
    for section, name in BUILDERS.items():
        builder = getattr(world, name)
        for spec in feed.get(section, []):
            builder(**spec)
    for spec in feed.get("sales", []):
        world.sale(**spec)
    for spec in feed.get("transactions", []):
        world.transaction(**spec)
    for obj in feed.get("objects", []):
        world.add(_times(obj))
    if world.case_transactions and feed.get("payout", True):
        world.payout(CASE_PAYOUT, list(world.case_transactions), created="21:00")
    for object_id, change in (feed.get("patch") or {}).items():
        target = world.objects[object_id]
        for path, value in (change.get("set") or {}).items():
            _set(target, path, value)
        for path in change.get("drop") or []:
            _drop(target, path)
    return world


def _times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _times(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_times(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"@\d\d:\d\d", value):
        return at(value[1:])
    return value


def faults(feed: dict[str, Any]) -> list[ScriptedFault]:
    return [ScriptedFault(**spec) for spec in feed.get("faults", [])]


def _walk(obj: Any, path: str) -> tuple[Any, str | int]:
    *parents, last = path.split(".")
    for step in parents:
        obj = obj[int(step)] if isinstance(obj, list) else obj[step]
    return obj, int(last) if isinstance(obj, list) else last


def _set(obj: dict, path: str, value: Any) -> None:
    parent, key = _walk(obj, path)
    parent[key] = value


def _drop(obj: dict, path: str) -> None:
    parent, key = _walk(obj, path)
    del parent[key]


def write_mapping(folder: Path, tenant_file: str, edits: dict[str, Any] | None) -> None:
    """Apply a case's edits to its copy of the mapping file (`tenant_file` in `folder`)."""
    if not edits:
        return
    path = folder / tenant_file
    if edits.get("remove"):
        path.unlink()
        return
    text = edits["text"] if "text" in edits else path.read_text(encoding="utf-8")
    for old, new in edits.get("replace", []):
        if old not in text:
            raise ValueError(f"mapping edit: {old!r} is not in {tenant_file}")
        text = text.replace(old, new, 1)
    text += edits.get("append", "")
    path.write_bytes(text.encode(edits.get("encoding", "utf-8")))
