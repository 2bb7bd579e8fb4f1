"""Xero's Reports/TrialBalance -> TrialBalance.

Columns: Account | Debit | Credit | YTD Debit | YTD Credit. The month columns are the month to the report
date; YTD is the balance at the date for balance-sheet accounts and the financial year to the date for
revenue and expenses. The lines here use the YTD columns (what the books say at that date).
"""

from __future__ import annotations

import datetime as dt

from ledger_pipeline.posting.trial_balance import TrialBalance, TrialBalanceLine, amount


def parse_trial_balance(reports: object, as_of: dt.date) -> TrialBalance:
    report = reports.reports[0]  # type: ignore[attr-defined]
    lines: list[TrialBalanceLine] = []
    for section in report.rows or []:
        for row in section.rows or []:
            cells = row.cells or []
            account_id = _account_id(cells[0]) if cells else None
            if account_id is None or len(cells) < 5:
                continue  # summary rows carry no account
            lines.append(TrialBalanceLine(account_id, str(cells[0].value or ""), amount(cells[3].value),
                                          amount(cells[4].value)))
    return TrialBalance(as_of, None, tuple(lines))


def _account_id(cell: object) -> str | None:
    for attribute in getattr(cell, "attributes", None) or []:
        if getattr(attribute, "id", None) == "account":
            return str(attribute.value)
    return None
