"""What the posting protocol needs from a books target. QuickBooks and Xero each implement it once
(`ledger_pipeline.targets.*.target`), so both loaders share one mechanism."""

from __future__ import annotations

from typing import Protocol

from ledger_pipeline.posting.errors import TargetError
from ledger_pipeline.posting.records import ExternalId, PostRecord, Remote


class PostingTarget(Protocol):
    name: str            # "quickbooks" | "xero": the `target` column
    company_id: str      # realm id / tenant id
    key_length: int      # longest idempotency key the target takes
    batch_key_length: int
    max_batch: int       # objects per batch request (QuickBooks 30, Xero 50)

    def can_update(self, kind: str) -> bool: ...

    def create(self, record: PostRecord, key: str) -> Remote: ...

    def update(self, record: PostRecord, current: ExternalId, key: str) -> Remote: ...

    def void(self, current: ExternalId, key: str) -> tuple[str, Remote]:
        """Void (or delete, where the kind cannot be voided); returns ("voided" | "deleted", remote)."""
        ...

    def find_by_marker(self, kind: str, marker: str) -> Remote | None:
        """The live object carrying our marker, or None. More than one is an error (a duplicate)."""
        ...

    def read_version(self, current: ExternalId) -> Remote:
        """The object as the books hold it now (for a fresh SyncToken)."""
        ...

    def create_many(self, records: list[PostRecord], key: str) -> list[Remote | TargetError]:
        """One batch request; one answer per record, in order."""
        ...
