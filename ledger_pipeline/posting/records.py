"""The shapes the posting protocol passes around: what we want in the books, what is there, what we sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PostRecord:
    """One record as the warehouse wants it in the books.

    `payload` is the target's own object (a python-quickbooks entity, a xero-python model) built by the
    loader's adapter, with `marker` already written into the kind's marker field. A voided/deleted source
    record sets `voided` (its payload may be None). `repost` asks for void + new object instead of an
    update (e.g. the period is closed)."""

    record_key: str
    kind: str                 # the target's object type: JournalEntry, Invoice, ManualJournals, ...
    content_hash: str
    marker: str
    payload: Any = None
    voided: bool = False
    repost: bool = False


@dataclass(frozen=True)
class Remote:
    """An object in the books, as a target client returns it."""

    remote_id: str
    version: str | None = None   # QuickBooks SyncToken; Xero has none
    status: str | None = None    # the target's status word, when it has one (VOIDED, DELETED, ...)
    data: Any = None             # the raw answer, for callers that want more


@dataclass(frozen=True)
class ExternalId:
    """Row of sync.external_ids: our record <-> the remote object, and what it holds."""

    target: str
    company_id: str
    record_key: str
    remote_kind: str
    remote_id: str
    sync_token: str | None
    content_hash: str
    marker: str
    status: str                 # posted | voided | deleted
    idempotency_key: str

    @property
    def live(self) -> bool:
        return self.status == "posted"


@dataclass(frozen=True)
class Intent:
    """Row of sync.outbox: one request we decided to send (or sent), keyed by its idempotency key."""

    idempotency_key: str
    target: str
    company_id: str
    record_key: str
    remote_kind: str
    action: str                 # create | update | void
    content_hash: str
    generation: int
    marker: str
    batch_key: str | None
    status: str                 # pending | posted | failed | superseded
    created_at: dt.datetime | None = None
