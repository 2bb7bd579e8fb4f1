"""/v3/company/{realm}/...: the accounting API, behind auth, throttles, injected faults and requestid replay."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..common import ScriptedFault
from . import batch, errors, operations, query, reports
from .dates import parse_moment, timestamp, today
from .entities import BY_URL
from .errors import QBOFault
from .jsonutil import dec, dumps, loads
from .store import Company

JSON = "application/json;charset=UTF-8"
SYSTEM_FAULT = {"Fault": {"Error": [{"Message": "An application error has occurred while processing your request",
                                     "Detail": "System Failure Error: An unexpected error occurred while "
                                               "accessing or saving your data. Please wait a few minutes and "
                                               "try again.", "code": "10000"}], "type": "SystemFault"}}


def fault_response(fault: QBOFault, now: float, tz: str) -> Response:
    stamp = timestamp(now, tz, millis=True)
    if fault.status == 401:
        # the API gateway's own shape; python-quickbooks raises AuthorizationException without reading it
        error = fault.errors[0]
        body: dict[str, Any] = {"warnings": None, "intuitObject": None,
                                "fault": {"error": [{"message": error.message, "detail": error.detail,
                                                     "code": error.code, "element": None}],
                                          "type": "AUTHENTICATION", "intuitObject": None},
                                "report": None, "queryResponse": None, "batchItemResponse": [],
                                "attachableResponse": [], "syncErrorResponse": None, "requestId": None,
                                "time": stamp, "status": None, "cdcresponse": []}
        headers = {"WWW-Authenticate": 'Bearer realm="Intuit", error="invalid_token"', **fault.headers}
        return Response(dumps(body), status_code=401, media_type=JSON, headers=headers)
    return Response(dumps({"Fault": fault.fault_json(), "time": stamp}), status_code=fault.status,
                    media_type=JSON, headers=fault.headers)


async def injected_response(sandbox: Any, fault: ScriptedFault, now: float, tz: str) -> Response:
    if fault.kind == "timeout":
        await asyncio.sleep(sandbox.faults.timeout_seconds)
        return Response("<html><body><h1>504 Gateway Time-out</h1></body></html>", status_code=504,
                        media_type="text/html", headers=fault.headers)
    if fault.kind == "malformed":
        return Response('{"QueryResponse": {"Customer": [{"Id": "1", "Disp', status_code=200, media_type=JSON,
                        headers=fault.headers)
    if fault.body is not None:
        return Response(fault.body, status_code=fault.status, media_type=JSON, headers=fault.headers)
    if fault.status == 429:
        return sandbox.limits.throttle_response(now, tz)
    if fault.status == 401:
        return fault_response(errors.auth_fault("Token invalid"), now, tz)
    body = {**SYSTEM_FAULT, "time": timestamp(now, tz, millis=True)}
    return Response(dumps(body), status_code=fault.status, media_type=JSON, headers=fault.headers)


def _minor_version(params: Any) -> None:
    """Since August 2025 QBO serves every minor version below 75 as 75; only junk is refused."""
    value = params.get("minorversion")
    if value not in (None, "") and not str(value).isdigit():
        raise errors.fault(2010, "Request has invalid or unsupported property",
                           f"Property Name:minorversion is not a valid minor version ({value!r})", "minorversion")


def _json_body(raw: bytes) -> Any:
    try:
        return loads(raw or b"{}")
    except ValueError as exc:
        raise errors.invalid_property(f"Unrecognized token: the request body is not valid JSON ({exc})") from None


def route(sandbox: Any, company: Company, method: str, rest: str, params: dict[str, str], raw: bytes,
          now: float) -> tuple[dict, bool]:
    """The answer body for one API call, and whether it gets the envelope's `time`."""
    parts = [p for p in rest.split("/") if p]
    head = parts[0].lower() if parts else ""
    if head == "query":
        text = params.get("query", "") if method == "GET" else raw.decode("utf-8", "replace")
        return {"QueryResponse": query.run(company, text)}, True
    if head == "batch" and method == "POST":
        return {"BatchItemResponse": batch.run(company, _json_body(raw), now, sandbox.limits.batch_max_items)}, True
    if head == "reports" and method == "GET" and len(parts) == 2:
        return reports.run(company, parts[1], params, now), False
    if head == "cdc" and method == "GET":
        return change_data_capture(company, params), True
    if head == "exchangerate":
        return {"ExchangeRate": exchange_rate(company, method, params, raw, now)}, True
    if head == "preferences" and method == "GET" and len(parts) == 1:
        return {"Preferences": operations.render(company, "Preferences", company.preferences)}, True
    entity = BY_URL.get(head)
    if entity is None:
        raise errors.unknown_resource("/".join(parts))
    if method == "GET" and len(parts) == 2:
        return {entity: operations.read(company, entity, parts[1])}, True
    if method == "POST" and len(parts) == 1:
        return {entity: operations.write(company, entity, _json_body(raw), params, now)}, True
    raise errors.unsupported(f"{method} /{'/'.join(parts)}", entity)


