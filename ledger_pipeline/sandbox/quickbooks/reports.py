"""Reports computed from the ledger, in QuickBooks' report JSON (Header, Columns, Rows of ColData).

TrialBalance: balance sheet accounts show their balance at end_date; income and expense accounts show
the activity from start_date to end_date, and their activity before start_date is folded into
Retained Earnings, so the report always balances. Amounts are in home currency, as text with 2 places.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from . import account_types as at
from . import errors
from .dates import timestamp, today
from .jsonutil import money_text
from .store import Company
from .validation import check_date

ZERO = Decimal("0")
TYPE_ORDER = list(at.ACCOUNT_TYPES)


def _period(company: Company, params: dict[str, str], now: float) -> tuple[str, str]:
    end = check_date(params["end_date"], "end_date") if params.get("end_date") else today(now, company.timezone)
    if params.get("start_date"):
        start = check_date(params["start_date"], "start_date")
    else:
        start = dt.date.fromisoformat(end).replace(month=1, day=1).isoformat()
    if start > end:
        raise errors.fault(2040, "Invalid Date", "start_date is after end_date", "start_date")
    return start, end


def _header(company: Company, name: str, start: str, end: str, now: float, empty: bool) -> dict:
    return {"Time": timestamp(now, company.timezone), "ReportName": name, "ReportBasis": "Accrual",
            "StartPeriod": start, "EndPeriod": end, "SummarizeColumnsBy": "Total",
            "Currency": company.home_currency,
            "Option": [{"Name": "NoReportData", "Value": "true" if empty else "false"}]}


def _account_order(account: dict) -> tuple:
    kind = account.get("AccountType")
    return (TYPE_ORDER.index(kind) if kind in TYPE_ORDER else 99, account.get("FullyQualifiedName", ""))


def _accounts(company: Company) -> dict[str, dict]:
    return {a["Id"]: a for a in company.all("Account")}


def trial_balance_amounts(company: Company, start: str, end: str) -> dict[str, Decimal]:
    """Signed home-currency balance per account Id (debit positive), as the TrialBalance shows them."""
    accounts = _accounts(company)
    balances: dict[str, Decimal] = defaultdict(lambda: ZERO)
    earlier_pl = ZERO
    for posting in company.ledger.postings(end=end):
        account = accounts.get(posting.account_id, {})
        if at.is_balance_sheet(account):
            balances[posting.account_id] += posting.home
        elif posting.date >= start:
            balances[posting.account_id] += posting.home
        else:
            earlier_pl += posting.home
    if earlier_pl:
        retained = company.find_account(subtype="RetainedEarnings")
        balances[retained["Id"]] += earlier_pl
    return {k: v for k, v in balances.items() if v}


def trial_balance(company: Company, params: dict[str, str], now: float) -> dict:
    start, end = _period(company, params, now)
    accounts = _accounts(company)
    amounts = trial_balance_amounts(company, start, end)
    rows, debit_total, credit_total = [], ZERO, ZERO
    for account_id in sorted(amounts, key=lambda i: _account_order(accounts.get(i, {}))):
        value = amounts[account_id]
        account = accounts.get(account_id, {"FullyQualifiedName": account_id})
        debit, credit = (value, ZERO) if value > 0 else (ZERO, -value)
        debit_total += debit
        credit_total += credit
        rows.append({"ColData": [
            {"value": account.get("FullyQualifiedName", account.get("Name", "")), "id": account_id},
            {"value": money_text(debit) if debit else ""},
            {"value": money_text(credit) if credit else ""},
        ]})
    rows.append({"Summary": {"ColData": [{"value": "TOTAL"}, {"value": money_text(debit_total)},
                                         {"value": money_text(credit_total)}]},
                 "type": "Section", "group": "GrandTotal"})
    return {
        "Header": _header(company, "TrialBalance", start, end, now, empty=not amounts),
        "Columns": {"Column": [
            {"ColTitle": "", "ColType": "Account", "MetaData": [{"Name": "ColKey", "Value": "account"}]},
            {"ColTitle": "Debit", "ColType": "Money", "MetaData": [{"Name": "ColKey", "Value": "Debit"}]},
            {"ColTitle": "Credit", "ColType": "Money", "MetaData": [{"Name": "ColKey", "Value": "Credit"}]},
        ]},
        "Rows": {"Row": rows},
    }


GL_COLUMNS = [("tx_date", "Date", "Date"), ("txn_type", "Transaction Type", "String"),
              ("doc_num", "Num", "String"), ("name", "Name", "String"), ("memo", "Memo/Description", "String"),
              ("split_acc", "Split", "String"), ("subt_nat_amount", "Amount", "Money"),
              ("rbal_nat_amount", "Balance", "Money"), ("debt_amt", "Debit", "Money"),
              ("credit_amt", "Credit", "Money")]


def general_ledger(company: Company, params: dict[str, str], now: float) -> dict:
    """Per account: opening balance, each posting in the period, closing total.

    Amount and Balance are signed by the account's normal side (a deposit to Checking and a sale credited
    to income both show positive); Debit and Credit columns carry the unsigned sides.
    """
    start, end = _period(company, params, now)
    accounts = _accounts(company)
    wanted = {a.strip() for a in params.get("account", "").split(",") if a.strip()}
    opening: dict[str, Decimal] = defaultdict(lambda: ZERO)
    in_period = defaultdict(list)
    by_txn = defaultdict(set)
    for posting in company.ledger.postings(end=end):
        account = accounts.get(posting.account_id, {})
        if posting.date < start:
            if at.is_balance_sheet(account):
                opening[posting.account_id] += posting.home
            continue
        in_period[posting.account_id].append(posting)
        by_txn[(posting.txn_type, posting.txn_id)].add(posting.account_id)
    sections = []
    ids = set(in_period) | {k for k, v in opening.items() if v}
    for account_id in sorted(ids, key=lambda i: _account_order(accounts.get(i, {}))):
        if wanted and account_id not in wanted:
            continue
        account = accounts.get(account_id, {})
        name = account.get("FullyQualifiedName", account_id)
        sign = 1 if at.is_debit_normal(account) else -1
        running = opening[account_id]
        rows = [{"ColData": [{"value": start}, {"value": "Beginning Balance"}, {"value": ""}, {"value": ""},
                             {"value": ""}, {"value": ""}, {"value": ""},
                             {"value": money_text(sign * running)}, {"value": ""}, {"value": ""}],
                 "type": "Data"}]
        total = ZERO
        for p in sorted(in_period[account_id], key=lambda p: (p.date, p.txn_type, int(p.txn_id)
                                                              if p.txn_id.isdigit() else 0, p.line)):
            running += p.home
            total += p.home
            others = by_txn[(p.txn_type, p.txn_id)] - {account_id}
            split = accounts.get(next(iter(others)), {}).get("FullyQualifiedName", "") if len(others) == 1 \
                else ("-Split-" if others else "")
            rows.append({"ColData": [
                {"value": p.date}, {"value": _txn_label(p.txn_type), "id": p.txn_id}, {"value": p.doc_number},
                {"value": p.name}, {"value": p.memo}, {"value": split},
                {"value": money_text(sign * p.home)}, {"value": money_text(sign * running)},
                {"value": money_text(p.home) if p.home > 0 else ""},
                {"value": money_text(-p.home) if p.home < 0 else ""}], "type": "Data"})
        sections.append({
            "Header": {"ColData": [{"value": name, "id": account_id}] + [{"value": ""}] * 9},
            "Rows": {"Row": rows},
            "Summary": {"ColData": [{"value": f"Total for {name}"}] + [{"value": ""}] * 5 +
                        [{"value": money_text(sign * total)}, {"value": ""}, {"value": ""}, {"value": ""}]},
            "type": "Section"})
    return {
        "Header": _header(company, "GeneralLedger", start, end, now, empty=not sections),
        "Columns": {"Column": [{"ColTitle": title, "ColType": kind, "MetaData": [{"Name": "ColKey", "Value": key}]}
                               for key, title, kind in GL_COLUMNS]},
        "Rows": {"Row": sections},
    }


def _txn_label(txn_type: str) -> str:
    return {"JournalEntry": "Journal Entry", "SalesReceipt": "Sales Receipt", "RefundReceipt": "Refund",
            "CreditMemo": "Credit Memo", "Purchase": "Expense"}.get(txn_type, txn_type)


REPORTS = {"trialbalance": trial_balance, "generalledger": general_ledger}


def run(company: Company, name: str, params: dict[str, str], now: float) -> dict:
    report = REPORTS.get(name.lower())
    if report is None:
        raise errors.unsupported(f"Report {name}", "reports")
    return report(company, params, now)
