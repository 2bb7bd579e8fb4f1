"""sync.outbox and sync.external_ids for one target company, over a tenant's warehouse connection.

Each method is one short statement (autocommit) or one transaction, so an intent is durable before its
request goes out, and an answer is recorded together with the external id it produces. Hand it a
connection with no transaction open (`WarehouseResource.connect(tenant)` gives one).
"""

from __future__ import annotations

from typing import Any

import duckdb

from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.posting.errors import TargetError
from ledger_pipeline.posting.keys import batch_key, idempotency_key
from ledger_pipeline.posting.records import ExternalId, Intent, PostRecord, Remote

_SQL = "ledger_pipeline.posting"


class Outbox:
    def __init__(self, conn: duckdb.DuckDBPyConnection, target: str, company_id: str, *, key_length: int,
                 batch_key_length: int | None = None, run_id: str | None = None):
        self.conn = conn
        self.target = target
        self.company_id = company_id
        self.key_length = key_length
        self.batch_key_length = batch_key_length or key_length
        self.run_id = run_id

    def _where(self, record_key: str | None = None) -> dict[str, Any]:
        return {"target": self.target, "company_id": self.company_id, "record_key": record_key}

    # --- reading ------------------------------------------------------------------------------------
    def current(self, record_key: str) -> ExternalId | None:
        row = self.conn.execute(load_sql(_SQL, "external_id"), self._where(record_key)).fetchone()
        return ExternalId(*row) if row else None

    def live_ids(self, record_keys) -> dict[str, str]:
        """Record key -> remote id, for the keys whose object is live in the books."""
        found = {}
        for key in record_keys:
            current = self.current(key)
            if current is not None and current.live:
                found[key] = current.remote_id
        return found

    def pending(self, record_key: str | None = None) -> list[Intent]:
        rows = self.conn.execute(load_sql(_SQL, "pending_intents"), self._where(record_key)).fetchall()
        return [Intent(*row) for row in rows]

    def failures(self) -> list[dict[str, Any]]:
        """The open refusals, one per record: what the target said and what to change."""
        cursor = self.conn.execute(load_sql(_SQL, "failures"),
                                   {"target": self.target, "company_id": self.company_id})
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    # --- step 1: the intent, committed before any network call ---------------------------------------
    def begin(self, record: PostRecord, action: str, *, kind: str | None = None) -> Intent:
        """Write (and commit) the pending intent for one request. `kind` defaults to the record's."""
        intent = self._intent(record, action, kind or record.kind, None)
        self._insert(intent)
        return intent

    def begin_batch(self, records: list[PostRecord]) -> tuple[str, list[Intent]]:
        """Pending create intents for one batch request, committed together; returns the batch's key."""
        keys = [self._intent(r, "create", r.kind, None).idempotency_key for r in records]
        key = batch_key(keys, self.batch_key_length)
        intents = [self._intent(r, "create", r.kind, key) for r in records]
        self.conn.execute("BEGIN TRANSACTION")
        try:
            for intent in intents:
                self._insert(intent)
            self.conn.execute("COMMIT")
        except Exception:
            self.conn.execute("ROLLBACK")
            raise
        return key, intents

    def _intent(self, record: PostRecord, action: str, kind: str, batch: str | None) -> Intent:
        where = {**self._where(record.record_key), "action": action, "content_hash": record.content_hash}
        generation = self.conn.execute(load_sql(_SQL, "next_generation"), where).fetchone()[0]
        key = idempotency_key(self.target, self.company_id, record.record_key, action, record.content_hash,
                              generation, self.key_length)
        return Intent(key, self.target, self.company_id, record.record_key, kind, action, record.content_hash,
                      generation, record.marker, batch, "pending")

    def _insert(self, intent: Intent) -> None:
        self.conn.execute(load_sql(_SQL, "insert_intent"), {
            **self._where(intent.record_key), "action": intent.action, "content_hash": intent.content_hash,
            "key": intent.idempotency_key, "remote_kind": intent.remote_kind, "generation": intent.generation,
            "marker": intent.marker, "batch_key": intent.batch_key, "run_id": self.run_id})

    # --- step 3: the answer -----------------------------------------------------------------------------
    def posted(self, intent: Intent, remote: Remote, *, status: str = "posted") -> None:
        """The target did it: close the intent and point the record at the remote object, atomically.

        `status` is what the object is now: posted (created/updated), voided or deleted."""
        self.conn.execute("BEGIN TRANSACTION")
        try:
            self._finish(intent.idempotency_key, "posted", remote_id=remote.remote_id)
            self.conn.execute(load_sql(_SQL, "upsert_external_id"), {
                **self._where(intent.record_key), "remote_kind": intent.remote_kind, "remote_id": remote.remote_id,
                "sync_token": remote.version, "content_hash": intent.content_hash, "marker": intent.marker,
                "status": status, "key": intent.idempotency_key})
            self.conn.execute("COMMIT")
        except Exception:
            self.conn.execute("ROLLBACK")
            raise

    def failed(self, intent: Intent, error: TargetError) -> None:
        """The target refused it for good: keep its answer and the fix; the next try is a new request."""
        self._finish(intent.idempotency_key, "failed", error=error)

    def superseded(self, intent: Intent) -> None:
        """A pending intent that never reached the books and whose content is out of date."""
        self._finish(intent.idempotency_key, "superseded")

    def set_sync_token(self, record_key: str, sync_token: str | None) -> None:
        self.conn.execute(load_sql(_SQL, "set_sync_token"), {**self._where(record_key), "sync_token": sync_token})

    def _finish(self, key: str, status: str, *, remote_id: str | None = None, error: TargetError | None = None) -> None:
        self.conn.execute(load_sql(_SQL, "finish_intent"), {
            "key": key, "status": status, "remote_id": remote_id,
            "error_kind": error.kind.value if error else None, "error_code": error.code if error else None,
            "error_message": error.message if error else None, "error_fix": error.fix if error else None})
