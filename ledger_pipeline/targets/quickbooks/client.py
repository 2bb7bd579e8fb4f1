"""Our thin QuickBooks Online client: python-quickbooks underneath, the shared limiter and retries on top.

Every call takes a slot from the realm's limiter (500/min and 10 in flight at Intuit), is classified by
Fault code, refreshes the token once on a 401, waits and retries on 429, and retries 5xx/timeouts only
when it is idempotent: a read, or a write carrying a `requestid` (at most 50 characters; QuickBooks
answers a repeated one with the first answer).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

from ledger_pipeline.posting.errors import TargetError
from ledger_pipeline.posting.keys import QBO_BATCH_REQUEST_ID_MAX, QBO_REQUEST_ID_MAX
from ledger_pipeline.posting.limiter import RateLimiter
from ledger_pipeline.posting.records import Remote
from ledger_pipeline.posting.retry import RetryPolicy, call_with_retries
from ledger_pipeline.targets.quickbooks.batch import BatchItem, batch_body, batch_results
from ledger_pipeline.targets.quickbooks.connection import QuickBooksConnection, QuickBooksHttp, last_status
from ledger_pipeline.targets.quickbooks.errors import classify
from ledger_pipeline.targets.quickbooks.reports import TrialBalance, parse_trial_balance

T = TypeVar("T")

# How each kind is voided; every other transaction kind is deleted (JournalEntry cannot be voided).
VOID_PARAMS = {
    "Invoice": {"operation": "void"},
    "Payment": {"operation": "update", "include": "void"},
    "SalesReceipt": {"operation": "update", "include": "void"},
    "BillPayment": {"operation": "update", "include": "void"},
}
PAGE_SIZE = 1000


class QuickBooksClient:
    def __init__(self, connection: QuickBooksConnection, limiter: RateLimiter, policy: RetryPolicy):
        self.connection = connection
        self.limiter = limiter
        self.policy = policy

    @property
    def realm_id(self) -> str:
        return self.connection.realm_id

    # --- the one way calls are made -----------------------------------------------------------------
    def call(self, fn: Callable[[QuickBooksHttp], T], *, idempotent: bool) -> T:
        """Run `fn(qb)` inside the limiter, with classification, token refresh and safe retries."""
        conn = self.connection
        return call_with_retries(
            lambda: fn(conn.qb()),
            classify=lambda exc: classify(exc, status=last_status(), secrets=conn.secrets()),
            limiter=self.limiter, policy=self.policy, idempotent=idempotent, reauth=conn.rejected)

    def _url(self, qb: QuickBooksHttp, path: str) -> str:
        return f"{qb.api_url}/company/{self.realm_id}/{path}"

    # --- writes ---------------------------------------------------------------------------------------
    def create(self, entity: Any, request_id: str | None) -> Remote:
        """POST a new object; with a request_id a repeat is answered with the first answer."""
        name = entity.qbo_object_name
        _check_request_id(request_id, QBO_REQUEST_ID_MAX)
        data = self.call(lambda qb: qb.create_object(name, entity.to_json(), request_id=request_id),
                         idempotent=request_id is not None)
        return to_remote(data[name])

    def update(self, entity: Any, request_id: str | None) -> Remote:
        """POST a full update; the entity carries Id and the SyncToken we last saw (5010 if stale)."""
        name = entity.qbo_object_name
        if not getattr(entity, "Id", None):
            raise ValueError(f"{name} update needs the object's Id and SyncToken")
        _check_request_id(request_id, QBO_REQUEST_ID_MAX)
        data = self.call(lambda qb: qb.update_object(name, entity.to_json(), request_id=request_id),
                         idempotent=request_id is not None)
        return to_remote(data[name])

    def void(self, kind: str, remote_id: str, sync_token: str | None, request_id: str | None) -> Remote:
        params = VOID_PARAMS.get(kind)
        if params is None:
            raise ValueError(f"QuickBooks cannot void a {kind}; delete it instead")
        _check_request_id(request_id, QBO_REQUEST_ID_MAX)
        body = {"Id": remote_id, "SyncToken": sync_token}
        if params.get("include") == "void":
            body["sparse"] = True
        data = self.call(lambda qb: qb.post(self._url(qb, kind.lower()), json.dumps(body), params=dict(params),
                                            request_id=request_id), idempotent=request_id is not None)
        return to_remote(data[kind])

    def delete(self, kind: str, remote_id: str, sync_token: str | None, request_id: str | None) -> Remote:
        _check_request_id(request_id, QBO_REQUEST_ID_MAX)
        body = json.dumps({"Id": remote_id, "SyncToken": sync_token})
        data = self.call(lambda qb: qb.delete_object(kind, body, request_id=request_id),
                         idempotent=request_id is not None)
        return to_remote(data.get(kind) or {"Id": remote_id, "status": "Deleted"})

    def void_or_delete(self, kind: str, remote_id: str, sync_token: str | None,
                       request_id: str | None) -> tuple[str, Remote]:
        """Void where QuickBooks can (Invoice, Payment, SalesReceipt, BillPayment), delete otherwise."""
        if kind in VOID_PARAMS:
            return "voided", self.void(kind, remote_id, sync_token, request_id)
        return "deleted", self.delete(kind, remote_id, sync_token, request_id)

    def batch(self, items: list[BatchItem], request_id: str | None = None) -> list[Remote | TargetError]:
        """Up to 30 operations in one request; one Remote or TargetError per item, in order.

        python-quickbooks sends batches without a requestid; we send one (<= 36 characters) but do not
        rely on it: a batch is not retried after a 5xx/timeout, and its items are found by marker instead."""
        body = batch_body(items)
        _check_request_id(request_id, QBO_BATCH_REQUEST_ID_MAX)
        data = self.call(lambda qb: qb.post(self._url(qb, "batch"), body, request_id=request_id), idempotent=False)
        return batch_results(data, items, self.connection.secrets())

    # --- reads ----------------------------------------------------------------------------------------
    def get(self, kind: str, remote_id: str) -> dict:
        data = self.call(lambda qb: qb.get_single_object(kind, remote_id), idempotent=True)
        return data[kind]

    def query(self, select: str) -> dict:
        """One query statement; the QueryResponse as QuickBooks sent it."""
        data = self.call(lambda qb: qb.query(select), idempotent=True)
        return data.get("QueryResponse", {})

    def query_all(self, kind: str, where: str = "", order_by: str = "Id") -> list[dict]:
        """Every row of `SELECT * FROM kind [WHERE ...]`, page by page."""
        rows: list[dict] = []
        start = 1
        while True:
            clause = f" WHERE {where}" if where else ""
            page = self.query(f"SELECT * FROM {kind}{clause} ORDERBY {order_by} "
                              f"STARTPOSITION {start} MAXRESULTS {PAGE_SIZE}").get(kind, [])
            rows.extend(page)
            if len(page) < PAGE_SIZE:
                return rows
            start += PAGE_SIZE

    def find_by_marker(self, kind: str, *, doc_number: str | None = None, private_note: str | None = None,
                       since: dt.datetime | None = None) -> list[dict]:
        """Live objects carrying our marker: by DocNumber (queryable), or by PrivateNote (not queryable at
        Intuit: objects changed since `since` are read and filtered here). Voided ones are left out."""
        if doc_number:
            rows = self.query_all(kind, f"DocNumber = {quote(doc_number)}")
        elif private_note:
            since = since or dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=7)
            rows = [r for r in self.query_all(kind, f"MetaData.LastUpdatedTime >= {quote(since.isoformat())}")
                    if private_note in (r.get("PrivateNote") or "")]
        else:
            raise ValueError("find_by_marker needs doc_number or private_note")
        return [r for r in rows if not str(r.get("PrivateNote") or "").startswith("Voided")]

    def company_info(self) -> dict:
        data = self.call(lambda qb: qb.get_single_object("CompanyInfo", self.realm_id), idempotent=True)
        return data["CompanyInfo"]

    def preferences(self) -> dict:
        data = self.call(lambda qb: qb.get(self._url(qb, "preferences")), idempotent=True)
        return data["Preferences"]

    def trial_balance(self, start: dt.date, end: dt.date) -> TrialBalance:
        """The TrialBalance report (accrual, home currency), debit-positive per account Id."""
        params = {"start_date": start.isoformat(), "end_date": end.isoformat()}
        return parse_trial_balance(self.call(lambda qb: qb.get_report("TrialBalance", params), idempotent=True))


def quote(value: str) -> str:
    """A string literal for QuickBooks' query language."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _check_request_id(request_id: str | None, limit: int) -> None:
    if request_id is not None and not 0 < len(request_id) <= limit:
        raise ValueError(f"a QuickBooks requestid has 1 to {limit} characters, not {len(request_id)}")


def to_remote(obj: dict) -> Remote:
    token = obj.get("SyncToken")
    return Remote(str(obj.get("Id")), None if token is None else str(token), obj.get("status"), obj)
