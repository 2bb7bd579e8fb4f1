"""`connect xero`: Xero's sign-in (authorization code), then the organisations the consent reached.

xero-python has no helper for the authorization URL, so it is built here as Xero documents it. One
consent can reach several organisations with ONE rotating refresh token, so the tokens are stored for
exactly one of them: two stored copies would spend each other's refresh token.
"""

from __future__ import annotations

import argparse
import sys
import time
from urllib.parse import urlencode

import requests

from ledger_pipeline.cli.books import configured_resource, token_store
from ledger_pipeline.cli.connect import Connected, mapped_books, sign_in
from ledger_pipeline.cli.oauth_callback import SignInError
from ledger_pipeline.config import ProjectConfig, XeroSettings
from ledger_pipeline.targets.xero.connection import from_xero_token
from ledger_pipeline.targets.xero.errors import TARGET

XERO_LOGIN = "https://login.xero.com/identity/connect/authorize"


def authorize_endpoint(settings: XeroSettings) -> str:
    """Xero's login page; a sandbox under `xero.base_url` serves its stand-in at the same path."""
    return f"{settings.base_url}/identity/connect/authorize" if settings.base_url else XERO_LOGIN


def connect(args: argparse.Namespace, config: ProjectConfig) -> Connected:
    resource = configured_resource(config, TARGET)
    scopes = args.scopes or resource.scopes

    def authorization_url(redirect_uri: str, state: str) -> str:
        return authorize_endpoint(config.xero) + "?" + urlencode({
            "response_type": "code", "client_id": resource.client_id, "redirect_uri": redirect_uri,
            "scope": scopes, "state": state})

    answer, redirect_uri = sign_in(args, "Xero", authorization_url)
    token = exchange_code(resource, answer["code"], redirect_uri)
    named = mapped_books(config, args.tenant)
    organisations = connected_organisations(resource, token["access_token"])
    organisation = choose(organisations, args.organisation, named[1] if named and named[0] == TARGET else None)
    store = token_store(resource)
    store.save(TARGET, organisation["tenantId"], from_xero_token(token))
    return Connected(TARGET, organisation["tenantId"], store.path)


def exchange_code(resource, code: str, redirect_uri: str) -> dict:
    """POST /connect/token: the code for an access and refresh token (client authenticated by Basic)."""
    try:
        answer = requests.post(f"{resource.identity_base}/connect/token", timeout=resource.timeout_seconds,
                               data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
                               auth=(resource.client_id, resource.client_secret))
    except requests.RequestException:
        raise SignInError("cannot reach Xero's identity service: run the command again") from None
    if answer.status_code != 200:
        raise SignInError(f"Xero refused the authorization code (HTTP {answer.status_code}, {_reason(answer)}): "
                          "check the app's client id and secret and that the redirect URI is registered in it, "
                          "then run the command again")
    token = answer.json()
    token["expires_at"] = time.time() + float(token.get("expires_in") or 1800)
    if not token.get("refresh_token"):
        raise SignInError("Xero gave no refresh token: the scopes must include offline_access")
    return token


def connected_organisations(resource, access_token: str) -> list[dict]:
    """GET /connections: the organisations this consent reaches."""
    try:
        answer = requests.get(f"{resource.api_base}/connections", timeout=resource.timeout_seconds,
                              headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"})
    except requests.RequestException:
        raise SignInError("cannot reach Xero to list the connected organisations: run the command again") from None
    if answer.status_code != 200:
        raise SignInError(f"Xero refused to list the connected organisations (HTTP {answer.status_code})")
    return [c for c in answer.json() if c.get("tenantType", "ORGANISATION") == "ORGANISATION"]


def choose(organisations: list[dict], wanted: str | None, mapped: str | None = None) -> dict:
    """The organisation named by --organisation (name or tenant id), the only one, the one the tenant's
    mapping already names, or the one picked at the terminal."""
    listing = "\n".join(f"  {o['tenantName']}  (tenant id {o['tenantId']})" for o in organisations)
    if not organisations:
        raise SignInError("the sign-in connected no organisation: run the command again and tick one")
    if wanted:
        for organisation in organisations:
            if wanted.casefold() in (organisation["tenantId"].casefold(), organisation["tenantName"].casefold()):
                return organisation
        raise SignInError(f"--organisation {wanted!r} is not among the organisations connected:\n{listing}")
    if len(organisations) == 1:
        return organisations[0]
    for organisation in organisations:
        if mapped and organisation["tenantId"].casefold() == mapped.casefold():
            return organisation
    if sys.stdin.isatty():
        return _ask(organisations)
    raise SignInError(f"the sign-in connected {len(organisations)} organisations; nothing was stored. Run the "
                      f"command again with --organisation \"<name or tenant id>\", one of:\n{listing}")


def _ask(organisations: list[dict]) -> dict:
    for number, organisation in enumerate(organisations, 1):
        print(f"  {number}. {organisation['tenantName']}  (tenant id {organisation['tenantId']})")
    while True:
        picked = input(f"Store the tokens for which organisation (1-{len(organisations)})? ").strip()
        if picked.isdigit() and 1 <= int(picked) <= len(organisations):
            return organisations[int(picked) - 1]


def _reason(answer: requests.Response) -> str:
    try:
        return str(answer.json().get("error") or "no reason given")
    except ValueError:
        return "no reason given"
