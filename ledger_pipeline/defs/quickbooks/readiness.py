"""Is the company ready for what this tenant posts? Each finding says what to change: in QuickBooks, or in
the mapping file (file and key).

- connection: the token works (refreshed if needed) and the company's subscription is active;
- accounts: every account the mapping names exists, is active and has a type that fits its role; every
  account the entries use takes their currency (home currency or theirs; A/R and A/P exactly theirs);
- currencies: the books currency of the entries is the home currency, or multicurrency is on and it is in
  the company's currency list;
- lists: the tax codes, classes and items the mapping names exist and are active.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from ledger_pipeline.defs.journal.build import CurrentMapping
from ledger_pipeline.defs.quickbooks.entries import SQL, Entry
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.posting import ErrorKind, Finding, TargetError
from ledger_pipeline.targets.quickbooks import QuickBooksClient
from ledger_pipeline.targets.quickbooks.preflight import ACTIVE_SUBSCRIPTIONS, check_currencies

CONNECTION, ACCOUNTS, CURRENCIES, LISTS = "connection", "accounts", "currencies", "lists"

INCOME = frozenset({"Income", "Other Income"})
EXPENSE = frozenset({"Expense", "Other Expense"})
COGS = frozenset({"Cost of Goods Sold"})
# The account types that fit each mapping role; a role not listed takes any type (transfers, adjustments
# and categories mean different things to different businesses).
ROLE_TYPES: dict[str, frozenset[str]] = {
    "clearing": frozenset({"Bank", "Other Current Asset"}),
    "bank": frozenset({"Bank"}),
    "topups": frozenset({"Bank"}),
    "reserves": frozenset({"Bank", "Other Current Asset"}),
    "receivables": frozenset({"Accounts Receivable"}),
    "tax_payable": frozenset({"Other Current Liability"}),
    "tax_rate": frozenset({"Other Current Liability"}),
    "opening_balance_equity": frozenset({"Equity"}),
    "revenue": INCOME, "platform_fees": INCOME, "product": INCOME,
    "refunds": INCOME | EXPENSE, "discounts": INCOME | EXPENSE,
    "fee": EXPENSE | COGS, "stripe_fee": EXPENSE | COGS, "dispute_fees": EXPENSE | COGS,
    "currency_conversion_fees": EXPENSE | COGS, "disputes": EXPENSE | INCOME | COGS,
    "exchange_gain_loss": EXPENSE | INCOME, "rounding": EXPENSE | INCOME,
}
CONNECTION_ERRORS = frozenset({ErrorKind.TOKEN_EXPIRED, ErrorKind.NOT_CONNECTED, ErrorKind.FORBIDDEN})
EXACT_CURRENCY = frozenset({"Accounts Receivable", "Accounts Payable"})
US_TAX_CODES = frozenset({"TAX", "NON"})  # QuickBooks US: built into every company
LISTS_BY_NAME = {"tax_code": "TaxCode", "class": "Class", "item": "Item"}
LIST_WORDS = {"tax_code": "tax code", "class": "class", "item": "product/service"}


@dataclass
class Readiness:
    company_name: str = ""
    home_currency: str = ""
    country: str = ""
    multicurrency: bool = False
    checked: dict[str, int] = field(default_factory=dict)          # what was looked at, per check
    findings: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))

    @property
    def ready(self) -> bool:
        return not any(self.findings.values())


def assess(client: QuickBooksClient, conn: duckdb.DuckDBPyConnection, mapping: CurrentMapping,
           entries_for: Callable[[str], list[Entry]]) -> Readiness:
    """`entries_for(home_currency)`: the entries about to be posted (their currencies and accounts count)."""
    out = Readiness()
    try:
        info = client.company_info()
        prefs = client.preferences()
    except TargetError as error:
        if error.kind not in CONNECTION_ERRORS:
            raise  # throttled or down: not a finding about the company, the step fails and a re-run retries
        out.findings[CONNECTION].append(Finding("token", client.realm_id, error.message, error.fix))
        return out
    out.checked[CONNECTION] = 1
    out.company_name = info.get("CompanyName", "")
    out.country = info.get("Country", "")
    status = next((nv.get("Value") for nv in info.get("NameValue") or [] if nv.get("Name") == "SubscriptionStatus"),
                  None)
    if status and str(status).upper() not in ACTIVE_SUBSCRIPTIONS:
        out.findings[CONNECTION].append(Finding("company", client.realm_id,
                                                f"the company's subscription status is {status}",
                                                "reactivate the QuickBooks subscription before posting"))
        return out
    currency_prefs = prefs.get("CurrencyPrefs") or {}
    out.home_currency = ((currency_prefs.get("HomeCurrency") or {}).get("value") or "USD").upper()
    out.multicurrency = bool(currency_prefs.get("MultiCurrencyEnabled"))

    entries = entries_for(out.home_currency)
    currencies = sorted({mapping.books_currency.upper()} | {e.books_currency.upper() for e in entries})
    out.checked[CURRENCIES] = len(currencies)
    for finding in check_currencies(client, currencies):
        out.findings[CURRENCIES].append(Finding(
            finding.check, finding.subject, finding.problem,
            f"{finding.fix}; or, in {mapping.file}, name a company that keeps {finding.subject} books at "
            f"`books.company`"))
    _accounts(client, conn, mapping, entries, out)
    _lists(client, conn, mapping, out)
    return out


def _accounts(client: QuickBooksClient, conn: duckdb.DuckDBPyConnection, mapping: CurrentMapping,
              entries: list[Entry], out: Readiness) -> None:
    named = conn.execute(load_sql(SQL, "mapped_accounts"), {"version": mapping.version}).fetchall()
    by_id = {row["Id"]: row for row in client.query_all("Account", "Active IN (true, false)")}
    paths: dict[str, list[str]] = defaultdict(list)
    for _role, _key, ref, _name, path in named:
        paths[ref].append(path)
    out.checked[ACCOUNTS] = len(paths)
    file = mapping.file
    for ref, where in sorted(paths.items()):
        keys = ", ".join(f"`{p}`" for p in where)
        row = by_id.get(ref)
        if row is None:
            out.findings[ACCOUNTS].append(Finding("account", ref, f"QuickBooks has no account with Id {ref}",
                                                  f"in {file}, change {keys} to an account Id of this company "
                                                  f"(Chart of accounts), or create the account in QuickBooks"))
        elif not row.get("Active", True):
            out.findings[ACCOUNTS].append(Finding(
                "account", ref, f"account '{_label(row)}' (Id {ref}) is inactive",
                f"make it active in QuickBooks (Chart of accounts > include inactive > Make active), or in "
                f"{file} map {keys} to another account"))
    for role, _key, ref, _name, path in named:
        row, fits = by_id.get(ref), ROLE_TYPES.get(role)
        if row is None or fits is None or row.get("AccountType") in fits:
            continue
        out.findings[ACCOUNTS].append(Finding(
            "account", ref, f"account '{_label(row)}' (Id {ref}) is of type {row.get('AccountType')}, but "
            f"`{path}` needs {' or '.join(sorted(fits))}",
            f"in {file}, map `{path}` to an account of type {' or '.join(sorted(fits))}, or change the "
            f"account's type in QuickBooks"))
    used: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in entries:
        for line in entry.lines:
            used[(line.account_ref, entry.books_currency.upper())].append(entry.entry_key)
    for (ref, currency), keys in sorted(used.items()):
        row = by_id.get(ref)
        if row is None:
            continue
        own = ((row.get("CurrencyRef") or {}).get("value") or out.home_currency).upper()
        exact = row.get("AccountType") in EXACT_CURRENCY
        if own == currency or (own == out.home_currency and not exact):
            continue
        out.findings[ACCOUNTS].append(Finding(
            "account", ref, f"account '{_label(row)}' (Id {ref}) is in {own}, but {len(keys)} entries post it in "
            f"{currency} (e.g. {keys[0]})",
            f"in {file}, map {currency.lower()} amounts to an account in {currency}"
            + ("" if exact else f" or in {out.home_currency}")))


def _lists(client: QuickBooksClient, conn: duckdb.DuckDBPyConnection, mapping: CurrentMapping,
           out: Readiness) -> None:
    named = conn.execute(load_sql(SQL, "mapped_lists"), {"version": mapping.version}).fetchall()
    out.checked[LISTS] = len({(kind, ref) for kind, ref, _n, _p in named})
    for kind in sorted({row[0] for row in named}):
        rows = {row["Id"]: row for row in client.query_all(LISTS_BY_NAME[kind], "Active IN (true, false)")}
        paths: dict[str, list[str]] = defaultdict(list)
        for list_kind, ref, _name, path in named:
            if list_kind == kind:
                paths[ref].append(path)
        word = LIST_WORDS[kind]
        for ref, where in sorted(paths.items()):
            keys = ", ".join(f"`{p}`" for p in where)
            row = rows.get(ref)
            if row is None and kind == "tax_code" and ref in US_TAX_CODES and out.country in ("US", ""):
                continue
            if row is None:
                out.findings[LISTS].append(Finding(kind, ref, f"QuickBooks has no {word} with Id {ref}",
                                                   f"in {mapping.file}, change {keys} to a {word} Id of this "
                                                   f"company, or set it up in QuickBooks"))
            elif not row.get("Active", True):
                out.findings[LISTS].append(Finding(kind, ref, f"{word} '{_label(row)}' (Id {ref}) is inactive",
                                                   f"reactivate it in QuickBooks, or in {mapping.file} map {keys} "
                                                   f"to another {word}"))


def _label(row: dict) -> str:
    return str(row.get("FullyQualifiedName") or row.get("Name") or row.get("Id"))
