"""Is the organisation ready for what this tenant posts? Each finding says what to change: in Xero, or in
the mapping file (file and key).

- connection: the token works (refreshed if needed), its connections include this organisation, and the
  organisation is active;
- accounts: every account the mapping names exists, is ACTIVE and has a type that fits its role; payout
  summaries are manual journals, which Xero takes on no bank account ("You can't post a manual journal to a
  bank account in Xero", Xero help) and on no locked system account (accounts receivable and payable, wages
  payable, the currency revaluation accounts): those must be current assets or secondary accounts;
- payments: the accounts that receive payments (the clearing accounts, per-transaction mode) are bank
  accounts or have 'Enable payments to this account' ticked;
- currencies: payout summaries: the books currency is the organisation's base currency (manual journals
  are in it); documents: a books currency other than the base one is enabled (a multicurrency organisation);
- tax and tracking: the tax rates (TaxType) the mapping names exist and are active; so does its tracking
  category (master data adds missing options to it, a category is a setting).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from ledger_pipeline.defs.journal.build import CurrentMapping
from ledger_pipeline.defs.quickbooks.entries import SQL as SHARED_SQL, Entry
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.posting import ErrorKind, Finding, TargetError
from ledger_pipeline.targets.xero import XeroClient
from ledger_pipeline.targets.xero.preflight import check_payment_accounts, check_tax_rates
from ledger_pipeline.targets.xero.roles import ROLE_TYPES

SQL = "ledger_pipeline.defs.xero"
CONNECTION, ACCOUNTS, PAYMENTS, CURRENCIES, TAX_AND_TRACKING = (
    "connection", "accounts", "payments", "currencies", "tax_and_tracking")
CONNECTION_ERRORS = frozenset({ErrorKind.TOKEN_EXPIRED, ErrorKind.NOT_CONNECTED, ErrorKind.FORBIDDEN})
MONEY_ROLES = frozenset({"clearing", "bank", "topups", "reserves"})
# System accounts Xero keeps to itself in manual journals (help.xero.com, "Record movements in system accounts")
LOCKED_IN_JOURNALS = frozenset({"DEBTORS", "CREDITORS", "WAGEPAYABLES", "BANKCURRENCYGAIN", "UNREALISEDCURRENCYGAIN"})


@dataclass
class Readiness:
    organisation_name: str = ""
    base_currency: str = ""
    currencies: list[str] = field(default_factory=list)         # enabled in the organisation
    checked: dict[str, int] = field(default_factory=dict)       # what was looked at, per area
    findings: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))

    @property
    def ready(self) -> bool:
        return not any(self.findings.values())


def _text(value: object) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def assess(client: XeroClient, conn: duckdb.DuckDBPyConnection, mapping: CurrentMapping,
           entries_for: Callable[[str], list[Entry]]) -> Readiness:
    """`entries_for(base_currency)`: the entries about to be posted (their currencies count)."""
    out = Readiness()
    try:
        reached = {str(c.tenant_id).lower() for c in client.connections()}
        if client.tenant_id.lower() not in reached:
            out.findings[CONNECTION].append(Finding(
                "token", client.tenant_id, "the app's connection does not include this organisation",
                f"reconnect the app and pick this organisation in Xero, or in {mapping.file} set `books.company` to "
                "the tenant id of an organisation the app is connected to"))
            return out
        organisation = client.organisation()
    except TargetError as error:
        if error.kind not in CONNECTION_ERRORS:
            raise  # throttled or down: not a finding about the organisation; the step fails and a re-run retries
        out.findings[CONNECTION].append(Finding("token", client.tenant_id, error.message, error.fix))
        return out
    out.checked[CONNECTION] = 1
    out.organisation_name = str(organisation.name or "")
    out.base_currency = _text(organisation.base_currency).upper() or "USD"
    status = _text(organisation.organisation_status)
    if status and status != "ACTIVE":
        out.findings[CONNECTION].append(Finding("company", client.tenant_id, f"the organisation's status is {status}",
                                                "reactivate the Xero subscription before posting"))
        return out
    chart = {a.code: a for a in client.accounts() if a.code}
    named = conn.execute(load_sql(SHARED_SQL, "mapped_accounts"), {"version": mapping.version}).fetchall()
    _accounts(chart, named, mapping, out)
    _payments(chart, named, mapping, out)
    _currencies(client, mapping, entries_for(out.base_currency), out)
    _tax_and_tracking(client, conn, mapping, out)
    return out


def _keys(paths: list[str]) -> str:
    return ", ".join(f"`{p}`" for p in paths)


def _accounts(chart: dict, named: list[tuple], mapping: CurrentMapping, out: Readiness) -> None:
    paths: dict[str, list[str]] = defaultdict(list)
    roles: dict[str, set[str]] = defaultdict(set)
    for role, _key, ref, _name, path in named:
        paths[ref].append(path)
        roles[ref].add(role)
    out.checked[ACCOUNTS] = len(paths)
    journals = mapping.posting_mode == "payout_summary"
    for code, where in sorted(paths.items()):
        keys = _keys(where)
        account = chart.get(code)
        if account is None:
            out.findings[ACCOUNTS].append(Finding(
                "account", code, f"Xero has no account with code {code}",
                f"add it in Xero (Accounting > Chart of accounts), or in {mapping.file} change {keys} to a code of "
                "this organisation"))
            continue
        name = account.name or code
        status, kind = _text(account.status), _text(account.type)
        if status != "ACTIVE":
            out.findings[ACCOUNTS].append(Finding(
                "account", code, f"account '{name}' ({code}) is {status.lower() or 'not active'}",
                f"restore it in Xero (Accounting > Chart of accounts, Archive tab), or in {mapping.file} map {keys} "
                "to an active account"))
        fits = [ROLE_TYPES[role] | ({"CURRENT"} if journals and role in MONEY_ROLES else frozenset())
                for role in roles[code] if role in ROLE_TYPES]
        if any(kind not in types for types in fits):
            needed = sorted(set().union(*fits))
            out.findings[ACCOUNTS].append(Finding(
                "account", code, f"account '{name}' ({code}) is of type {kind}; {keys} needs {' or '.join(needed)}",
                f"in {mapping.file} map {keys} to an account of that type, or change the account's type in Xero"))
        if journals and kind == "BANK":
            out.findings[ACCOUNTS].append(Finding(
                "account", code, f"account '{name}' ({code}) is a bank account, and Xero takes no manual journal on a "
                "bank account (payout summaries are manual journals)",
                f"in {mapping.file} map {keys} to a current-asset account (Stripe's balance on a 'Stripe Clearing' "
                "current asset, payouts through a transfers-in-transit account the bank feed is matched against), "
                "or post per transaction (`books.posting_mode: per_transaction`)"))
        system = _text(account.system_account)
        if journals and system in LOCKED_IN_JOURNALS:
            out.findings[ACCOUNTS].append(Finding(
                "account", code, f"account '{name}' ({code}) is Xero's system account {system}, which takes no "
                "manual journal",
                f"in Xero add a secondary account of the same type (e.g. '{name} 2', Accounting > Chart of "
                f"accounts) and in {mapping.file} map {keys} to it"))


def _payments(chart: dict, named: list[tuple], mapping: CurrentMapping, out: Readiness) -> None:
    if mapping.posting_mode != "per_transaction":
        out.checked[PAYMENTS] = 0  # payout summaries are manual journals: nothing is paid into an account
        return
    paths: dict[str, list[str]] = defaultdict(list)
    for role, _key, ref, _name, path in named:
        if role == "clearing":  # invoices are paid into Stripe's clearing account
            paths[ref].append(path)
    out.checked[PAYMENTS] = len(paths)
    for finding in check_payment_accounts(chart, paths):
        where = _keys(paths[finding.subject])
        out.findings[PAYMENTS].append(Finding(finding.check, finding.subject, finding.problem,
                                              f"{finding.fix} (in {mapping.file}: {where})"))


def _currencies(client: XeroClient, mapping: CurrentMapping, entries: list[Entry], out: Readiness) -> None:
    base = out.base_currency
    books = sorted(({mapping.books_currency.upper()} | {e.books_currency.upper()
                                                        for e in entries}) - {base})
    out.checked[CURRENCIES] = len(books) + 1
    if mapping.posting_mode != "per_transaction":
        for code in books:
            out.findings[CURRENCIES].append(Finding(
                "currency", code, f"the books are kept in {code}, the organisation's base currency is {base}: "
                "payout summaries are manual journals, which Xero keeps in the base currency",
                f"in {mapping.file} set `books.currency: {base.lower()}` (with `exchange_rates` for {code}), or set "
                f"`books.company` to an organisation whose base currency is {code}"))
        return
    if not books:
        return
    out.currencies = sorted(_text(c.code).upper() for c in client.currencies())
    for code in books:
        if code not in out.currencies:
            out.findings[CURRENCIES].append(Finding(
                "currency", code, f"{code} is not enabled in this organisation (the documents are in {code})",
                f"add {code} in Xero (Accounting > Advanced > Currencies; a plan with multicurrency), or in "
                f"{mapping.file} set `books.currency: {base.lower()}` (with `exchange_rates` for {code})"))


def _tax_and_tracking(client: XeroClient, conn: duckdb.DuckDBPyConnection, mapping: CurrentMapping,
                      out: Readiness) -> None:
    lists = conn.execute(load_sql(SHARED_SQL, "mapped_lists"), {"version": mapping.version}).fetchall()
    tax_paths: dict[str, list[str]] = defaultdict(list)
    for kind, ref, _name, path in lists:
        if kind == "tax_code":
            tax_paths[ref].append(path)
    tracking = conn.execute(load_sql(SQL, "mapped_tracking"), {"version": mapping.version}).fetchall()
    out.checked[TAX_AND_TRACKING] = len(tax_paths) + len(tracking)
    for finding in check_tax_rates(client, tax_paths):
        out.findings[TAX_AND_TRACKING].append(Finding(
            finding.check, finding.subject, finding.problem,
            f"add or reactivate it in Xero (Accounting > Advanced > Tax rates), or in {mapping.file} "
            f"change {_keys(tax_paths[finding.subject])} to a tax rate of this organisation"))
    if not tracking:
        return
    categories = {str(c.name or "").casefold(): c for c in client.tracking_categories()}
    category_name = tracking[0][0]
    category = categories.get(category_name.casefold())
    if category is None or _text(category.status) not in ("", "ACTIVE"):
        out.findings[TAX_AND_TRACKING].append(Finding(
            "tracking", category_name, f"Xero has no active tracking category '{category_name}'",
            f"add it in Xero (Accounting > Advanced > Tracking categories), or in {mapping.file} change "
            "`tracking.dimension`"))
