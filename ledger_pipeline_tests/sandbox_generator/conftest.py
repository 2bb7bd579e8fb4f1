"""Shared fixtures for the Stripe data generator tests: one default seed per session, indexed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timezone
from typing import Any

import pytest

from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate

END = date(2026, 5, 8)
DAY = 86400


class SeedIndex:
    """Lookups over a seed: objects by id and type, who owns what (None = the platform), transactions."""

    def __init__(self, seed: dict[str, Any], settings: GeneratorSettings):
        self.seed = seed
        self.settings = settings
        e = settings.end_date or datetime.now(timezone.utc).date()
        self.end = int(datetime(e.year, e.month, e.day, tzinfo=timezone.utc).timestamp())
        self.start = self.end - settings.days * DAY
        self.objects = seed["objects"]
        self.composition: dict[str, list[str]] = seed["payout_composition"]
        self.by_id: dict[str, dict] = {}
        self.owner: dict[str, str | None] = {}
        self.by_type: dict[str, list[dict]] = defaultdict(list)
        for obj in self.objects:
            self.by_id[obj["id"]] = obj
            self.by_type[obj["object"]].append(obj)
            if obj["object"] in ("account", "application_fee"):
                self.owner[obj["id"]] = None
            else:
                self.owner[obj["id"]] = obj.get("account")
        self.accounts = {a["id"]: a for a in self.by_type["account"]}
        self.bt_by_source: dict[str, list[dict]] = defaultdict(list)
        for txn in self.by_type["balance_transaction"]:
            if txn["source"]:
                self.bt_by_source[txn["source"]].append(txn)

    def of(self, kind: str, owner: Any = "any") -> list[dict]:
        objs = self.by_type.get(kind, [])
        if owner == "any":
            return objs
        return [o for o in objs if self.owner[o["id"]] == owner]

    def country(self, owner: str | None) -> str:
        return "US" if owner is None else self.accounts[owner]["country"]

    def settlement(self, owner: str | None) -> str:
        return "usd" if owner is None else self.accounts[owner]["default_currency"]

    def cases(self, name: str) -> list[dict]:
        return [o for o in self.objects if o["object"] != "event"
                and isinstance(o.get("metadata"), dict) and o["metadata"].get("sandbox_case") == name]


@pytest.fixture(scope="session")
def settings() -> GeneratorSettings:
    return GeneratorSettings(end_date=END)


@pytest.fixture(scope="session")
def seed(settings: GeneratorSettings) -> dict[str, Any]:
    return generate(settings)


@pytest.fixture(scope="session")
def idx(seed: dict[str, Any], settings: GeneratorSettings) -> SeedIndex:
    return SeedIndex(seed, settings)
