"""Posting under Xero's daily call budget: the records of a wave cut into steps whose calls are known
before anything is written, so a step that does not fit today's budget is never begun (no intent, nothing
sent) and waits for the next run.

    step                                         calls
    records already in the books as built        0
    new records of one kind, up to a batch       1 (one PUT)
    a changed record                             1 (POST with its id)
    a voided record                              2 (read its status, then void or delete it)
    a record reposted (void, then create)        3
    a half-sent one from an earlier run          3 (find it by marker, send again, then settle)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ledger_pipeline.posting import Action, Outbox, PostRecord, decide
from ledger_pipeline.posting.target import PostingTarget

CALLS = {Action.SKIP: 0, Action.CREATE: 1, Action.UPDATE: 1, Action.VOID: 2, Action.RECOVER: 3}


@dataclass(frozen=True)
class Step:
    records: list[PostRecord]
    calls: int


def steps(outbox: Outbox, target: PostingTarget, records: list[PostRecord]) -> list[Step]:
    """The records in steps: settled ones first (free), then one-by-one writes, then batches of new ones."""
    settled: list[PostRecord] = []
    singles: list[Step] = []
    new: dict[str, list[PostRecord]] = defaultdict(list)
    for record in records:
        pending = outbox.pending(record.record_key)
        plan = decide(record, outbox.current(record.record_key), pending[0] if pending else None,
                      target.can_update(record.kind))
        if plan.action is Action.SKIP:
            settled.append(record)
        elif plan.action is Action.CREATE:
            new[record.kind].append(record)
        else:
            repost = plan.action is Action.VOID and not record.voided
            singles.append(Step([record], CALLS[plan.action] + (1 if repost else 0)))
    out = [Step(settled, 0)] if settled else []
    out += singles
    size = max(1, target.max_batch)
    for same_kind in new.values():
        out += [Step(same_kind[start:start + size], 1) for start in range(0, len(same_kind), size)]
    return out
