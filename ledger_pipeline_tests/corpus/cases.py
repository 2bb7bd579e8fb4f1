"""The corpus as data: `cases/*.yaml`, one file per group, each case what to feed and what must come of it.

A file: `{group, about, cases: [{id, description, feed, expect, run?, post_to?, mode?}]}`. Unknown keys are
refused (a misspelt expectation would otherwise pass silently). `feed` is read by feed.py, `expect` by
expect.py; a string or list written `{repeat: "ab", times: 5000}` anywhere in a case is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).parent / "cases"
RUNS = ("pipeline", "mapping", "journal_after")   # what is materialized; see runner.py
CASE_KEYS = {"id", "description", "feed", "expect", "run", "post_to", "mode"}
FEED_KEYS = {"customers", "products", "prices", "tax_rates", "sales", "transactions", "objects", "payout",
             "patch", "faults", "stripe", "tenant", "mapping"}
EXPECT_KEYS = {"success", "failed_checks", "errors", "says", "not_said", "quarantine", "books_unchanged",
               "booked", "not_booked", "entries", "stored", "quickbooks", "requests"}


@dataclass(frozen=True)
class Case:
    group: str
    id: str
    description: str
    feed: dict[str, Any]
    expect: dict[str, Any]
    run: str = "pipeline"
    post_to: str | None = None          # quickbooks: also post to the QuickBooks sandbox
    mode: str = "payout_summary"        # the posting mode of the tenant's mapping
    file: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.group}/{self.id}"


def expand(value: Any) -> Any:
    """`{repeat: x, times: n}` -> x * n, recursively (long strings stay readable in the YAML)."""
    if isinstance(value, dict):
        if set(value) == {"repeat", "times"}:
            return value["repeat"] * value["times"]
        return {k: expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v) for v in value]
    return value


def _refuse_unknown(where: str, given: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(given) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")


def load_cases(folder: Path = FOLDER) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(folder.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        group = document["group"]
        for raw in document["cases"]:
            where = f"{path.name}: {raw.get('id', '?')}"
            _refuse_unknown(where, raw, CASE_KEYS)
            _refuse_unknown(f"{where}: feed", raw.get("feed") or {}, FEED_KEYS)
            _refuse_unknown(f"{where}: expect", raw["expect"], EXPECT_KEYS)
            if raw.get("run", "pipeline") not in RUNS:
                raise ValueError(f"{where}: run must be one of {RUNS}")
            cases.append(Case(group=group, id=raw["id"], description=raw["description"],
                              feed=expand(raw.get("feed") or {}), expect=expand(raw["expect"]),
                              run=raw.get("run", "pipeline"), post_to=raw.get("post_to"),
                              mode=raw.get("mode", "payout_summary"), file=path.name))
    ids = [c.id for c in cases]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"case ids must be unique across the corpus; repeated: {repeated}")
    return cases
