"""Xero as a posting target: the PostingTarget protocol over XeroClient.

The adapter writes the marker where the kind keeps it (`kinds.KINDS[kind].marker_field`): Reference,
ContactNumber, or the end of a ManualJournal's Narration. Updates are POSTs with the object's id;
Payments cannot be updated (void and repost instead).
"""

from __future__ import annotations

import copy

from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.keys import XERO_IDEMPOTENCY_KEY_MAX
from ledger_pipeline.posting.records import ExternalId, PostRecord, Remote
from ledger_pipeline.targets.xero.client import MAX_BATCH, XeroClient
from ledger_pipeline.targets.xero.errors import TARGET
from ledger_pipeline.targets.xero.kinds import kind_of


class XeroTarget:
    name = TARGET
    key_length = XERO_IDEMPOTENCY_KEY_MAX
    batch_key_length = XERO_IDEMPOTENCY_KEY_MAX
    max_batch = MAX_BATCH

    def __init__(self, client: XeroClient):
        self.client = client
        self.company_id = client.tenant_id

    def can_update(self, kind: str) -> bool:
        return kind_of(kind).upsert is not None

    def create(self, record: PostRecord, key: str) -> Remote:
        return _one(self.client.put_many(record.kind, [record.payload], key))

    def update(self, record: PostRecord, current: ExternalId, key: str) -> Remote:
        spec = kind_of(record.kind)
        obj = copy.deepcopy(record.payload)
        setattr(obj, spec.id_attr, current.remote_id)
        return _one(self.client.post_many(record.kind, [obj], key))

    def void(self, current: ExternalId, key: str) -> tuple[str, Remote]:
        remote = self.client.void(current.remote_kind, current.remote_id, key)
        return ("deleted" if remote.status in ("DELETED", "ARCHIVED") else "voided"), remote

    def find_by_marker(self, kind: str, marker: str) -> Remote | None:
        spec = kind_of(kind)
        found = self.client.find_by_reference(kind, marker)
        if len(found) > 1:
            ids = ", ".join(str(getattr(o, spec.id_attr)) for o in found)
            raise TargetError(TARGET, ErrorKind.INVALID, f"{len(found)} {kind} carry marker {marker} ({ids})",
                              fix="void or delete the extra ones in Xero, then re-run")
        return Remote(str(getattr(found[0], spec.id_attr)), None, None, found[0]) if found else None

    def read_version(self, current: ExternalId) -> Remote:
        return Remote(current.remote_id)

    def create_many(self, records: list[PostRecord], key: str) -> list[Remote | TargetError]:
        kinds = {r.kind for r in records}
        if len(kinds) != 1:
            raise ValueError("a Xero batch holds one kind of object")
        return self.client.put_many(kinds.pop(), [r.payload for r in records], key)


def _one(answers: list[Remote | TargetError]) -> Remote:
    answer = answers[0]
    if isinstance(answer, TargetError):
        raise answer
    return answer
