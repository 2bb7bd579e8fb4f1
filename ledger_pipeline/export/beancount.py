"""A tenant's journal as a Beancount ledger, so Beancount's own `bean-check` proves it ties out.

One ledger per tenant and posting mode (each mode is a full set of books; together they would count the
same money twice). In it:
  - `open` for every account the mapping names or a line uses, named by beancount_accounts, its ref in
    the metadata;
  - `commodity` for every currency, with its number of decimals;
  - each entry as a transaction on its date: payee the reference, narration the memo, the payout as a
    link, metadata with the entry key, payout, mapping version and content hash, and on each posting the
    Stripe balance transactions behind it (multi-currency amounts: see beancount_text);
  - `balance` assertions with zero tolerance on Stripe Clearing and the bank the morning after each payout
    (Beancount checks a balance at the start of its day), computed from Stripe's staged figures
    (sql/beancount_balances.sql), never from the lines.
With `--from`, what the entries before it left on each account is brought forward in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ledger_pipeline.export import beancount_text as bc
from ledger_pipeline.export.beancount_accounts import ROOTS, account_names, component, root_for
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.warehouse import WarehouseResource

SQL = "ledger_pipeline.export"
SUFFIX = ".beancount"


@dataclass(frozen=True)
class Ledger:
    tenant: str
    mode: str
    books_currency: str
    entries: int
    assertions: int
    text: str


def render_ledgers(conn: duckdb.DuckDBPyConnection, tenant: str, date_from: dt.date | None = None,
                   date_to: dt.date | None = None) -> list[Ledger]:
    """The tenant's ledgers, one per posting mode its journal holds (none when it has no entries)."""
    modes = _query(conn, "beancount_modes", {"tenant": tenant})
    return [_render(conn, tenant, mode, books, date_from, date_to) for mode, books, _ in modes]


def write_ledgers(warehouse: WarehouseResource, tenants: list[str], out: Path, date_from: dt.date | None = None,
                  date_to: dt.date | None = None) -> list[tuple[Ledger, Path]]:
    """Write each tenant's ledgers into the folder `out` (or the file `out`, when only one results)."""
    ledgers: list[Ledger] = []
    for tenant in tenants:
        with warehouse.connect(tenant, read_only=True) as conn:
            ledgers += render_ledgers(conn, tenant, date_from, date_to)
    to_file = out.suffix == SUFFIX
    if to_file and len(ledgers) > 1:
        raise ValueError(f"{len(ledgers)} ledgers to write ({', '.join(f'{x.tenant} {x.mode}' for x in ledgers)}) "
                         f"but --out names one file: give a folder instead")
    written = []
    for ledger in ledgers:
        both_modes = sum(1 for x in ledgers if x.tenant == ledger.tenant) > 1
        name = f"{ledger.tenant}.{ledger.mode}{SUFFIX}" if both_modes else f"{ledger.tenant}{SUFFIX}"
        path = out if to_file else out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ledger.text, encoding="utf-8")
        written.append((ledger, path))
    return written


def _render(conn: duckdb.DuckDBPyConnection, tenant: str, mode: str, books: str, date_from: dt.date | None,
            date_to: dt.date | None) -> Ledger:
    scope = {"tenant": tenant, "mode": mode, "date_from": date_from, "date_to": date_to}
    accounts = _query(conn, "beancount_accounts", scope)
    entries = _query(conn, "beancount_entries", scope)
    lines: dict[str, list[tuple]] = defaultdict(list)
    for row in _query(conn, "beancount_lines", scope):
        lines[row[0]].append(row)
    balances: dict[dt.date, list[tuple]] = defaultdict(list)
    for row in _query(conn, "beancount_balances", scope):
        balances[row[0]].append(row)
    forward = _query(conn, "beancount_brought_forward", scope) if date_from else []

    names = account_names(accounts)

    def account(ref: str) -> str:   # every ref is named above; a new one (tables changing under us) still is valid
        return names.get(ref) or f"{root_for([])}:{component(ref)}"

    width = max((len(n) for n in names.values()), default=20) + 2
    opened_on = date_from or (entries[0][3] if entries else dt.date.today())
    currencies = ({books} | {e[4] for e in entries} | {r[5] for rows in lines.values() for r in rows}
                  | {b[3] for rows in balances.values() for b in rows} | {f[1] for f in forward})

    out = bc.header(tenant, mode, books)
    for currency in sorted(currencies):
        out += bc.commodity(opened_on, currency)
    out.append("")
    for ref, name, roles in sorted(accounts, key=lambda a: (ROOTS.index(names[a[0]].split(":")[0]), names[a[0]])):
        out += bc.open_account(opened_on, names[ref], ref, name, roles)
    if forward:
        out += bc.transaction(date_from, "Brought forward", f"Balances of the entries dated before {date_from}",
                              None, ())
        for ref, currency, books_currency, amount, books_amount in forward:
            out += bc.postings(account(ref), width, amount, books_amount, currency, books_currency)

    pending = sorted(balances)
    for key, kind, document_type, date, _, _, payout_id, counterparty, reference, memo, content_hash, \
            version, source_count in entries:
        while pending and pending[0] <= date:     # the assertions of a day go before its transactions
            out += _assertions(balances[pending.pop(0)], account)
        out += bc.transaction(date, reference, memo, payout_id, (
            ("entry_key", key), ("kind", kind), ("document_type", document_type), ("payout_id", payout_id),
            ("counterparty", counterparty), ("mapping_version", version), ("content_hash", content_hash),
            ("balance_transactions", source_count)))
        for _, line_no, _, ref, description, currency, books_currency, amount, books_amount, sources \
                in lines.get(key, []):
            out += bc.postings(account(ref), width, amount, books_amount, currency, books_currency, (
                ("line", line_no), ("description", description),
                ("stripe_balance_transactions", ",".join(sources))))
    for day in pending:
        out += _assertions(balances[day], account)
    out.append("")
    return Ledger(tenant=tenant, mode=mode, books_currency=books, entries=len(entries),
                  assertions=sum(len(rows) for rows in balances.values()), text="\n".join(out))


def _assertions(rows: list[tuple], account) -> list[str]:
    out = [""]
    for day, role, ref, currency, expected in rows:
        out += bc.balance(day, account(ref), expected, currency, role)
    return out


def _query(conn: duckdb.DuckDBPyConnection, name: str, scope: dict[str, Any]) -> list[tuple]:
    sql = load_sql(SQL, name)
    used = set(re.findall(r"\$([a-z_]+)", sql))
    return conn.execute(sql, {k: v for k, v in scope.items() if k in used}).fetchall()
