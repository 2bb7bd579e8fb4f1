"""What `doctor` checks for one tenant, in the order a fix unblocks the next: the mapping file, the
environment, the stored tokens, then the books themselves through the preflight the pipeline runs
(defs/quickbooks/readiness, defs/xero/readiness).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass

from ledger_pipeline.cli.books import (COMPANY_WORDS, TARGET_NAMES, configured_resource, explain, missing_settings,
                                      token_store)
from ledger_pipeline.config import ProjectConfig, mappings_directory
from ledger_pipeline.defs.journal.mapping_asset import shown_path
from ledger_pipeline.defs.journal.mapping_file import Mapping, MappingError, load_mapping, mapping_path
from ledger_pipeline.posting.errors import TargetError
from ledger_pipeline.posting.token_crypto import TokenCipherError
from ledger_pipeline.warehouse import WarehouseResource


@dataclass(frozen=True)
class Line:
    ok: bool
    text: str


def check_tenant(config: ProjectConfig, tenant: str, warehouse: WarehouseResource) -> list[Line]:
    stripe_env = config.stripe.api_key_env
    lines = [Line(True, f"{stripe_env} is set") if os.environ.get(stripe_env)
             else Line(False, f"{stripe_env} is not set: export the Stripe secret key (sk_live_... or a restricted "
                              f"key) as {stripe_env}")]
    try:
        path = mapping_path(tenant, mappings_directory(config))
        mapping = load_mapping(path, shown_path(path))
    except MappingError as exc:
        return lines + [Line(False, problem.render(exc.file)) for problem in exc.problems]
    books = mapping.content.books
    lines.append(Line(True, f"{mapping.file} is valid: posts to {TARGET_NAMES[books.target]} "
                            f"{COMPANY_WORDS[books.target]} {books.company}"))
    missing = missing_settings(config, books.target)
    if missing:
        return lines + [Line(False, text) for text in missing]
    try:
        resource = configured_resource(config, books.target)
        tokens = _token_lines(tenant, resource, books.target, books.company)
        lines += tokens
        if not all(line.ok for line in tokens):
            return lines
        return lines + _books_lines(tenant, mapping, resource, warehouse)
    except TokenCipherError as exc:
        return lines + [Line(False, str(exc))]
    except TargetError as error:
        return lines + [Line(False, f"could not finish checking the books: {explain(error)}")]


def _token_lines(tenant: str, resource, target: str, company: str) -> list[Line]:
    store = token_store(resource)
    tokens = store.load(target, company)
    word = COMPANY_WORDS[target]
    reconnect = f"run `ledger-pipeline connect {target} --tenant {tenant}` and approve this {word}"
    if tokens is None:
        return [Line(False, f"no {TARGET_NAMES[target]} tokens for {word} {company} in {store.path}: {reconnect}")]
    if tokens.refresh_expires_at is not None and tokens.refresh_expires_at <= time.time():
        return [Line(False, f"the stored connection to {word} {company} expired on "
                            f"{_day(tokens.refresh_expires_at)}: {reconnect}")]
    until = f" (the connection lasts until {_day(tokens.refresh_expires_at)})" if tokens.refresh_expires_at else ""
    return [Line(True, f"tokens for {word} {company} are stored in {store.path}{until}")]


def _books_lines(tenant: str, mapping: Mapping, resource, warehouse: WarehouseResource) -> list[Line]:
    from ledger_pipeline.cli.books import COMPANY_FIELD
    from ledger_pipeline.cli.doctor_books import books_lines

    target, company = mapping.content.books.target, mapping.content.books.company
    client = resource.model_copy(update={COMPANY_FIELD[target]: company}).client()
    return books_lines(tenant, mapping, client, warehouse)


def _day(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date().isoformat()
