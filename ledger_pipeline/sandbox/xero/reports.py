"""Reports/TrialBalance, computed from the ledger, in Xero's report JSON.

Columns as Xero's: Account | Debit | Credit | YTD Debit | YTD Credit. Debit/Credit is the month to `date`;
YTD is the balance at `date` for balance-sheet accounts and the financial year to `date` for revenue and
expense accounts, with earlier years' profit folded into Retained Earnings (so the YTD columns balance).
Zero amounts are written as empty cells, as Xero shows them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from .context import Ctx
from .ledger import balances
from .serialize import ZERO, utc
from .store import Books
from .validation import QueryParseError

SECTIONS = (("Revenue", "REVENUE"), ("Expenses", "EXPENSE"), ("Assets", "ASSET"), ("Liabilities", "LIABILITY"),
            ("Equity", "EQUITY"))


def _year_start(books: Books, on: date) -> date:
    """First day of the financial year containing `on`."""
    end_month = int(books.organisation.get("FinancialYearEndMonth") or 12)
    end_day = int(books.organisation.get("FinancialYearEndDay") or 31)
    for year in (on.year, on.year - 1):
        try:
            end = date(year, end_month, end_day)
        except ValueError:  # 29 Feb in a common year
            end = date(year, end_month, 28)
        if end < on:
            return end + timedelta(days=1)
    return date(on.year - 2, 1, 1)


def _cell(amount: Decimal, account_id: str | None) -> dict:
    cell: dict = {"Value": f"{amount:.2f}" if amount else ""}
    if account_id:
        cell["Attributes"] = [{"Value": account_id, "Id": "account"}]
    return cell


def trial_balance(books: Books, on: date, now_ms: int) -> dict:
    fy_start = _year_start(books, on)
    month_start = on.replace(day=1)
    to_date = balances(books, on)
    before_year = balances(books, fy_start - timedelta(days=1))
    month = balances(books, on, month_start)
    retained = books.system_account("RETAINEDEARNINGS")["AccountID"]

    accounts = sorted(books.all("accounts"), key=lambda a: (str(a.get("Code") or "~"), a["Name"]))
    profit_before_year = ZERO
    for account in accounts:
        if account["Class"] in ("REVENUE", "EXPENSE"):
            profit_before_year += before_year.get(account["AccountID"], ZERO)

    rows = [{"RowType": "Header", "Cells": [{"Value": "Account"}, {"Value": "Debit"}, {"Value": "Credit"},
                                            {"Value": "YTD Debit"}, {"Value": "YTD Credit"}]}]
    totals = [ZERO, ZERO, ZERO, ZERO]
    for title, klass in SECTIONS:
        section_rows = []
        for account in accounts:
            if account["Class"] != klass:
                continue
            account_id = account["AccountID"]
            period = month.get(account_id, ZERO)
            ytd = to_date.get(account_id, ZERO)
            if klass in ("REVENUE", "EXPENSE"):
                ytd -= before_year.get(account_id, ZERO)
            if account_id == retained:
                ytd += profit_before_year
            if not period and not ytd:
                continue
            label = f"{account['Name']} ({account['Code']})" if account.get("Code") else account["Name"]
            amounts = [max(period, ZERO), max(-period, ZERO), max(ytd, ZERO), max(-ytd, ZERO)]
            totals = [t + a for t, a in zip(totals, amounts)]
            section_rows.append({"RowType": "Row", "Cells": [{"Value": label, "Attributes": [
                {"Value": account_id, "Id": "account"}]}] + [_cell(a, account_id) for a in amounts]})
        rows.append({"RowType": "Section", "Title": title, "Rows": section_rows})
    rows.append({"RowType": "Section", "Rows": [{"RowType": "SummaryRow", "Cells": [{"Value": "Total"}] + [
        {"Value": f"{t:.2f}"} for t in totals]}]})
    pretty = f"{on.day} {on.strftime('%B %Y')}"
    return {"Reports": [{
        "ReportID": "TrialBalance", "ReportName": "Trial Balance", "ReportType": "TrialBalance",
        "ReportTitles": ["Trial Balance", books.name, f"As at {pretty}"], "ReportDate": pretty,
        "UpdatedDateUTC": utc(now_ms), "Fields": [], "Rows": rows,
    }]}


def get_trial_balance(ctx: Ctx) -> dict:
    raw = ctx.query.get("date")
    try:
        on = date.fromisoformat(raw[:10]) if raw else ctx.today
    except ValueError:
        raise QueryParseError(f"The date '{raw}' is not a valid date")
    return trial_balance(ctx.books, on, ctx.now_ms)


def parse_report(report: dict) -> dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]:
    """Rows of a TrialBalance answer by account label (for tests and demos): (debit, credit, ytd debit, ytd credit)."""
    out = {}
    for section in report["Rows"]:
        for row in section.get("Rows") or []:
            if row["RowType"] != "Row":
                continue
            values = [Decimal(c["Value"]) if c["Value"] else ZERO for c in row["Cells"][1:]]
            out[row["Cells"][0]["Value"]] = tuple(values)
    return out
