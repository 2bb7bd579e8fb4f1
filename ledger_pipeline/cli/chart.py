"""A company's chart of accounts, read through our clients, in one shape for QuickBooks and Xero.

`ref` is what a mapping file names: the QuickBooks Account Id, the Xero account code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger_pipeline.defs.quickbooks.readiness import ROLE_TYPES as QUICKBOOKS_ROLE_TYPES
from ledger_pipeline.targets.xero.roles import ROLE_TYPES as XERO_ROLE_TYPES

ROLE_TYPES = {"quickbooks": QUICKBOOKS_ROLE_TYPES, "xero": XERO_ROLE_TYPES}


@dataclass(frozen=True)
class ChartAccount:
    ref: str                         # "" for a Xero account without a code: a mapping cannot name it
    name: str
    type: str                        # QuickBooks AccountType / Xero Type
    currency: str
    active: bool
    number: str = ""                 # QuickBooks account number
    takes_payments: bool | None = None  # Xero: a bank account, or "Enable payments to this account"


@dataclass(frozen=True)
class Chart:
    target: str
    company: str
    company_name: str
    home_currency: str               # upper case
    accounts: list[ChartAccount]

    def by_ref(self) -> dict[str, ChartAccount]:
        return {a.ref: a for a in self.accounts if a.ref}


def read_chart(target: str, company: str, client: Any) -> Chart:
    if target == "quickbooks":
        info, prefs = client.company_info(), client.preferences()
        home = ((prefs.get("CurrencyPrefs") or {}).get("HomeCurrency") or {}).get("value") or "USD"
        rows = client.query_all("Account", "Active IN (true, false)")
        accounts = [ChartAccount(str(r["Id"]), str(r.get("FullyQualifiedName") or r.get("Name") or ""),
                                 str(r.get("AccountType") or ""),
                                 str((r.get("CurrencyRef") or {}).get("value") or home), bool(r.get("Active", True)),
                                 number=str(r.get("AcctNum") or "")) for r in rows]
        accounts.sort(key=lambda a: (len(a.ref), a.ref))  # Ids are numbers written as text: 2 before 10
        return Chart(target, company, str(info.get("CompanyName") or ""), home.upper(), accounts)
    organisation = client.organisation()
    home = _text(getattr(organisation, "base_currency", None)) or ""
    accounts = []
    for account in client.accounts():
        kind = _text(account.type) or ""
        accounts.append(ChartAccount(
            str(account.code or ""), str(account.name or ""), kind, _text(account.currency_code) or home,
            _text(account.status) == "ACTIVE",
            takes_payments=kind == "BANK" or bool(account.enable_payments_to_account)))
    return Chart(target, company, str(organisation.name or ""), home.upper(), accounts)


def chart_table(chart: Chart) -> str:
    """The chart as a table a person reads: ref first (what the mapping takes), then what it is."""
    if chart.target == "quickbooks":
        head = ("Id", "Number", "Name", "Type", "Currency", "Active")
        rows = [(a.ref, a.number, a.name, a.type, a.currency, _yes(a.active)) for a in chart.accounts]
    else:
        head = ("Code", "Name", "Type", "Currency", "Active", "Payments")
        rows = [(a.ref or "(no code)", a.name, a.type, a.currency, _yes(a.active), _yes(bool(a.takes_payments)))
                for a in chart.accounts]
    widths = [max(len(str(cell)) for cell in column) for column in zip(head, *rows)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in (head, tuple("-" * w for w in widths), *rows)]
    return "\n".join(lines)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _text(value: object) -> str | None:
    """xero-python hands enums; the table wants their values."""
    return None if value is None else str(getattr(value, "value", value))
