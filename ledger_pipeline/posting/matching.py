"""Master data as a posting target, for both loaders: what the books already have is answered without a call
(matched), records that name one party share one new object, nothing is ever updated or removed.

A loader's subclass says how a record is matched (`match`) and as what a new one is created (`identity`);
the Poster does the rest (intent, key, sync.external_ids), so a crash between creating an object and
recording it never makes a second one: the next run matches it first (`find_by_marker`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Protocol, TypeVar

from ledger_pipeline.posting.errors import TargetError
from ledger_pipeline.posting.records import ExternalId, PostRecord, Remote
from ledger_pipeline.posting.target import PostingTarget

LINKED = hashlib.sha256(b"master data: linked once, never updated").hexdigest()  # every record's content hash


class Wanted(Protocol):
    kind: str
    key: str

    def payload(self, mark: str | None = None) -> Any: ...


W = TypeVar("W", bound=Wanted)


def master_records(wanted: Iterable[W], marker: Callable[[str], str]) -> tuple[list[PostRecord], dict[str, W]]:
    """One record per wanted key, marked; and the wanted by marker (what the target matches on)."""
    records, by_marker = [], {}
    for item in {w.key: w for w in wanted}.values():
        mark = marker(item.key)
        by_marker[mark] = item
        records.append(PostRecord(item.key, item.kind, LINKED, mark, item.payload(mark)))
    return records, by_marker


class MatchingTarget:
    """`base` (the loader's own target) behind a match: `linked` counts the records answered from the books."""

    def __init__(self, base: PostingTarget):
        self.base = base
        self.name, self.company_id = base.name, base.company_id
        self.key_length, self.batch_key_length, self.max_batch = base.key_length, base.batch_key_length, base.max_batch
        self.linked = 0

    # --- what a loader says -------------------------------------------------------------------------------
    def match(self, kind: str, marker: str) -> Remote | None:
        """The object the books already have for the record with this marker."""
        raise NotImplementedError

    def identity(self, record: PostRecord, earlier: dict[Hashable, PostRecord]) -> tuple[Hashable, PostRecord]:
        """Who a new record creates (records of one identity share one object; `earlier` holds the first
        record of each identity in this batch), and the record to send for it."""
        return (record.kind, record.marker), record

    def refresh(self) -> None:
        """Forget what was read of the books: an earlier run may have created the object since."""

    # --- the PostingTarget protocol -------------------------------------------------------------------------
    def can_update(self, kind: str) -> bool:
        return False

    def create(self, record: PostRecord, key: str) -> Remote:
        found = self.match(record.kind, record.marker)
        if found is not None:
            self.linked += 1
            return found
        return self.base.create(self.identity(record, {})[1], key)

    def create_many(self, records: list[PostRecord], key: str) -> list[Remote | TargetError]:
        answers: list[Remote | TargetError | None] = []
        fresh: list[PostRecord] = []
        first: dict[Hashable, int] = {}
        earlier: dict[Hashable, PostRecord] = {}
        same: dict[int, int] = {}
        for record in records:
            found = self.match(record.kind, record.marker)
            if found is not None:
                self.linked += 1
                answers.append(found)
                continue
            who, sent = self.identity(record, earlier)
            if who in first:  # two records, one party: one object for both
                same[len(answers)] = first[who]
            else:
                first[who], earlier[who] = len(answers), record
                fresh.append(sent)
            answers.append(None)
        created = iter(self.base.create_many(fresh, key) if fresh else [])
        for n, answer in enumerate(answers):
            if answer is None and n not in same:
                answers[n] = next(created)
        for n, origin in same.items():
            answers[n] = answers[origin]
        return answers  # type: ignore[return-value]

    def find_by_marker(self, kind: str, marker: str) -> Remote | None:
        self.refresh()
        return self.match(kind, marker)

    def update(self, record: PostRecord, current: ExternalId, key: str) -> Remote:
        raise AssertionError("master data is linked once and never updated")

    def void(self, current: ExternalId, key: str) -> tuple[str, Remote]:
        raise AssertionError("master data is never removed by the loader")

    def read_version(self, current: ExternalId) -> Remote:
        return self.base.read_version(current)