def change_data_capture(company: Company, params: dict[str, str]) -> dict:
    names = [n.strip() for n in params.get("entities", "").split(",") if n.strip()]
    if not names or not params.get("changedSince"):
        raise errors.required_param("entities" if not names else "changedSince", "cdc")
    try:
        since = parse_moment(params["changedSince"], company.timezone)
    except ValueError:
        raise errors.fault(2040, "Invalid Date", f"changedSince {params['changedSince']!r} is not a date",
                           "changedSince") from None
    answers = []
    for name in names:
        entity = BY_URL.get(name.lower())
        if entity is None:
            raise errors.query_validation_error(f"Entity {name} is not supported by change data capture.")

        def changed(obj: dict) -> bool:
            return parse_moment(obj["MetaData"]["LastUpdatedTime"], company.timezone) >= since

        rows = [operations.render(company, entity, o) for o in company.all(entity) if changed(o)]
        rows += [{"Id": ident, "status": "Deleted", "domain": "QBO", "MetaData": o["MetaData"]}
                 for ident, o in company.deleted[entity].items() if changed(o)]
        answers.append({entity: rows, "startPosition": 1, "maxResults": len(rows)} if rows else {})
    return {"CDCResponse": [{"QueryResponse": answers}]}


def exchange_rate(company: Company, method: str, params: dict[str, str], raw: bytes, now: float) -> dict:
    if not company.multicurrency:
        raise errors.business("Exchange rates need multicurrency to be turned on.", "SourceCurrencyCode")
    if method == "POST":
        body = _json_body(raw)
        code = str(body.get("SourceCurrencyCode", "")).upper()
        rate = dec(body.get("Rate"), None)
        if rate is None or rate <= 0:
            raise errors.required_param("Rate", "ExchangeRate")
        as_of = body.get("AsOfDate") or today(now, company.timezone)
    else:
        code = params.get("sourcecurrencycode", params.get("SourceCurrencyCode", "")).upper()
        as_of = params.get("asofdate") or today(now, company.timezone)
        rate = None
    if code not in company.enabled_currencies() or code == company.home_currency:
        raise errors.invalid_reference("Currency", code or "(none)", "SourceCurrencyCode")
    if rate is not None:
        company.exchange_rates[code] = rate
    return {"SourceCurrencyCode": code, "TargetCurrencyCode": company.home_currency,
            "Rate": company.exchange_rates.get(code), "AsOfDate": as_of, "SyncToken": "0", "domain": "QBO",
            "sparse": False, "MetaData": {"LastUpdatedTime": timestamp(now, company.timezone)}}


def routes(sandbox: Any) -> list[Route]:
    async def api(request: Request) -> Response:
        realm = request.path_params["realm"]
        rest = request.path_params["rest"]
        method = request.method
        now = sandbox.clock.now()
        company = sandbox.companies.get(realm)
        tz = company.timezone if company else "America/Los_Angeles"
        stats = sandbox.stats
        stats.count(realm, "requests")
        try:
            injected = sandbox.faults.draw(method, request.url.path)
            if injected is not None:
                stats.count(realm, "faults_injected")
                response = await injected_response(sandbox, injected, now, tz)
                stats.status(realm, response.status_code)
                return response
            sandbox.oauth.check_bearer(request.headers.get("authorization"), realm)
            if company is None:
                raise errors.forbidden_realm(realm)
            _minor_version(request.query_params)
            response = await _within_limits(sandbox, company, realm, method, rest, request, now, tz)
        except QBOFault as fault:
            response = fault_response(fault, sandbox.clock.now(), tz)
        stats.status(realm, response.status_code)
        return response

    return [Route("/v3/company/{realm}/{rest:path}", api, methods=["GET", "POST"])]


async def _within_limits(sandbox: Any, company: Company, realm: str, method: str, rest: str, request: Request,
                         now: float, tz: str) -> Response:
    """Count the call against the realm's rate windows and in-flight slots; 429 when either is full."""
    broken = sandbox.limits.allow(realm, rest.strip("/").lower() == "batch")
    if broken is None:
        if sandbox.limits.concurrent.acquire(realm):
            try:
                await sandbox.faults.wait()  # injected latency holds the slot, as a slow request would
                raw = await request.body()
                return _answer(sandbox, company, realm, method, rest, dict(request.query_params), raw)
            finally:
                sandbox.limits.concurrent.release(realm)
        broken = "max_concurrent"
    sandbox.stats.count(realm, "throttled")
    sandbox.stats.count(realm, f"throttled_{broken}")
    return sandbox.limits.throttle_response(now, tz)


def _answer(sandbox: Any, company: Company, realm: str, method: str, rest: str, params: dict[str, str],
            raw: bytes) -> Response:
    """Run the call under the company lock; a repeated requestid gets the first answer back."""
    request_id = params.get("requestid") if method == "POST" else None
    with company.lock:
        if request_id and request_id in company.request_ids:
            sandbox.stats.count(realm, "replayed")
            cached = company.request_ids[request_id]
            return Response(cached["body"], status_code=cached["status"], media_type=JSON)
        now = sandbox.clock.now()
        try:
            payload, envelope = route(sandbox, company, method, rest, params, raw, now)
        except QBOFault as fault:
            if fault.status < 500 and fault.status not in (401, 429):
                sandbox.stats.count(realm, "faults")
            raise
        if envelope:
            payload["time"] = timestamp(now, company.timezone, millis=True)
        body = dumps(payload)
        if request_id:
            company.request_ids[request_id] = {"status": 200, "body": body}
        return Response(body, status_code=200, media_type=JSON)
