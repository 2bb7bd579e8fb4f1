"""Reading the books back: trial balances (Decimal, debit-positive) equal what was posted, on both targets;
and the Xero kinds other than manual journals void the way Xero allows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xero_python.accounting.models import Account, Contact, Invoice, LineAmountTypes, LineItem, Payment


def test_quickbooks_trial_balance(qbo, conn, h, qbo_sandbox):
    poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    poster.post([h.qbo_record("a", "97.10"), h.qbo_record("b", "2.90", debit="31", credit="3"),
                 h.qbo_record("c", "0.01", debit="38", credit="3")])
    report = qbo.trial_balance(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert report.balances() == {"3": Decimal("94.19"), "31": Decimal("-94.20"), "38": Decimal("0.01")}
    assert report.balances() == qbo_sandbox.trial_balance(h.US_REALM, "2024-01-01", "2024-12-31")
    assert report.total_debit == report.total_credit == Decimal("94.20")
    assert all(isinstance(v, Decimal) for v in report.balances().values())


def test_xero_trial_balance(xero, conn, h, xero_sandbox):
    poster = h.poster_for(conn, h.XeroTarget(xero))
    poster.post([h.xero_record("a", "97.10"), h.xero_record("b", "2.90", debit="405", credit="095")])
    report = xero.trial_balance(dt.date(2024, 5, 31))
    codes = {a.account_id: a.code for a in xero.accounts()}
    by_code = {codes[k]: v for k, v in report.balances().items()}
    assert by_code == {"095": Decimal("94.20"), "405": Decimal("-94.20")}
    expected = {k: v for k, v in xero_sandbox.balances(h.US_TENANT_ID, dt.date(2024, 5, 31)).items() if v}
    assert by_code == expected


def test_xero_void_invoice_and_delete_payment(xero, h, xero_sandbox):
    day = dt.date(2024, 5, 2)
    invoice = Invoice(type="ACCREC", contact=Contact(name="Acme Ltd"), date=day, due_date=day, status="AUTHORISED",
                      reference="LP-INVOICE0000001", line_amount_types=LineAmountTypes.NOTAX,
                      line_items=[LineItem(description="Plan", unit_amount=Decimal("20.00"), account_code="200")])
    [saved] = xero.put_many("Invoices", [invoice], "inv-1")
    [found] = xero.find_by_reference("Invoices", "LP-INVOICE0000001")
    assert found.invoice_id == saved.remote_id
    payment = Payment(invoice=Invoice(invoice_id=saved.remote_id), account=Account(code="091"), date=day,
                      amount=Decimal("20.00"), reference="LP-PAYMENT0000001")
    [paid] = xero.put_many("Payments", [payment], "pay-1")
    assert xero.void("Payments", paid.remote_id, "pay-1-void").status == "DELETED"
    assert xero.find_by_reference("Payments", "LP-PAYMENT0000001") == []
    assert xero.void("Invoices", saved.remote_id, "inv-1-void").status == "VOIDED"
    assert xero.void("Invoices", saved.remote_id, "inv-1-void-again").status == "VOIDED"  # already void: no call
    assert xero.find_by_reference("Invoices", "LP-INVOICE0000001") == []
    assert xero_sandbox.organisations[h.US_TENANT_ID]["invoices"][saved.remote_id]["Status"] == "VOIDED"


def test_quickbooks_invoice_is_voided_and_no_longer_found(qbo, h):
    from quickbooks.objects import Customer, Invoice
    from quickbooks.objects.detailline import SalesItemLine, SalesItemLineDetail
    from quickbooks.objects.base import Ref

    customer = Customer()
    customer.DisplayName = "Globex"
    customer_id = qbo.create(customer, "globex").remote_id
    invoice = Invoice()
    invoice.DocNumber = "LP-INV000000000001"
    invoice.CustomerRef = Ref()
    invoice.CustomerRef.value = customer_id
    line = SalesItemLine()
    line.Amount = Decimal("25.00")
    line.SalesItemLineDetail = SalesItemLineDetail()
    line.SalesItemLineDetail.ItemRef = Ref()
    line.SalesItemLineDetail.ItemRef.value = "1"
    invoice.Line.append(line)
    saved = qbo.create(invoice, "inv-1")
    assert [r["Id"] for r in qbo.find_by_marker("Invoice", doc_number=invoice.DocNumber)] == [saved.remote_id]
    status, voided = qbo.void_or_delete("Invoice", saved.remote_id, saved.version, "inv-1-void")
    assert status == "voided" and voided.version == "1"
    assert Decimal(str(qbo.get("Invoice", saved.remote_id)["TotalAmt"])) == 0
    assert qbo.find_by_marker("Invoice", doc_number=invoice.DocNumber) == []
