"""Reading the books back over the API: TrialBalance and GeneralLedger against hand-computed sums."""

from __future__ import annotations

from decimal import Decimal

POSTED = [  # date, lines
    ("2023-12-31", [("3", "Debit", 10.00), ("24", "Credit", 10.00)]),
    ("2024-04-15", [("3", "Debit", 97.10), ("31", "Debit", 2.90), ("20", "Credit", 100.00)]),
    ("2024-05-01", [("1", "Debit", 80.00), ("3", "Credit", 80.00)]),
    ("2024-05-10", [("3", "Debit", 45.55), ("21", "Credit", 45.55)]),
    ("2024-06-15", [("3", "Debit", 1.00), ("20", "Credit", 1.00)]),
]


def post_all(qb, h):
    for n, (date, lines) in enumerate(POSTED):
        h.journal(lines, date=date, doc=f"JE-{n}").save(qb=qb, request_id=f"je-{n}")


def table(report):
    """{account id: (debit, credit)} and the TOTAL row, from a TrialBalance body."""
    rows, total = {}, None
    for row in report["Rows"]["Row"]:
        if "Summary" in row:
            total = tuple(Decimal(c["value"]) for c in row["Summary"]["ColData"][1:])
            continue
        cells = row["ColData"]
        rows[cells[0]["id"]] = tuple(Decimal(c["value"] or "0") for c in cells[1:])
    return rows, total


def test_trial_balance_for_the_year_to_date(qb, h):
    post_all(qb, h)
    report = qb.get_report("TrialBalance", {"start_date": "2024-01-01", "end_date": "2024-05-31"})
    assert report["Header"]["ReportName"] == "TrialBalance"
    assert (report["Header"]["StartPeriod"], report["Header"]["EndPeriod"]) == ("2024-01-01", "2024-05-31")
    assert [c["ColTitle"] for c in report["Columns"]["Column"]] == ["", "Debit", "Credit"]
    rows, total = table(report)
    assert rows == {
        "1": (Decimal("80.00"), 0),                    # Checking
        "3": (Decimal("72.65"), 0),                    # Stripe Clearing: 10 + 97.10 - 80 + 45.55
        "15": (0, Decimal("10.00")),                   # Retained Earnings: last year's income
        "20": (0, Decimal("100.00")),                  # Sales of Product Income (June is after the end)
        "21": (0, Decimal("45.55")),                   # Services
        "31": (Decimal("2.90"), 0),                    # Stripe Fees
    }
    assert total == (Decimal("155.55"), Decimal("155.55"))
    names = [r["ColData"][0]["value"] for r in report["Rows"]["Row"] if "ColData" in r]
    assert names[0] == "Checking" and names[-1] == "Stripe Fees"  # balance sheet first, by type


def test_trial_balance_for_one_month_rolls_earlier_income_into_retained_earnings(qb, h):
    post_all(qb, h)
    rows, total = table(qb.get_report("TrialBalance", {"start_date": "2024-05-01", "end_date": "2024-05-31"}))
    assert rows == {"1": (Decimal("80.00"), 0), "3": (Decimal("72.65"), 0), "21": (0, Decimal("45.55")),
                    "15": (0, Decimal("107.10"))}
    assert total[0] == total[1] == Decimal("152.65")


def test_general_ledger(qb, h):
    post_all(qb, h)
    report = qb.get_report("GeneralLedger", {"start_date": "2024-05-01", "end_date": "2024-05-31",
                                             "account": "3"})
    [section] = report["Rows"]["Row"]
    assert section["Header"]["ColData"][0] == {"value": "Stripe Clearing", "id": "3"}
    rows = section["Rows"]["Row"]
    assert rows[0]["ColData"][1]["value"] == "Beginning Balance" and rows[0]["ColData"][7]["value"] == "107.10"
    assert [(r["ColData"][0]["value"], r["ColData"][6]["value"], r["ColData"][7]["value"]) for r in rows[1:]] == [
        ("2024-05-01", "-80.00", "27.10"), ("2024-05-10", "45.55", "72.65")]
    assert rows[1]["ColData"][5]["value"] == "Checking" and rows[1]["ColData"][2]["value"] == "JE-2"
    assert section["Summary"]["ColData"][6]["value"] == "-34.45"
    everything = qb.get_report("GeneralLedger", {"start_date": "2024-01-01", "end_date": "2024-12-31"})
    debits = sum(Decimal(r["ColData"][8]["value"] or "0") for s in everything["Rows"]["Row"]
                 for r in s["Rows"]["Row"][1:])
    credits = sum(Decimal(r["ColData"][9]["value"] or "0") for s in everything["Rows"]["Row"]
                  for r in s["Rows"]["Row"][1:])
    assert debits == credits == Decimal("226.55")


def test_empty_books_report_no_data(qb):
    report = qb.get_report("TrialBalance", {"start_date": "2024-01-01", "end_date": "2024-12-31"})
    assert report["Header"]["Option"] == [{"Name": "NoReportData", "Value": "true"}]
    assert report["Rows"]["Row"][-1]["Summary"]["ColData"][1]["value"] == "0.00"
