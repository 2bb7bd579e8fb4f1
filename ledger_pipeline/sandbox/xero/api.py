"""/api.xro/2.0: the Accounting API's route table and the path every call takes.

Order per call, as Xero's gateway does it: bearer token (401) -> xero-tenant-id (403) -> rate limits
(429) -> injected faults -> request size and JSON (413/400) -> Idempotency-Key replay -> the handler ->
Xero's envelope (`Id`, `Status: "OK"`, `ProviderName`, `DateTimeUTC`). Every answer past the limit check
carries X-MinLimit-Remaining, X-DayLimit-Remaining and X-AppMinLimit-Remaining.
Paths are matched case-insensitively, as Xero does.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from typing import TYPE_CHECKING, Any, Callable

from starlette.requests import Request
from starlette.responses import Response

from . import banking, contacts, journals, payments, reports, settings
from .context import Ctx
from .idempotency import MAX_KEY_LENGTH, Stored, fingerprint
from .invoices import CREDIT_NOTE, INVOICE, get_document, list_documents, post_document, post_documents, put_documents
from .serialize import dumps, loads, ms_timestamp, prune
from .validation import BadRequest, Invalid, NotFound, XeroError

if TYPE_CHECKING:
    from .sandbox import XeroSandbox

log = logging.getLogger(__name__)

ID = r"(?P<id>[^/]+)"
ROUTES: list[tuple[str, str, Callable[[Ctx], Any]]] = [
    ("GET", "/Organisation", settings.get_organisation),
    ("GET", "/Accounts", settings.list_accounts),
    ("PUT", "/Accounts", settings.put_account),
    ("GET", f"/Accounts/{ID}", settings.get_account),
    ("POST", f"/Accounts/{ID}", settings.post_account),
    ("DELETE", f"/Accounts/{ID}", settings.delete_account),
    ("GET", "/TaxRates", settings.list_tax_rates),
    ("PUT", "/TaxRates", settings.write_tax_rates),
    ("POST", "/TaxRates", settings.write_tax_rates),
    ("GET", f"/TaxRates/{ID}", settings.get_tax_rate),
    ("GET", "/TrackingCategories", settings.list_tracking),
    ("PUT", "/TrackingCategories", settings.put_tracking),
    ("GET", f"/TrackingCategories/{ID}", settings.get_tracking),
    ("POST", f"/TrackingCategories/{ID}", settings.post_tracking),
    ("DELETE", f"/TrackingCategories/{ID}", settings.delete_tracking),
    ("PUT", f"/TrackingCategories/{ID}/Options", settings.put_option),
    ("POST", f"/TrackingCategories/{ID}/Options/(?P<option>[^/]+)", settings.post_option),
    ("DELETE", f"/TrackingCategories/{ID}/Options/(?P<option>[^/]+)", settings.delete_option),
    ("GET", "/Currencies", settings.list_currencies),
    ("PUT", "/Currencies", settings.put_currency),
    ("GET", "/Items", settings.list_items),
    ("PUT", "/Items", settings.write_items),
    ("POST", "/Items", settings.write_items),
    ("GET", f"/Items/{ID}", settings.get_item),
    ("POST", f"/Items/{ID}", settings.post_item),
    ("DELETE", f"/Items/{ID}", settings.delete_item),
    ("GET", "/Contacts", contacts.list_contacts),
    ("PUT", "/Contacts", contacts.put_contacts),
    ("POST", "/Contacts", contacts.post_contacts),
    ("GET", f"/Contacts/{ID}", contacts.get_contact),
    ("POST", f"/Contacts/{ID}", contacts.post_contact),
    ("GET", "/Invoices", list_documents(INVOICE)),
    ("PUT", "/Invoices", put_documents(INVOICE)),
    ("POST", "/Invoices", post_documents(INVOICE)),
    ("GET", f"/Invoices/{ID}", get_document(INVOICE)),
    ("POST", f"/Invoices/{ID}", post_document(INVOICE)),
    ("GET", "/CreditNotes", list_documents(CREDIT_NOTE)),
    ("PUT", "/CreditNotes", put_documents(CREDIT_NOTE)),
    ("POST", "/CreditNotes", post_documents(CREDIT_NOTE)),
    ("GET", f"/CreditNotes/{ID}", get_document(CREDIT_NOTE)),
    ("POST", f"/CreditNotes/{ID}", post_document(CREDIT_NOTE)),
    ("PUT", f"/CreditNotes/{ID}/Allocations", payments.put_allocations("credit_notes")),
    ("DELETE", f"/CreditNotes/{ID}/Allocations/(?P<allocation>[^/]+)", payments.delete_allocation("credit_notes")),
    ("GET", "/Payments", payments.list_payments),
    ("PUT", "/Payments", payments.put_payments),
    ("POST", "/Payments", payments.post_payment),
    ("GET", f"/Payments/{ID}", payments.get_payment),
    ("POST", f"/Payments/{ID}", payments.delete_payment),
    ("GET", "/Overpayments", payments.list_overpayments),
    ("GET", f"/Overpayments/{ID}", payments.get_overpayment),
    ("PUT", f"/Overpayments/{ID}/Allocations", payments.put_allocations("overpayments")),
    ("DELETE", f"/Overpayments/{ID}/Allocations/(?P<allocation>[^/]+)", payments.delete_allocation("overpayments")),
    ("GET", "/ManualJournals", journals.list_journals),
    ("PUT", "/ManualJournals", journals.put_journals),
    ("POST", "/ManualJournals", journals.post_journals),
    ("GET", f"/ManualJournals/{ID}", journals.get_journal),
    ("POST", f"/ManualJournals/{ID}", journals.post_journal),
    ("GET", "/BankTransactions", banking.list_transactions),
    ("PUT", "/BankTransactions", banking.put_transactions),
    ("POST", "/BankTransactions", banking.post_transactions),
    ("GET", f"/BankTransactions/{ID}", banking.get_transaction),
    ("POST", f"/BankTransactions/{ID}", banking.post_transaction),
    ("GET", "/BankTransfers", banking.list_transfers),
    ("PUT", "/BankTransfers", banking.put_transfers),
    ("POST", "/BankTransfers", banking.delete_transfers),
    ("GET", f"/BankTransfers/{ID}", banking.get_transfer),
    ("POST", f"/BankTransfers/{ID}", banking.delete_transfer),
    ("GET", "/Reports/TrialBalance", reports.get_trial_balance),
]
_COMPILED = [(method, re.compile(f"^{pattern}/?$", re.IGNORECASE), handler, pattern) for method, pattern, handler in ROUTES]

_FAULT_BODIES = {
    500: {"Title": "An error occurred", "Detail": "An error occurred in Xero. Check the API Status page "
          "http://status.developer.xero.com for current service status.", "Status": 500},
    502: {"Title": "Bad Gateway", "Status": 502},
    503: {"Title": "Service Unavailable", "Detail": "The Xero API is currently offline for maintenance", "Status": 503},
    504: {"Title": "Gateway Timeout", "Status": 504},
}


class MethodNotAllowed(XeroError):
    status = 405

    def body(self) -> dict:
        return {"Title": "Method Not Allowed", "Status": 405}


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """Successful payloads lose their None values (xero-python reads null as "None"); refusals go out as built,
    since Xero's problem details carry `"Type": null`."""
    if isinstance(body, str):
        return Response(body, status_code=status, media_type="text/plain; charset=utf-8", headers=headers)
    return Response(dumps(prune(body) if status < 300 else body), status_code=status,
                    media_type="application/json; charset=utf-8", headers=headers)


