"""QuickBooks as a posting target: the PostingTarget protocol over QuickBooksClient.

Markers: transactions with a DocNumber carry it there (queryable, at most 21 characters); the others
(Transfer, Payment) carry it in PrivateNote, found by reading what changed in the last `lookback_days`.
Everything is updated in place with its SyncToken; JournalEntry, Deposit, Transfer, ... are deleted
where the source is voided (QuickBooks cannot void them), Invoice, Payment, SalesReceipt are voided.
"""

from __future__ import annotations

import copy
import datetime as dt

from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.keys import QBO_BATCH_REQUEST_ID_MAX, QBO_REQUEST_ID_MAX
from ledger_pipeline.posting.records import ExternalId, PostRecord, Remote
from ledger_pipeline.targets.quickbooks.batch import MAX_ITEMS, BatchItem
from ledger_pipeline.targets.quickbooks.client import QuickBooksClient, to_remote
from ledger_pipeline.targets.quickbooks.errors import TARGET

DOC_NUMBER_KINDS = frozenset({"JournalEntry", "Invoice", "SalesReceipt", "CreditMemo", "RefundReceipt", "Deposit",
                              "Purchase", "Bill", "VendorCredit"})


def marker_field(kind: str) -> str:
    """Where the adapter writes the marker for this kind: DocNumber or PrivateNote."""
    return "DocNumber" if kind in DOC_NUMBER_KINDS else "PrivateNote"


class QuickBooksTarget:
    name = TARGET
    key_length = QBO_REQUEST_ID_MAX
    batch_key_length = QBO_BATCH_REQUEST_ID_MAX
    max_batch = MAX_ITEMS

    def __init__(self, client: QuickBooksClient, *, lookback_days: int = 30):
        self.client = client
        self.company_id = client.realm_id
        self.lookback_days = lookback_days

    def can_update(self, kind: str) -> bool:
        return True

    def create(self, record: PostRecord, key: str) -> Remote:
        return self.client.create(record.payload, key)

    def update(self, record: PostRecord, current: ExternalId, key: str) -> Remote:
        entity = copy.deepcopy(record.payload)
        entity.Id, entity.SyncToken = current.remote_id, current.sync_token
        return self.client.update(entity, key)

    def void(self, current: ExternalId, key: str) -> tuple[str, Remote]:
        return self.client.void_or_delete(current.remote_kind, current.remote_id, current.sync_token, key)

    def find_by_marker(self, kind: str, marker: str) -> Remote | None:
        if marker_field(kind) == "DocNumber":
            rows = self.client.find_by_marker(kind, doc_number=marker)
        else:
            since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=self.lookback_days)
            rows = self.client.find_by_marker(kind, private_note=marker, since=since)
        if len(rows) > 1:
            ids = ", ".join(str(r.get("Id")) for r in rows)
            raise TargetError(TARGET, ErrorKind.INVALID, f"{len(rows)} {kind} objects carry marker {marker} ({ids})",
                              fix="keep one of them in QuickBooks and delete the others, then re-run")
        return to_remote(rows[0]) if rows else None

    def read_version(self, current: ExternalId) -> Remote:
        return to_remote(self.client.get(current.remote_kind, current.remote_id))

    def create_many(self, records: list[PostRecord], key: str) -> list[Remote | TargetError]:
        return self.client.batch([BatchItem("create", r.payload) for r in records], key)
