"""What to do with one record, from what the books hold (external id) and what we left half done (pending).

    pending row (a crash between send and record)   -> recover: find it by marker / send the same key again
    source voided or deleted, object live           -> void (or delete, where the target cannot void)
    source voided, nothing live                     -> skip
    nothing live (new, or voided earlier)           -> create
    same content hash already posted                -> skip
    changed hash, target can update the kind        -> update
    changed hash, cannot update / repost asked /
      the kind changed                              -> void, then create (the next decision after the void)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ledger_pipeline.posting.records import ExternalId, Intent, PostRecord


class Action(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    VOID = "void"
    SKIP = "skip"
    RECOVER = "recover"


@dataclass(frozen=True)
class Plan:
    action: Action
    reason: str
    pending: Intent | None = None


def decide(record: PostRecord, current: ExternalId | None, pending: Intent | None, can_update: bool) -> Plan:
    if pending is not None:
        return Plan(Action.RECOVER, f"an earlier run sent {pending.action} and did not record the answer", pending)
    live = current is not None and current.live
    if record.voided:
        if live:
            return Plan(Action.VOID, "the source record was voided or deleted")
        return Plan(Action.SKIP, "voided at the source and nothing live in the books")
    if not live:
        return Plan(Action.CREATE, "not in the books yet" if current is None else "posted again after a void")
    assert current is not None
    if current.remote_kind != record.kind:
        return Plan(Action.VOID, f"the record now maps to {record.kind}, not {current.remote_kind}: void and repost")
    if current.content_hash == record.content_hash:
        return Plan(Action.SKIP, "already posted with this content")
    if record.repost or not can_update:
        return Plan(Action.VOID, "content changed and it cannot be updated in place: void and repost")
    return Plan(Action.UPDATE, "content changed")
