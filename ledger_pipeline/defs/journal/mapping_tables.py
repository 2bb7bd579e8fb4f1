"""Load a validated mapping file into the tenant's warehouse as versioned `mapping.*` tables.

A version's rows are never changed by another version, so a line built last month still points at the
exact accounts it used. Two settings are resolved here from what Stripe says about the tenant's account:
`books.currency: account` (connected-account defaults) and `books.payout_schedule: auto`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from ledger_pipeline.defs.journal.mapping_file import Mapping, MappingError, Problem
from ledger_pipeline.defs.journal.mapping_model import (
    ACCOUNT_CURRENCY, BOOKS_ALIAS, PRICE_MATCHERS, PRODUCT_MATCHERS, TAX_RATE_MATCHERS, Ref,
)
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.money import to_minor_units

SQL = "ledger_pipeline.defs.journal"
WILDCARD = "*"


@dataclass(frozen=True)
class LoadedMapping:
    version: str
    file: str
    books_currency: str
    payout_schedule: str
    rows: dict[str, int]          # table -> rows written


def store_mapping(conn: duckdb.DuckDBPyConnection, tenant: str, mapping: Mapping) -> LoadedMapping:
    """Write `mapping` as the tenant's current version (idempotent for an unchanged file)."""
    content = mapping.content
    account_currency, interval = (conn.execute(load_sql(SQL, "mapping_tenant_account")).fetchone()
                                  or (None, None))
    books_currency = content.books.currency.lower()
    if books_currency == ACCOUNT_CURRENCY:
        if not account_currency:
            raise MappingError(mapping.file, [Problem(
                "books.currency", None, "is `account`, but the tenant's Stripe account is not in the warehouse yet",
                "materialize the tenant's Stripe extraction first, or write the books currency (e.g. usd)")])
        books_currency = account_currency.lower()
    schedule = content.books.payout_schedule
    if schedule == "auto":
        schedule = "manual" if interval == "manual" else "automatic"

    version = mapping.version
    rows = _rows(version, content, books_currency)
    now = dt.datetime.now(dt.timezone.utc)
    tracking = content.tracking
    untaxed = content.untaxed_tax_code
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute(load_sql(SQL, "mapping_load"), {"version": version})
        conn.execute(load_sql(SQL, "mapping_forget_version"))
        conn.execute(load_sql(SQL, "mapping_insert_version"), {
            "version": version, "tenant": tenant, "file": mapping.file, "content_hash": mapping.content_hash,
            "books_currency": books_currency, "target": content.books.target, "company": content.books.company,
            "posting_mode": content.books.posting_mode, "payout_schedule": schedule,
            "tracking_dimension": tracking.dimension if tracking else None,
            "tracking_metadata_key": tracking.metadata_key if tracking else None,
            "untaxed_tax_code_ref": untaxed.ref if untaxed else None,
            "untaxed_tax_code_name": untaxed.name if untaxed else None,
            "opening_balance_as_of": content.opening_balance.as_of if content.opening_balance else None,
            "content": json.dumps(content.model_dump(mode="json"), ensure_ascii=False, sort_keys=True),
            "loaded_at": now})
        for table, values in rows.items():
            if values:
                conn.executemany(load_sql(SQL, f"mapping_insert_{table}"), values)
        conn.execute(load_sql(SQL, "mapping_set_current"), {"tenant": tenant, "version": version, "loaded_at": now})
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return LoadedMapping(version=version, file=mapping.file, books_currency=books_currency,
                         payout_schedule=schedule, rows={table: len(values) for table, values in rows.items()})


def _rows(version: str, content: Any, books_currency: str) -> dict[str, list[tuple]]:
    accounts: list[tuple] = []

    def account(role: str, key: str, ref: Ref, path: str) -> None:
        accounts.append((version, role, key, ref.ref, ref.name, path))

    for role in ("clearing", "bank"):
        given: dict[str, Ref] = getattr(content.accounts, role)
        for key, ref in given.items():
            if key != BOOKS_ALIAS:
                account(role, key, ref, f"accounts.{role}.{key}")
        # `books` stands for the books currency unless that currency has its own key
        if BOOKS_ALIAS in given and books_currency not in given:
            account(role, books_currency, given[BOOKS_ALIAS], f"accounts.{role}.{BOOKS_ALIAS}")
    for name in type(content.accounts).model_fields:
        value = getattr(content.accounts, name)
        if isinstance(value, Ref):
            account(name, "", value, f"accounts.{name}")
    for section, role in (("fees", "fee"), ("stripe_fees", "stripe_fee"), ("categories", "category")):
        for key, ref in getattr(content, section).items():
            account(role, key, ref, f"{section}.{key}")

    products: list[tuple] = []
    for section, rules, matchers, first_rank in (("prices", content.prices, PRICE_MATCHERS, 1),
                                                 ("products", content.products, PRODUCT_MATCHERS, 3)):
        for n, rule in enumerate(rules):
            match_on = next(m for m in matchers if getattr(rule, m) is not None)
            value = getattr(rule, match_on)
            rank = 5 if value == WILDCARD else first_rank + matchers.index(match_on)
            products.append((version, rank, match_on, value, rule.account.ref, rule.account.name,
                             rule.item.ref if rule.item else None, rule.item.name if rule.item else None,
                             f"{section}[{n}]"))

    tax_rates: list[tuple] = []
    for n, rule in enumerate(content.tax_rates):
        match_on = next(m for m in TAX_RATE_MATCHERS if getattr(rule, m) is not None)
        value = getattr(rule, match_on)
        rank = 5 if value == WILDCARD else 1 + TAX_RATE_MATCHERS.index(match_on)
        tax_rates.append((version, rank, match_on, value, rule.account.ref if rule.account else None,
                          rule.account.name if rule.account else None,
                          rule.tax_code.ref if rule.tax_code else None,
                          rule.tax_code.name if rule.tax_code else None, f"tax_rates[{n}]"))

    tracking: list[tuple] = []
    if content.tracking is not None:
        for value, ref in content.tracking.values.items():
            tracking.append((version, value, ref.ref, ref.name, f"tracking.values.{value}"))
        if content.tracking.default is not None:
            ref = content.tracking.default
            tracking.append((version, None, ref.ref, ref.name, "tracking.default"))

    rates: list[tuple] = []
    for currency, by_period in content.exchange_rates.items():
        for period, rate in by_period.items():
            month = None if period == "default" else dt.date.fromisoformat(f"{period}-01")
            rates.append((version, currency, month, Decimal(str(rate).strip()),
                          f"exchange_rates.{currency}.{period}"))

    openings: list[tuple] = []
    if content.opening_balance is not None:
        for currency, amount in content.opening_balance.balances.items():
            openings.append((version, currency, to_minor_units(Decimal(str(amount).strip()), currency),
                             f"opening_balance.balances.{currency}"))

    return {"accounts": accounts, "products": products, "tax_rates": tax_rates, "tracking": tracking,
            "exchange_rates": rates, "opening_balances": openings}
