"""HTTP face of the identity service: /connect/authorize, /connect/token, /connect/revocation, /connections."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .identity import OAuthError
from .validation import XeroError

if TYPE_CHECKING:
    from .sandbox import XeroSandbox


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization") or ""
    if not header.lower().startswith("basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client")
    return client_id, secret


async def _form(request: Request) -> dict[str, str]:
    """The url-encoded form, parsed here so the sandbox needs no python-multipart."""
    raw = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(raw, keep_blank_values=True))


def _oauth_error(error: OAuthError) -> JSONResponse:
    return JSONResponse({"error": error.error}, status_code=error.status)


def _fault(sandbox: "XeroSandbox", request: Request) -> Response | None:
    fault = sandbox.faults.draw(request.method, request.url.path)
    if fault is None or fault.kind == "malformed":
        return None
    sandbox.stats.count("faults", "identity")
    return Response(fault.body or "", status_code=fault.status if fault.kind == "status" else 504,
                    headers=fault.headers)


def _chosen(sandbox: "XeroSandbox", picked: list[str]) -> list[str]:
    """The organisations consented to: every one, or the picked tenant ids (comma-separated or repeated)."""
    wanted = [t.strip().lower() for value in picked for t in value.split(",") if t.strip()]
    if not wanted:
        return list(sandbox.organisations)
    known = {t.lower(): t for t in sandbox.organisations}
    if any(t not in known for t in wanted):
        raise OAuthError("invalid_request")
    return [known[t] for t in dict.fromkeys(wanted)]


def routes(sandbox: "XeroSandbox"):
    async def authorize(request: Request) -> Response:
        """Auto-consent: the user 'picks' every organisation, or those named by `tenant_id` (a sandbox-only
        parameter standing in for Xero's organisation picker), and is sent straight back with a code."""
        query = request.query_params
        try:
            if query.get("response_type", "code") != "code":
                raise OAuthError("unsupported_response_type")
            code = sandbox.identity.authorize(query.get("client_id", ""), query.get("redirect_uri", ""),
                                              query.get("scope"), _chosen(sandbox, query.getlist("tenant_id")))
        except OAuthError as error:
            return _oauth_error(error)
        sandbox.stats.count("identity", "authorize")
        parts = urlsplit(query["redirect_uri"])
        params = {"code": code, "scope": query.get("scope") or "", "session_state": code[:16]}
        if query.get("state") is not None:
            params["state"] = query["state"]
        sep = "&" if parts.query else ""
        return RedirectResponse(urlunsplit(parts._replace(query=parts.query + sep + urlencode(params))), status_code=302)

    async def token(request: Request) -> Response:
        await sandbox.faults.wait()
        faulted = _fault(sandbox, request)
        if faulted is not None:
            return faulted
        form = await _form(request)
        try:
            answer = sandbox.identity.token(form, _basic(request))
        except OAuthError as error:
            sandbox.stats.count("identity", f"token_error:{error.error}")
            return _oauth_error(error)
        sandbox.stats.count("identity", f"token:{form.get('grant_type')}")
        return JSONResponse(answer, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def revocation(request: Request) -> Response:
        form = await _form(request)
        try:
            sandbox.identity.revoke(form, _basic(request))
        except OAuthError as error:
            return _oauth_error(error)
        sandbox.stats.count("identity", "revocation")
        return Response(status_code=200)

    async def connections(request: Request) -> Response:
        try:
            grant = sandbox.identity.authenticate(request.headers.get("authorization"))
        except XeroError as refusal:
            return JSONResponse(refusal.body(), status_code=refusal.status)
        names = {tid: books.name for tid, books in sandbox.organisations.items()}
        sandbox.stats.count("identity", "connections")
        return JSONResponse(sandbox.identity.connections(grant, names, request.query_params.get("authEventId")))

    async def disconnect(request: Request) -> Response:
        try:
            grant = sandbox.identity.authenticate(request.headers.get("authorization"))
            sandbox.identity.disconnect(grant, request.path_params["id"])
        except XeroError as refusal:
            return JSONResponse(refusal.body(), status_code=refusal.status)
        return Response(status_code=204)

    return [
        Route("/connect/authorize", authorize, methods=["GET"]),
        Route("/identity/connect/authorize", authorize, methods=["GET"]),
        Route("/connect/token", token, methods=["POST"]),
        Route("/connect/revocation", revocation, methods=["POST"]),
        Route("/connections", connections, methods=["GET"]),
        Route("/Connections", connections, methods=["GET"]),
        Route("/connections/{id}", disconnect, methods=["DELETE"]),
        Route("/Connections/{id}", disconnect, methods=["DELETE"]),
    ]
