"""`ledger-pipeline connect quickbooks|xero`: connect the app to a company and store its tokens.

The OAuth authorization-code flow with a local callback: print (and open) the sign-in address, take the
answer on http://localhost:<port>/callback (state checked), exchange the code, store the tokens where the
loaders read them, then read the company's name through the same client the loaders use. Secrets come
from the environment variables the configuration names; tokens and secrets are never printed.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Connected:
    target: str
    company: str          # QuickBooks realm id / Xero tenant id: the mapping's books.company
    store: Path           # the token store file
    name: str = ""        # the company's name as the books give it


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("connect", help="connect the app to a QuickBooks company or Xero organisation")
    targets = parser.add_subparsers(dest="target", required=True)
    quickbooks = targets.add_parser("quickbooks", help="sign in to QuickBooks Online and store the company's tokens")
    _common(quickbooks)
    quickbooks.set_defaults(handler=connect_command)
    xero = targets.add_parser("xero", help="sign in to Xero and store the organisation's tokens")
    _common(xero)
    xero.add_argument("--organisation", metavar="NAME_OR_ID",
                      help="the organisation to store tokens for when the sign-in connected several")
    xero.add_argument("--scopes", help="scopes to ask for (default: the ones the pipeline needs)")
    xero.set_defaults(handler=connect_command)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tenant", metavar="KEY", help="the tenant whose mapping should post to this company")
    parser.add_argument("--port", type=int, default=0,
                        help="port of the local callback on 127.0.0.1 (default: a free one); the redirect URI "
                             "registered in the app must match, so give a fixed port for a real app")
    parser.add_argument("--redirect-uri", metavar="URL",
                        help="the redirect URI to send instead of http://localhost:<port>/callback, when the one "
                             "registered forwards to this machine (an https tunnel to the local port)")
    parser.add_argument("--no-browser", action="store_true", help="print the sign-in address, do not open it")
    parser.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                        help="how long to wait for the sign-in (default 300)")


def connect_command(args: argparse.Namespace) -> int:
    from ledger_pipeline.cli.books import SetupError, company_client, company_name, explain
    from ledger_pipeline.cli.oauth_callback import SignInError
    from ledger_pipeline.config import ConfigError, project_config
    from ledger_pipeline.posting.errors import TargetError

    try:
        config = project_config()
        if args.tenant:
            config.tenant(args.tenant)  # a typo fails before the sign-in, not after
        if args.target == "quickbooks":
            from ledger_pipeline.cli.connect_quickbooks import connect
        else:
            from ledger_pipeline.cli.connect_xero import connect
        connected = connect(args, config)
    except (SetupError, SignInError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        # read through the pipeline's own client: proves the stored tokens are where the loaders look
        client = company_client(config, connected.target, connected.company)
        connected = replace(connected, name=company_name(connected.target, client))
    except TargetError as error:
        print(f"error: the tokens are stored in {connected.store}, but reading the company with them failed: "
              f"{explain(error)}", file=sys.stderr)
        return 1
    report(args, config, connected)
    return 0


def sign_in(args: argparse.Namespace, service: str,
            authorization_url: Callable[[str, str], str]) -> tuple[dict[str, str], str]:
    """Run the browser part: `authorization_url(redirect_uri, state)`; answers (callback query, redirect_uri)."""
    from ledger_pipeline.cli.books import SetupError
    from ledger_pipeline.cli.oauth_callback import CallbackServer

    state = secrets.token_urlsafe(24)
    try:
        server = CallbackServer(state, port=args.port)
    except OSError as exc:
        raise SetupError(f"cannot listen on 127.0.0.1:{args.port} ({exc.strerror}): choose another --port") from None
    with server as callback:
        redirect_uri = args.redirect_uri or callback.redirect_uri()
        url = authorization_url(redirect_uri, state)
        print(f"Redirect URI: {redirect_uri}\n  (register exactly this in the {service} app; with a fixed --port it "
              "stays the same between runs)")
        print(f"Sign in to {service} and approve access:\n  {url}", flush=True)
        if not args.no_browser:
            webbrowser.open(url)
        print(f"Waiting for the answer on 127.0.0.1:{callback.port} ...", flush=True)
        return callback.wait(args.timeout), redirect_uri


def report(args: argparse.Namespace, config, connected: Connected) -> None:
    from ledger_pipeline.cli.books import COMPANY_WORDS, TARGET_NAMES

    word = COMPANY_WORDS[connected.target]
    key = "realm id" if connected.target == "quickbooks" else "tenant id"
    print(f"Connected: {TARGET_NAMES[connected.target]} {word} {connected.name!r} ({key} {connected.company}).")
    print(f"Tokens stored in {connected.store} under {connected.target} / {connected.company}.")
    for line in mapping_advice(config, args.tenant, connected.target, connected.company):
        print(line)
    tenant = args.tenant or "<tenant>"
    print(f"Next: ledger-pipeline accounts --tenant {tenant}   then   ledger-pipeline doctor --tenant {tenant}")


def mapping_advice(config, tenant: str | None, target: str, company: str) -> list[str]:
    """What to write in the tenant's mapping so it posts to this company."""
    from ledger_pipeline.cli.books import COMPANY_WORDS
    from ledger_pipeline.config import mappings_directory
    from ledger_pipeline.defs.journal.mapping_asset import shown_path

    books = ["  books:", f"    target: {target}", f'    company: "{company}"']
    if tenant is None:
        return ["In the tenant's mapping file (mappings/<tenant>.yaml) set:", *books]
    own = mappings_directory(config) / f"{tenant}.yaml"
    shown = shown_path(own)
    if not own.exists():
        return [f"{shown} does not exist yet: write a starter from this {target} chart of accounts with",
                f"  ledger-pipeline accounts --tenant {tenant} --target {target} --company {company} --write {shown}"]
    if mapped_books(config, tenant) == (target, company):
        return [f"{shown} already posts to this {COMPANY_WORDS[target]} (books.target and books.company match)."]
    return [f"In {shown} set:", *books]


def mapped_books(config, tenant: str | None) -> tuple[str, str] | None:
    """(target, company) the tenant's own mapping file names, if it has a valid one."""
    from ledger_pipeline.config import mappings_directory
    from ledger_pipeline.defs.journal.mapping_file import MappingError, load_mapping

    own = mappings_directory(config) / f"{tenant}.yaml"
    if tenant is None or not own.exists():
        return None
    try:
        books = load_mapping(own).content.books
    except MappingError:
        return None
    return books.target, books.company
