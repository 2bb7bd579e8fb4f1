"""The posting protocol, once for every target: intent -> send with idempotency -> record, and recovery.

    poster = Poster(Outbox(conn, target.name, target.company_id, key_length=target.key_length), target)
    report = poster.post(records)            # one request per record
    report = poster.post(records, batch=True)  # new records in batch requests, the rest one by one

A refusal for good (validation, missing account, duplicate name) is recorded as `failed` with the
target's message and the fix, and posting carries on with the next record. Anything else (throttled
past every retry, daily limit, outage, lost connection) stops the run with the outbox row still
`pending`: the next run recovers it (finds it by its marker, or sends the same key again).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ledger_pipeline.posting.decide import Action, Plan, decide
from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.outbox import Outbox
from ledger_pipeline.posting.records import ExternalId, Intent, PostRecord, Remote
from ledger_pipeline.posting.target import PostingTarget

log = logging.getLogger(__name__)
MAX_STEPS = 6  # recover, void, create, a stale retry...: a record settles well within this


@dataclass(frozen=True)
class Outcome:
    record_key: str
    result: str                  # created | updated | voided | deleted | skipped | recovered | failed | pending
    remote_id: str | None = None
    reason: str = ""
    error: TargetError | None = None


@dataclass
class PostReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            counts[outcome.result] = counts.get(outcome.result, 0) + 1
        return counts

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.result == "failed"]

    def metadata(self, limit: int = 20) -> dict[str, Any]:
        """Counts and the first failures with their fixes, fit for Dagster metadata (no secrets in here)."""
        return {"counts": self.counts(),
                "failures": [{"record_key": o.record_key, "kind": o.error.kind.value if o.error else None,
                              "code": o.error.code if o.error else None,
                              "message": o.error.message if o.error else o.reason,
                              "fix": o.error.fix if o.error else None} for o in self.failures[:limit]]}


class _Retry(Exception):
    """Internal: decide again (after a stale SyncToken was read afresh)."""

    def __init__(self, error: TargetError):
        super().__init__(str(error))
        self.error = error


class Poster:
    def __init__(self, outbox: Outbox, target: PostingTarget):
        if (outbox.target, outbox.company_id) != (target.name, target.company_id):
            raise ValueError("the outbox and the target name different companies")
        self.outbox = outbox
        self.target = target

    # --- entry points -------------------------------------------------------------------------------
    def post(self, records: Iterable[PostRecord], *, batch: bool = False) -> PostReport:
        records = list(records)
        keys = [r.record_key for r in records]
        if len(set(keys)) != len(keys):
            raise ValueError("each record may appear once per posting call")
        report = PostReport()
        creates: list[PostRecord] = []
        for record in records:
            if batch and self._plan(record).action is Action.CREATE:
                creates.append(record)
            else:
                report.outcomes.append(self.post_one(record))
        size = max(1, self.target.max_batch)
        by_kind: dict[str, list[PostRecord]] = {}
        for record in creates:
            by_kind.setdefault(record.kind, []).append(record)  # a batch holds one kind (Xero's rule)
        for same_kind in by_kind.values():
            for start in range(0, len(same_kind), size):
                report.outcomes.extend(self._post_batch(same_kind[start:start + size]))
        return report

    def post_one(self, record: PostRecord) -> Outcome:
        recovered = False
        stale_retries = 0
        last: Outcome | None = None
        for _ in range(MAX_STEPS):
            current = self.outbox.current(record.record_key)
            plan = self._plan(record, current)
            if plan.action is Action.SKIP:
                if last is not None:
                    return last
                result = "recovered" if recovered else "skipped"
                return Outcome(record.record_key, result, current.remote_id if current else None, plan.reason)
            try:
                if plan.action is Action.RECOVER:
                    assert plan.pending is not None
                    settled = self._recover(record, plan.pending, current)
                    if settled is not None and settled.result == "failed":
                        return settled
                    recovered = True
                    continue
                last = self._send(record, plan.action, current)
            except TargetError as error:
                if not (error.definitive and plan.action is Action.RECOVER):
                    raise
                # e.g. two objects carry the marker: leave the intent pending until a person fixes the books
                return Outcome(record.record_key, "failed", None, error.message, error)
            except _Retry as retry:
                stale_retries += 1
                if stale_retries > 1:  # edited again while we re-read it: leave it to the next run
                    return Outcome(record.record_key, "failed", None, retry.error.message, retry.error)
                continue
            if last.result == "failed" or plan.action is not Action.VOID or record.voided:
                return last
            # a void on the way to a repost: the create comes next
        raise RuntimeError(f"posting {record.record_key} did not settle in {MAX_STEPS} steps")

    # --- one record ---------------------------------------------------------------------------------------
    def _plan(self, record: PostRecord, current: ExternalId | None = None) -> Plan:
        current = current if current is not None else self.outbox.current(record.record_key)
        pending = self.outbox.pending(record.record_key)
        return decide(record, current, pending[0] if pending else None, self.target.can_update(record.kind))

    def _send(self, record: PostRecord, action: Action, current: ExternalId | None) -> Outcome:
        kind = current.remote_kind if action is Action.VOID and current else record.kind
        intent = self.outbox.begin(record, action.value, kind=kind)
        return self._deliver(intent, record, current)

    def _deliver(self, intent: Intent, record: PostRecord, current: ExternalId | None) -> Outcome:
        """Send one intent (fresh, or again with its own key) and record the answer."""
        try:
            if intent.action == "create":
                status, remote = "posted", self.target.create(record, intent.idempotency_key)
            elif intent.action == "update":
                assert current is not None
                status, remote = "posted", self.target.update(record, current, intent.idempotency_key)
            else:
                assert current is not None
                status, remote = self.target.void(current, intent.idempotency_key)
        except TargetError as error:
            return self._refused(intent, current, error)
        self.outbox.posted(intent, remote, status=status)
        result = {"create": "created", "update": "updated"}.get(intent.action, status)
        log.info("%s %s %s -> %s %s", self.target.name, intent.action, intent.record_key, intent.remote_kind,
                 remote.remote_id)
        return Outcome(intent.record_key, result, remote.remote_id)

    def _refused(self, intent: Intent, current: ExternalId | None, error: TargetError) -> Outcome:
        if intent.action == "void" and error.kind is ErrorKind.NOT_FOUND and current is not None:
            self.outbox.posted(intent, Remote(current.remote_id, current.sync_token), status="deleted")
            return Outcome(intent.record_key, "deleted", current.remote_id, "already gone from the books")
        if error.kind is ErrorKind.STALE and current is not None:
            self.outbox.failed(intent, error)
            fresh = self.target.read_version(current)
            self.outbox.set_sync_token(intent.record_key, fresh.version)
            raise _Retry(error)
        if error.definitive:
            self.outbox.failed(intent, error)
            log.warning("%s refused %s %s: %s", self.target.name, intent.action, intent.record_key, error)
            return Outcome(intent.record_key, "failed", None, error.message, error)
        raise error  # not settled: the intent stays pending for the next run

    def _recover(self, record: PostRecord, intent: Intent, current: ExternalId | None) -> Outcome | None:
        """Settle an intent an earlier run sent without recording the answer. Never a second object."""
        if intent.action == "create":
            found = self.target.find_by_marker(intent.remote_kind, intent.marker)
            if found is not None:
                self.outbox.posted(intent, found)
                log.info("%s recovered %s by its marker: %s", self.target.name, intent.record_key, found.remote_id)
                return None
            same = (intent.content_hash == record.content_hash and intent.remote_kind == record.kind
                    and not record.voided and record.payload is not None)
            if same:  # the same key again: the target replays the first answer, or does it now
                return self._deliver(intent, record, current)
            self.outbox.superseded(intent)  # it never reached the books and the record has moved on
            return None
        if intent.action == "update" and (record.voided or record.kind != intent.remote_kind or record.payload is None):
            self.outbox.superseded(intent)  # whatever happened, the void that follows settles the object
            return None
        # update / void: the same key again; an update is recorded with the content that request carried
        replay = PostRecord(record.record_key, intent.remote_kind, intent.content_hash, intent.marker,
                            record.payload, record.voided, record.repost)
        return self._deliver(intent, replay, current)

    # --- batches ------------------------------------------------------------------------------------------
    def _post_batch(self, records: list[PostRecord]) -> list[Outcome]:
        key, intents = self.outbox.begin_batch(records)
        try:
            answers = self.target.create_many(records, key)
        except TargetError as error:
            if not error.definitive:
                raise  # the intents stay pending; the next run finds what landed by marker
            for intent in intents:
                self.outbox.failed(intent, error)
            return [Outcome(i.record_key, "failed", None, error.message, error) for i in intents]
        outcomes = []
        for intent, answer in zip(intents, answers):
            if isinstance(answer, Remote):
                self.outbox.posted(intent, answer)
                outcomes.append(Outcome(intent.record_key, "created", answer.remote_id))
            elif answer.definitive:
                self.outbox.failed(intent, answer)
                outcomes.append(Outcome(intent.record_key, "failed", None, answer.message, answer))
            else:
                outcomes.append(Outcome(intent.record_key, "pending", None, answer.message, answer))
        return outcomes
