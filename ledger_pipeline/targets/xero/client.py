"""Our thin Xero client: xero-python underneath, the shared limiter, retries and daily budget on top.

Every call takes a slot from the tenant's limiter (60/min, 5 in flight, 5,000/day at Xero), waits out a
429's Retry-After (never urllib3's hidden sleeps), stops at the daily limit or our own reserve
(`min_calls_left`), refreshes the token once on a 401, and retries 5xx/timeouts only when idempotent: a
read, or a write carrying an Idempotency-Key (at most 128 characters; Xero answers a repeated key with
the first answer).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from xero_python.accounting import AccountingApi
from xero_python.accounting import models as xero_models

from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.keys import XERO_IDEMPOTENCY_KEY_MAX
from ledger_pipeline.posting.limiter import RateLimiter
from ledger_pipeline.posting.records import Remote
from ledger_pipeline.posting.redact import scrub
from ledger_pipeline.posting.retry import RetryPolicy, call_with_retries
from ledger_pipeline.posting.trial_balance import TrialBalance
from ledger_pipeline.targets.xero.connection import XeroConnection
from ledger_pipeline.targets.xero.errors import TARGET, classify
from ledger_pipeline.targets.xero.kinds import Kind, kind_of, status_of
from ledger_pipeline.targets.xero.reports import parse_trial_balance

T = TypeVar("T")
MAX_BATCH = 50  # Xero recommends bundles of up to 50 elements
_DELETE = {"Payments": ("delete_payment", xero_models.PaymentDelete),
           "BankTransfers": ("delete_bank_transfer", xero_models.BankTransferDeleteByUrlParam)}
PAGE_SIZE = 100  # objects per page of a list call (Xero's default page)


class XeroClient:
    def __init__(self, connection: XeroConnection, limiter: RateLimiter, policy: RetryPolicy):
        self.connection = connection
        self.limiter = limiter
        self.policy = policy
        connection.api_client.observer = self._observe

    @property
    def tenant_id(self) -> str:
        return self.connection.tenant_id

    def calls_left_today(self) -> int:
        """Calls left in the tenant's daily budget: the last X-DayLimit-Remaining less the calls since."""
        left = self.limiter.calls_left_today()
        return 0 if left is None else left

    def _observe(self, headers: dict[str, str]) -> None:
        remaining = headers.get("x-daylimit-remaining")
        if remaining is not None and remaining.strip().lstrip("-").isdigit():
            self.limiter.observe_day_remaining(int(remaining))

    # --- the one way calls are made -----------------------------------------------------------------
    def call(self, fn: Callable[[AccountingApi], T], *, idempotent: bool) -> T:
        conn = self.connection
        return call_with_retries(lambda: fn(conn.accounting),
                                 classify=lambda exc: classify(exc, secrets=conn.secrets()),
                                 limiter=self.limiter, policy=self.policy, idempotent=idempotent,
                                 reauth=conn.rejected)

    def _api(self, method: str, *args: Any, idempotent: bool, **kwargs: Any) -> Any:
        timeout = self.connection.request_timeout
        return self.call(lambda acc: getattr(acc, method)(self.tenant_id, *args, _request_timeout=timeout, **kwargs),
                         idempotent=idempotent)

    # --- writes ---------------------------------------------------------------------------------------
    def put_many(self, kind: str, objects: Sequence[Any], idempotency_key: str | None,
                 summarize_errors: bool = False) -> list[Remote | TargetError]:
        """Create up to 50 objects (PUT). With summarize_errors=False Xero keeps the good ones and answers
        each refused one with its ValidationErrors: one Remote or TargetError per object, in order."""
        spec = kind_of(kind)
        return self._write(spec, spec.create, objects, idempotency_key, summarize_errors)

    def post_many(self, kind: str, objects: Sequence[Any], idempotency_key: str | None,
                  summarize_errors: bool = False) -> list[Remote | TargetError]:
        """Create or update up to 50 objects (POST): those carrying their id are updated."""
        spec = kind_of(kind)
        if spec.upsert is None:
            raise ValueError(f"Xero cannot update {kind} in place")
        return self._write(spec, spec.upsert, objects, idempotency_key, summarize_errors)

    def _write(self, spec: Kind, method: str, objects: Sequence[Any], key: str | None,
               summarize_errors: bool) -> list[Remote | TargetError]:
        if not 1 <= len(objects) <= MAX_BATCH:
            raise ValueError(f"a Xero batch takes 1 to {MAX_BATCH} objects, not {len(objects)}")
        _check_key(key)
        wrapper = getattr(xero_models, spec.collection)(**{spec.attr: list(objects)})
        extra: dict[str, Any] = {"idempotency_key": key} if key else {}
        if spec.summarizes:
            extra["summarize_errors"] = summarize_errors
        data = self._api(method, wrapper, idempotent=key is not None, **extra)
        answers = list(getattr(data, spec.attr) or [])
        if len(answers) != len(objects):
            raise TargetError(TARGET, ErrorKind.TRANSIENT,
                              f"Xero answered {len(answers)} {spec.collection} for {len(objects)} sent")
        return [self._item(spec, answer) for answer in answers]

    def _item(self, spec: Kind, obj: Any) -> Remote | TargetError:
        secrets = self.connection.secrets()
        messages = [scrub(e.message, secrets) for e in (getattr(obj, "validation_errors", None) or []) if e.message]
        if messages or getattr(obj, "status_attribute_string", None) == "ERROR":
            return TargetError(TARGET, ErrorKind.INVALID, "; ".join(messages) or "Xero refused this element",
                               code="validation", details=messages)
        return Remote(str(getattr(obj, spec.id_attr)), None, status_of(obj, spec), obj)

    def void(self, kind: str, remote_id: str, idempotency_key: str | None) -> Remote:
        """Void (posted), delete (draft, payment, bank transaction) or archive (contact) one object.
        An object already void answers as it is (a re-run after a crash)."""
        spec = kind_of(kind)
        _check_key(idempotency_key)
        current = self.get(kind, remote_id)
        status = status_of(current, spec)
        if status in spec.dead:
            return Remote(remote_id, None, status, current)
        new_status = spec.void_to(status)
        if spec.collection in _DELETE:  # their own delete operations, with a body of their own
            method, model = _DELETE[spec.collection]
            extra = {"idempotency_key": idempotency_key} if idempotency_key else {}
            data = self._api(method, remote_id, model(status=new_status), idempotent=idempotency_key is not None,
                             **extra)
        else:
            body = {spec.collection: [{spec.id_field: remote_id, spec.status_field: new_status}]}
            data = self.call(lambda acc: self._post_raw(acc, spec, remote_id, body, idempotency_key),
                             idempotent=idempotency_key is not None)
        answer = self._item(spec, (getattr(data, spec.attr) or [None])[0])
        if isinstance(answer, TargetError):
            raise answer
        return answer

    def allocate_credit_note(self, credit_note_id: str, allocation: Any, idempotency_key: str | None) -> None:
        """Allocate a credit note to the invoice it credits (PUT /CreditNotes/{id}/Allocations)."""
        _check_key(idempotency_key)
        extra = {"idempotency_key": idempotency_key} if idempotency_key else {}
        self._api("create_credit_note_allocation", credit_note_id,
                  xero_models.Allocations(allocations=[allocation]), idempotent=idempotency_key is not None, **extra)

    def _post_raw(self, acc: AccountingApi, spec: Kind, remote_id: str, body: dict, key: str | None) -> Any:
        """POST /{Collection}/{id} with a minimal body through xero-python's ApiClient (its auth, its parsing):
        a status change only, without building a whole model (ManualJournal insists on a Narration)."""
        headers = {"xero-tenant-id": self.tenant_id, "Accept": "application/json", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        return acc.api_client.call_api(
            acc.get_resource_url(f"/{spec.collection}/{remote_id}"), "POST", {}, [], headers, body=body,
            post_params=[], files={}, response_type=spec.collection, response_model_finder=acc.get_model_finder(),
            auth_settings=["OAuth2"], _return_http_data_only=True, _preload_content=True,
            _request_timeout=self.connection.request_timeout, collection_formats={})

    # --- reads ----------------------------------------------------------------------------------------
    def get(self, kind: str, remote_id: str) -> Any:
        spec = kind_of(kind)
        data = self._api(spec.get_one, remote_id, idempotent=True)
        found = getattr(data, spec.attr) or []
        if not found:
            raise TargetError(TARGET, ErrorKind.NOT_FOUND, f"Xero has no {kind} {remote_id}", code="404")
        return found[0]

    def find_by_reference(self, kind: str, marker: str) -> list[Any]:
        """Live objects carrying our marker (Reference ==, ContactNumber ==, Narration contains)."""
        spec = kind_of(kind)
        literal = '"' + marker.replace("\\", "\\\\").replace('"', '\\"') + '"'
        where = (f"{spec.marker_field}=={literal}" if spec.marker_exact
                 else f"{spec.marker_field}.Contains({literal})")
        data = self._api(spec.get_many, where=where, idempotent=True)
        return [o for o in getattr(data, spec.attr) or [] if status_of(o, spec) not in spec.dead]

    def list_where(self, kind: str, where: str) -> list[Any]:
        """Every object of `kind` matching `where`, dead ones included, one page (one call) at a time."""
        spec = kind_of(kind)
        if "page" not in inspect.signature(getattr(AccountingApi, spec.get_many)).parameters:
            return list(getattr(self._api(spec.get_many, where=where, idempotent=True), spec.attr) or [])
        found: list[Any] = []
        page = 1
        while True:
            data = self._api(spec.get_many, where=where, page=page, page_size=PAGE_SIZE, idempotent=True)
            rows = list(getattr(data, spec.attr) or [])
            found += rows
            if len(rows) < PAGE_SIZE:
                return found
            page += 1

    def trial_balance(self, on: dt.date) -> TrialBalance:
        return parse_trial_balance(self._api("get_report_trial_balance", date=on, idempotent=True), on)

    def connections(self) -> list[Any]:
        """The organisations the token reaches (Identity API /connections)."""
        timeout = self.connection.request_timeout
        return list(self.call(lambda acc: self.connection.identity.get_connections(_request_timeout=timeout),
                              idempotent=True) or [])

    def organisation(self) -> Any:
        return self._api("get_organisations", idempotent=True).organisations[0]

    def accounts(self) -> list[Any]:
        return list(self._api("get_accounts", idempotent=True).accounts or [])

    def currencies(self) -> list[Any]:
        return list(self._api("get_currencies", idempotent=True).currencies or [])

    def tax_rates(self) -> list[Any]:
        return list(self._api("get_tax_rates", idempotent=True).tax_rates or [])

    def tracking_categories(self) -> list[Any]:
        return list(self._api("get_tracking_categories", idempotent=True).tracking_categories or [])


def _check_key(key: str | None) -> None:
    if key is not None and not 0 < len(key) <= XERO_IDEMPOTENCY_KEY_MAX:
        raise ValueError(f"a Xero Idempotency-Key has 1 to {XERO_IDEMPOTENCY_KEY_MAX} characters, not {len(key)}")