def make_endpoint(sandbox: "XeroSandbox"):
    async def endpoint(request: Request) -> Response:
        method = request.method.upper()
        path = "/" + request.path_params.get("path", "").strip("/")
        correlation = {"Xero-Correlation-Id": str(uuid.uuid4())}
        try:
            grant = sandbox.identity.authenticate(request.headers.get("authorization"))
            tenant = sandbox.identity.check_tenant(grant, request.headers.get("xero-tenant-id"),
                                                   set(sandbox.organisations))
        except XeroError as refusal:
            headers = dict(correlation)
            if refusal.status == 401:
                headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            sandbox.stats.call("-", f"{method} {path}", refusal.status)
            return _json(refusal.status, refusal.body(), headers)

        verdict = sandbox.limits.acquire(tenant, grant.client_id)
        if not verdict.allowed:
            sandbox.stats.limited(tenant, verdict.problem or "minute")
            sandbox.stats.call(tenant, f"{method} {path}", 429)
            return _json(429, {"Title": "Too Many Requests", "Status": 429,
                               "Detail": f"Rate limit exceeded ({verdict.problem})"}, {**verdict.headers(), **correlation})
        headers = {**verdict.headers(), **correlation}
        key = request.headers.get("idempotency-key")
        claimed = False
        status = 500
        fault = None
        raw = b""
        try:
            await sandbox.faults.wait()
            fault = sandbox.faults.draw(method, f"/api.xro/2.0{path}")
            if fault is not None and fault.kind in ("status", "timeout"):
                sandbox.stats.count("faults", tenant)
                if fault.kind == "timeout":
                    await asyncio.sleep(sandbox.faults.timeout_seconds)
                    status = 504
                    return _json(504, _FAULT_BODIES[504], headers)
                status = fault.status
                body = fault.body if fault.body is not None else _FAULT_BODIES.get(fault.status, {"Status": fault.status})
                return _json(fault.status, body, {**headers, **fault.headers})

            raw = await request.body()
            if len(raw) > sandbox.max_body_bytes:
                status = 413
                return _json(413, {"Title": "Request Entity Too Large", "Status": 413,
                                   "Detail": f"Requests are limited to {sandbox.max_body_bytes} bytes"}, headers)

            if key is not None and method in ("PUT", "POST", "DELETE"):
                if not key.strip() or len(key) > MAX_KEY_LENGTH:
                    raise Invalid(f"The Idempotency-Key must be between 1 and {MAX_KEY_LENGTH} characters")
                stored = await sandbox.idempotency.claim(tenant, key)
                if stored is not None:
                    sandbox.stats.count("replays", tenant)
                    if stored.fingerprint != fingerprint(method, path, raw):
                        sandbox.stats.count("mismatches", tenant)
                    status = stored.status
                    return Response(stored.body, status_code=stored.status,
                                    headers={**stored.headers, **headers, "Idempotent-Replayed": "true"})
                claimed = True

            handler, params = route(method, path)
            body = None
            if raw.strip() and method in ("PUT", "POST"):
                try:
                    body = loads(raw)
                except (ValueError, UnicodeDecodeError):
                    raise BadRequest("The request body is not valid JSON")
            with sandbox.lock:
                ctx = Ctx(sandbox.organisations[tenant], sandbox.now_ms(), method,
                          {k.lower(): v for k, v in request.query_params.items()}, body, params,
                          {k.lower(): v for k, v in request.headers.items()})
                payload = handler(ctx)
            if payload is None:
                status = 204
                response = Response(status_code=204, headers=headers)
            else:
                envelope = {"Id": str(uuid.uuid4()), "Status": "OK", "ProviderName": sandbox.identity.app_name(
                    grant.client_id), "DateTimeUTC": ms_timestamp(ctx.now_ms)}
                status = 200
                response = _json(200, {**envelope, **payload}, headers)
            if fault is not None and fault.kind == "malformed":
                # The write happened; only the answer is garbled (a retry with the same key gets the real one).
                sandbox.stats.count("faults", tenant)
                _finish(sandbox, tenant, key, claimed, method, path, raw, response)
                claimed = False
                return Response(response.body[: max(len(response.body) // 2, 1)], status_code=200, headers=headers,
                                media_type="application/json; charset=utf-8")
            _finish(sandbox, tenant, key, claimed, method, path, raw, response)
            claimed = False
            return response
        except XeroError as refusal:
            status = refusal.status
            response = _json(refusal.status, refusal.body(), headers)
            _finish(sandbox, tenant, key, claimed, method, path, raw, response)
            claimed = False
            return response
        except Exception:  # a sandbox bug must not look like a Xero refusal
            log.exception("xero sandbox failed on %s %s", method, path)
            status = 500
            return _json(500, {"Title": "Sandbox error", "Status": 500,
                               "Detail": "The Xero sandbox failed; see its log"}, headers)
        finally:
            if claimed:
                sandbox.idempotency.finish(tenant, key, None)
            sandbox.limits.release(tenant)
            sandbox.stats.call(tenant, _operation(method, path), status)

    return endpoint


def route(method: str, path: str) -> tuple[Callable[[Ctx], Any], dict[str, str]]:
    allowed = False
    for verb, pattern, handler, _label in _COMPILED:
        match = pattern.match(path)
        if match:
            if verb == method:
                return handler, match.groupdict()
            allowed = True
    if allowed:
        raise MethodNotAllowed()
    raise NotFound()


def _operation(method: str, path: str) -> str:
    for verb, pattern, _handler, label in _COMPILED:
        if verb == method and pattern.match(path):
            return f"{method} {re.sub(r'[(][^)]*[)]', '{id}', label)}"
    return f"{method} {path}"


def _finish(sandbox: "XeroSandbox", tenant: str, key: str | None, claimed: bool, method: str, path: str, raw: bytes,
            response: Response) -> None:
    if not claimed or key is None:
        return
    keep = {k: v for k, v in response.headers.items() if k.lower() == "content-type"}
    sandbox.idempotency.finish(tenant, key, Stored(fingerprint(method, path, raw), response.status_code,
                                                   bytes(response.body), keep))

