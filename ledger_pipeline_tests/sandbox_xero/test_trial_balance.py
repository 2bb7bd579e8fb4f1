"""Reports/TrialBalance equals sums worked out by hand from what was posted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xero_python.accounting.models import (
    Account, Allocation, Allocations, BankTransaction, BankTransactions, BankTransfer, BankTransfers, Contact,
    CreditNote, CreditNotes, Invoice, Invoices, LineAmountTypes, LineItem, ManualJournal, ManualJournalLine,
    ManualJournals, Payment,
)

D = Decimal


def _invoice(contact, day, amount, account="200", tax="NONE", status="AUTHORISED"):
    return Invoice(type="ACCREC", contact=contact, date=day, due_date=day + dt.timedelta(days=30), status=status,
                   line_amount_types=LineAmountTypes.EXCLUSIVE,
                   line_items=[LineItem(description="Plan", unit_amount=D(amount), account_code=account, tax_type=tax)])


def test_trial_balance_matches_hand_computed_sums(xero):
    api, t = xero.api, xero.tenant
    customer = Contact(name="Soylent Corp")
    a, b, c, d, e = api.create_invoices(t, Invoices(invoices=[
        _invoice(customer, dt.date(2023, 12, 15), "500.00"),                 # last financial year
        _invoice(customer, dt.date(2024, 4, 10), "200.00", tax="OUTPUT"),    # 200 + 16.50 tax
        _invoice(customer, dt.date(2024, 5, 2), "100.00", account="260"),
        _invoice(customer, dt.date(2024, 6, 1), "999.00"),                   # after the report date
        _invoice(customer, dt.date(2024, 5, 10), "40.00"),                   # voided below
    ])).invoices
    assert b.total == D("216.50")
    api.update_invoice(t, e.invoice_id, Invoices(invoices=[Invoice(status="VOIDED")]))
    api.create_invoices(t, Invoices(invoices=[_invoice(customer, dt.date(2024, 5, 11), "55.00", status="DRAFT")]))

    def pay(invoice, day, amount, code):
        api.create_payment(t, Payment(invoice=Invoice(invoice_id=invoice.invoice_id), account=Account(code=code),
                                      date=day, amount=D(amount)))
    pay(a, dt.date(2023, 12, 20), "500.00", "090")
    pay(b, dt.date(2024, 5, 3), "216.50", "091")
    api.create_bank_transactions(t, BankTransactions(bank_transactions=[BankTransaction(
        type="SPEND", contact=Contact(name="Stripe"), bank_account=Account(code="091"), date=dt.date(2024, 5, 4),
        line_amount_types=LineAmountTypes.NOTAX,
        line_items=[LineItem(description="Fees", unit_amount=D("6.60"), account_code="405")])]))
    api.create_manual_journals(t, ManualJournals(manual_journals=[ManualJournal(
        narration="Dispute lost dp_1", date=dt.date(2024, 5, 5), status="POSTED",
        line_amount_types=LineAmountTypes.NOTAX, journal_lines=[
            ManualJournalLine(line_amount=D("15.00"), account_code="406"),  # from the reserve: Xero refuses manual
            ManualJournalLine(line_amount=D("-15.00"), account_code="094")])]))  # journals on bank accounts
    api.create_bank_transfer(t, BankTransfers(bank_transfers=[BankTransfer(
        from_bank_account=Account(code="091"), to_bank_account=Account(code="090"), amount=D("150.00"),
        date=dt.date(2024, 5, 6))]))
    note = api.create_credit_notes(t, CreditNotes(credit_notes=[CreditNote(
        type="ACCRECCREDIT", contact=Contact(contact_id=c.contact.contact_id), date=dt.date(2024, 5, 7),
        status="AUTHORISED", line_amount_types=LineAmountTypes.NOTAX,
        line_items=[LineItem(description="Refund", unit_amount=D("20.00"), account_code="205")])])).credit_notes[0]
    api.create_credit_note_allocation(t, note.credit_note_id, Allocations(allocations=[Allocation(
        invoice=Invoice(invoice_id=c.invoice_id), amount=D("20.00"), date=dt.date(2024, 5, 7))]))

    report = api.get_report_trial_balance(t, date=dt.date(2024, 5, 31)).reports[0]
    assert report.report_name == "Trial Balance" and report.report_date == "31 May 2024"
    assert report.report_titles[1] == "Demo Company (US)"
    header = report.rows[0]
    assert [cell.value for cell in header.cells] == ["Account", "Debit", "Credit", "YTD Debit", "YTD Credit"]

    rows = {}
    sections = {}
    for section in report.rows[1:]:
        for row in section.rows or []:
            values = [D(cell.value) if cell.value else D("0") for cell in row.cells[1:]]
            if row.row_type.value == "SummaryRow":
                total = values
            else:
                rows[row.cells[0].value] = values
                sections[row.cells[0].value] = section.title

    # By hand.  Month column = 1-31 May 2024; YTD = balance for balance-sheet accounts, 2024 so far for P&L,
    # with 2023's profit (invoice A, 500.00) in Retained Earnings.
    expected = {
        "Sales (200)": [0, 0, 0, 200],                 # 500 in 2023 is not YTD; 200 in April
        "Other Revenue (260)": [0, 100, 0, 100],
        "Refunds (205)": [20, 0, 20, 0],
        "Stripe Fees (405)": [D("6.60"), 0, D("6.60"), 0],
        "Chargebacks (406)": [15, 0, 15, 0],
        "Accounts Receivable (610)": [0, D("136.50"), 80, 0],   # May: +100 -20 -216.50; balance: C less credit
        "Business Bank Account (090)": [150, 0, 650, 0],        # 500 (2023) + 150 transfer
        "Stripe Clearing (091)": [D("59.90"), 0, D("59.90"), 0],  # 216.50 - 6.60 - 150.00
        "Stripe Reserve (094)": [0, 15, 0, 15],                  # the dispute
        "Sales Tax (820)": [0, 0, 0, D("16.50")],
        "Retained Earnings (960)": [0, 0, 0, 500],
    }
    assert rows == {k: [D(v) for v in vals] for k, vals in expected.items()}
    assert sections["Sales (200)"] == "Revenue" and sections["Stripe Clearing (091)"] == "Assets"
    assert sections["Sales Tax (820)"] == "Liabilities" and sections["Retained Earnings (960)"] == "Equity"
    assert total == [D("251.50"), D("251.50"), D("831.50"), D("831.50")]

    # Each account row names its AccountID, as Xero's report does.
    sales_id = next(acc.account_id for acc in api.get_accounts(t, where='Code=="200"').accounts)
    sales_row = next(r for s in report.rows[1:] for r in (s.rows or []) if r.cells[0].value == "Sales (200)")
    assert sales_row.cells[0].attributes[0].value == sales_id
