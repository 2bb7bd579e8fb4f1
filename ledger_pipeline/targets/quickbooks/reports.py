"""QuickBooks' TrialBalance report JSON -> TrialBalance (rows of ColData: account {value, id}, Debit, Credit)."""

from __future__ import annotations

import datetime as dt

from ledger_pipeline.posting.trial_balance import TrialBalance, TrialBalanceLine, amount


def parse_trial_balance(report: dict) -> TrialBalance:
    header = report.get("Header") or {}
    end = header.get("EndPeriod")
    lines: list[TrialBalanceLine] = []
    _walk((report.get("Rows") or {}).get("Row") or [], lines)
    return TrialBalance(dt.date.fromisoformat(end) if end else None, header.get("Currency"), tuple(lines))


def _walk(rows: list[dict], out: list[TrialBalanceLine]) -> None:
    for row in rows:
        nested = (row.get("Rows") or {}).get("Row")
        if nested:
            _walk(nested, out)
        cells = row.get("ColData")
        if not cells or len(cells) < 3 or not cells[0].get("id"):
            continue  # section headers and the GrandTotal summary
        out.append(TrialBalanceLine(str(cells[0]["id"]), cells[0].get("value", ""), amount(cells[1].get("value")),
                                    amount(cells[2].get("value"))))
