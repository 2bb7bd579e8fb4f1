"""Contacts, invoices, payments, credit notes, overpayments, journals and banking, through the real client."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from xero_python.accounting.models import (
    Account, Allocation, Allocations, BankTransaction, BankTransactions, BankTransfer, BankTransfers, Contact, Contacts,
    CreditNote, CurrencyCode, CreditNotes, Invoice, Invoices, LineAmountTypes, LineItem, LineItemTracking, ManualJournal,
    ManualJournalLine, ManualJournals, Payment, PaymentDelete, Payments,
)
from xero_python.exceptions import AccountingBadRequestException

from ledger_pipeline.sandbox.xero import GLOBAL_TENANT_ID

D = Decimal
MAY1 = dt.date(2024, 5, 1)


def _invoice(contact: Contact, *, status="AUTHORISED", amount="100.00", account="200", tax="NONE", number=None,
             reference=None, **extra) -> Invoice:
    return Invoice(type="ACCREC", contact=contact, date=MAY1, due_date=dt.date(2024, 5, 31), status=status,
                   invoice_number=number, reference=reference, line_amount_types=LineAmountTypes.EXCLUSIVE,
                   line_items=[LineItem(description="Subscription", quantity=D("1"), unit_amount=D(amount),
                                        account_code=account, tax_type=tax)], **extra)


def test_contacts_and_invoices_in_one_put_then_read_update_and_void(xero, sandbox):
    api, t = xero.api, xero.tenant
    made = api.create_contacts(t, Contacts(contacts=[
        Contact(name="Acme Ltd", email_address="ap@acme.test", contact_number="cus_acme"),
        Contact(name="Globex", email_address="billing@globex.test", contact_number="cus_globex"),
        Contact(name="Initech", contact_number="cus_initech")]))
    assert [c.name for c in made.contacts] == ["Acme Ltd", "Globex", "Initech"]
    acme, globex, initech = (Contact(contact_id=c.contact_id) for c in made.contacts)

    tracking = [LineItemTracking(name="Channel", option="Stripe Billing")]
    created = api.create_invoices(t, Invoices(invoices=[
        _invoice(acme, amount="100.00", reference="in_001", tax="OUTPUT"),
        Invoice(type="ACCREC", contact=globex, date=MAY1, due_date=dt.date(2024, 5, 15), status="AUTHORISED",
                reference="in_002", line_amount_types=LineAmountTypes.INCLUSIVE, line_items=[
                    LineItem(description="Seats", quantity=D("3"), unit_amount=D("36.08"), account_code="200",
                             tax_type="OUTPUT", discount_amount=D("8.24"), tracking=tracking)]),
        Invoice(type="ACCREC", contact=initech, date=MAY1, status="DRAFT",
                line_amount_types=LineAmountTypes.NOTAX, line_items=[
                    LineItem(description="Setup", quantity=D("2"), unit_amount=D("12.50"), account_code="260",
                             discount_rate=D("20"))]),
    ]), summarize_errors=False)
    first, second, third = created.invoices
    assert [i.invoice_number for i in created.invoices] == ["INV-0001", "INV-0002", "INV-0003"]
    # Exclusive: 100.00 + 8.25% tax.
    assert (first.sub_total, first.total_tax, first.total, first.amount_due) == (D("100.00"), D("8.25"), D("108.25"),
                                                                                D("108.25"))
    assert first.reference == "in_001" and first.status == "AUTHORISED"
    # Inclusive with a discount amount: 3 x 36.08 - 8.24 = 100.00 gross, tax 100 x 8.25/108.25 = 7.62.
    assert (second.sub_total, second.total_tax, second.total) == (D("92.38"), D("7.62"), D("100.00"))
    line = second.line_items[0]
    assert line.discount_amount == D("8.24") and line.line_amount == D("100.00")
    assert line.tracking[0].option == "Stripe Billing" and line.tracking[0].tracking_option_id
    # NoTax with a discount rate: 2 x 12.50 x 80% = 20.00.
    assert (third.total_tax, third.total, third.status) == (D("0.00"), D("20.00"), "DRAFT")

    # Read back by id and by where-filter the client builds.
    fetched = api.get_invoice(t, first.invoice_id).invoices[0]
    assert fetched.date == MAY1 and fetched.line_items[0].account_code == "200"
    assert fetched.contact.name == "Acme Ltd" and fetched.updated_date_utc.tzinfo is not None
    by_contact = api.get_contacts(t, where='EmailAddress=="billing@globex.test"').contacts
    assert [c.name for c in by_contact] == ["Globex"]
    by_ids = api.get_invoices(t, i_ds=[first.invoice_id, third.invoice_id], page=1).invoices
    assert {i.invoice_id for i in by_ids} == {first.invoice_id, third.invoice_id}
    drafts = api.get_invoices(t, statuses=["DRAFT"]).invoices
    assert [i.invoice_id for i in drafts] == [third.invoice_id]
    assert drafts[0].line_items is None  # Xero leaves lines out of unpaged lists

    # Update through POST: authorise the draft with a new line; change a reference.
    updated = api.update_invoice(t, third.invoice_id, Invoices(invoices=[Invoice(
        status="AUTHORISED", reference="in_003", line_items=[LineItem(description="Setup", quantity=D("1"),
                                                                      unit_amount=D("30.00"), account_code="260")])]))
    assert (updated.invoices[0].status, updated.invoices[0].total, updated.invoices[0].reference) == (
        "AUTHORISED", D("30.00"), "in_003")
    upserted = api.update_or_create_invoices(t, Invoices(invoices=[Invoice(invoice_id=first.invoice_id,
                                                                          reference="in_001-b")]))
    assert upserted.invoices[0].reference == "in_001-b" and upserted.invoices[0].total == D("108.25")

    # Void an AUTHORISED invoice; a voided one can no longer change.
    voided = api.update_invoice(t, second.invoice_id, Invoices(invoices=[Invoice(status="VOIDED")]))
    assert voided.invoices[0].status == "VOIDED" and voided.invoices[0].amount_due == D("0")
    with pytest.raises(AccountingBadRequestException) as refused:
        api.update_invoice(t, second.invoice_id, Invoices(invoices=[Invoice(status="AUTHORISED")]))
    assert refused.value.reason == "Invoice not of valid status for modification"

    # Invoice numbers are unique for ACCREC.
    with pytest.raises(AccountingBadRequestException) as duplicate:
        api.create_invoices(t, Invoices(invoices=[_invoice(acme, number="INV-0001")]))
    assert duplicate.value.reason == "Invoice # must be unique."
    books = sandbox.organisations[t]
    assert len(books["invoices"]) == 3


def test_payment_to_clearing_account_marks_invoice_paid_and_overpaying_is_refused(xero, sandbox):
    api, t = xero.api, xero.tenant
    inv = api.create_invoices(t, Invoices(invoices=[_invoice(Contact(name="Hooli"), amount="250.00")])).invoices[0]
    assert inv.contact.contact_id  # the contact was created from its name, as Xero does

    part = api.create_payment(t, Payment(invoice=Invoice(invoice_id=inv.invoice_id), account=Account(code="091"),
                                         date=dt.date(2024, 5, 2), amount=D("100.00"), reference="ch_1"))
    assert part.payments[0].status == "AUTHORISED" and part.payments[0].payment_type == "ACCRECPAYMENT"
    assert api.get_invoice(t, inv.invoice_id).invoices[0].status == "AUTHORISED"

    with pytest.raises(AccountingBadRequestException) as too_much:
        api.create_payments(t, Payments(payments=[Payment(invoice=Invoice(invoice_id=inv.invoice_id),
                                                          account=Account(code="091"), date=dt.date(2024, 5, 3),
                                                          amount=D("150.01"))]))
    assert too_much.value.reason == "Payment amount exceeds the amount outstanding on this document"

    rest = api.create_payments(t, Payments(payments=[Payment(
        invoice=Invoice(invoice_id=inv.invoice_id), account=Account(code="091"), date=dt.date(2024, 5, 3),
        amount=D("150.00"))]))
    paid = api.get_invoice(t, inv.invoice_id).invoices[0]
    assert (paid.status, paid.amount_paid, paid.amount_due) == ("PAID", D("250.00"), D("0.00"))
    assert paid.fully_paid_on_date == dt.date(2024, 5, 3) and len(paid.payments) == 2

    # A paid invoice cannot be voided; deleting a payment puts it back to AUTHORISED.
    with pytest.raises(AccountingBadRequestException):
        api.update_invoice(t, inv.invoice_id, Invoices(invoices=[Invoice(status="VOIDED")]))
    api.delete_payment(t, rest.payments[0].payment_id, PaymentDelete(status="DELETED"))
    again = api.get_invoice(t, inv.invoice_id).invoices[0]
    assert (again.status, again.amount_due) == ("AUTHORISED", D("150.00"))
    assert sandbox.balances(t)["091"] == D("100.00")


def test_payment_to_account_that_takes_no_payments_is_refused(xero):
    api, t = xero.api, xero.tenant
    inv = api.create_invoices(t, Invoices(invoices=[_invoice(Contact(name="Umbrella"))])).invoices[0]
    for code in ("094", "200"):  # Stripe Reserve (CURRENT, payments off) and Sales (REVENUE)
        with pytest.raises(AccountingBadRequestException) as refused:
            api.create_payment(t, Payment(invoice=Invoice(invoice_id=inv.invoice_id), account=Account(code=code),
                                          date=MAY1, amount=D("10.00")))
        assert refused.value.reason == "Account type is invalid for making a payment to/from"
        body = refused.value.error_data
        assert body["ErrorNumber"] == 10 and body["Type"] == "ValidationException"
        assert body["Message"] == "A validation exception occurred"
    # An account with EnablePaymentsToAccount takes payments.
    ok = api.create_payment(t, Payment(invoice=Invoice(invoice_id=inv.invoice_id), account=Account(code="093"),
                                       date=MAY1, amount=D("10.00")))
    assert ok.payments[0].account.code == "093"


def test_summarize_errors_false_saves_the_good_and_reports_the_bad(xero, sandbox):
    api, t = xero.api, xero.tenant
    customer = Contact(name="Stark Industries")
    answer = api.create_invoices(t, Invoices(invoices=[
        _invoice(customer, amount="10.00", reference="good-1"),
        _invoice(customer, amount="20.00", reference="bad", account="999"),
        _invoice(customer, amount="30.00", reference="good-2"),
    ]), summarize_errors=False)
    good1, bad, good2 = answer.invoices
    assert good1.status_attribute_string == "OK" and good2.status_attribute_string == "OK"
    assert bad.status_attribute_string == "ERROR" and bad.has_errors is True and bad.invoice_id is None
    assert [e.message for e in bad.validation_errors] == ["Account code '999' is not a valid code for this document."]
    stored = sorted(i["Reference"] for i in sandbox.organisations[t]["invoices"].values())
    assert stored == ["good-1", "good-2"]

    # Summarised (the default): one bad element fails the call and nothing is saved.
    with pytest.raises(AccountingBadRequestException) as refused:
        api.create_invoices(t, Invoices(invoices=[_invoice(customer, reference="good-3"),
                                                  _invoice(customer, reference="bad-2", tax="BOGUS")]))
    elements = refused.value.error_data["Elements"]
    assert len(elements) == 1 and elements[0]["Reference"] == "bad-2"
    assert "The TaxType code 'BOGUS'" in elements[0]["ValidationErrors"][0]["Message"]
    assert len(sandbox.organisations[t]["invoices"]) == 2

    # Contacts use HasValidationErrors; a duplicate name is Xero's message.
    contacts = api.create_contacts(t, Contacts(contacts=[Contact(name="Wayne Enterprises"),
                                                         Contact(name="Stark Industries")]), summarize_errors=False)
    assert contacts.contacts[0].status_attribute_string == "OK"
    assert contacts.contacts[1].has_validation_errors is True
    assert "must be unique across all active contacts" in contacts.contacts[1].validation_errors[0].message


def test_manual_journal_must_balance(xero, sandbox):
    api, t = xero.api, xero.tenant
    # 095 Transfers and 093 Undeposited Funds: current assets, not bank accounts (manual journals can't use those)
    unbalanced = ManualJournal(narration="Stripe payout po_1", date=MAY1, status="POSTED",
                               line_amount_types=LineAmountTypes.NOTAX, journal_lines=[
                                   ManualJournalLine(line_amount=D("97.10"), account_code="095"),
                                   ManualJournalLine(line_amount=D("-90.00"), account_code="093")])
    with pytest.raises(AccountingBadRequestException) as refused:
        api.create_manual_journals(t, ManualJournals(manual_journals=[unbalanced]))
    assert refused.value.reason == "The total debits (97.10) must equal total credits (90.00)"
    assert not sandbox.organisations[t]["manual_journals"]

    balanced = ManualJournal(narration="Stripe payout po_1", date=MAY1, status="POSTED",
                             line_amount_types=LineAmountTypes.NOTAX, journal_lines=[
                                 ManualJournalLine(line_amount=D("97.10"), account_code="095", description="Payout"),
                                 ManualJournalLine(line_amount=D("-97.10"), account_code="093")])
    made = api.create_manual_journals(t, ManualJournals(manual_journals=[balanced]), idempotency_key="stripe-po_1")
    journal = made.manual_journals[0]
    assert journal.status == "POSTED" and journal.narration == "Stripe payout po_1" and journal.date == MAY1
    assert [line.line_amount for line in journal.journal_lines] == [D("97.10"), D("-97.10")]
    assert sandbox.balances(t) == {"095": D("97.10"), "093": D("-97.10")}

    # A journal without a status is a DRAFT in Xero and does not reach the ledger.
    draft = api.create_manual_journals(t, ManualJournals(manual_journals=[ManualJournal(
        narration="draft", date=MAY1, journal_lines=[ManualJournalLine(line_amount=D("1"), account_code="404"),
                                                     ManualJournalLine(line_amount=D("-1"), account_code="095")])]))
    assert draft.manual_journals[0].status == "DRAFT"
    assert sandbox.balances(t)["095"] == D("97.10")


def test_manual_journal_refuses_bank_and_receivables_lines_per_item(xero, sandbox):
    """Xero: "You can't post a manual journal to a bank account"; nor to Accounts Receivable/Payable."""
    api, t = xero.api, xero.tenant

    def journal(narration: str, debit: str, credit: str) -> ManualJournal:
        return ManualJournal(narration=narration, date=MAY1, status="POSTED", line_amount_types=LineAmountTypes.NOTAX,
                             journal_lines=[ManualJournalLine(line_amount=D("12.00"), account_code=debit),
                                            ManualJournalLine(line_amount=D("-12.00"), account_code=credit)])

    answer = api.create_manual_journals(t, ManualJournals(manual_journals=[
        journal("on the bank", "091", "405"), journal("good", "095", "405"), journal("on receivables", "610", "200"),
        journal("on both", "610", "091")]), summarize_errors=False)
    bank, good, receivables, both = answer.manual_journals
    assert good.status_attribute_string == "OK" and good.status == "POSTED" and good.manual_journal_id
    assert [e.message for e in bank.validation_errors] == [
        "Account code '091' is a bank account. You can't post a manual journal to a bank account: use a bank "
        "transaction or a bank transfer."]
    assert [e.message for e in receivables.validation_errors] == [
        "Account code '610' (Accounts Receivable) is a system account that manual journals can't use: post invoices, "
        "bills, credit notes or payments instead."]
    assert len(both.validation_errors) == 2
    for refused in (bank, receivables, both):
        assert refused.status_attribute_string == "ERROR" and refused.manual_journal_id is None
    assert [j["Narration"] for j in sandbox.organisations[t]["manual_journals"].values()] == ["good"]
    assert sandbox.balances(t) == {"095": D("12.00"), "405": D("-12.00")}


def test_credit_note_allocation_and_overpayment(xero, sandbox):
    api, t = xero.api, xero.tenant
    inv = api.create_invoices(t, Invoices(invoices=[_invoice(Contact(name="Cyberdyne"), amount="80.00")])).invoices[0]
    contact = Contact(contact_id=inv.contact.contact_id)
    note = api.create_credit_notes(t, CreditNotes(credit_notes=[CreditNote(
        type="ACCRECCREDIT", contact=contact, date=dt.date(2024, 5, 5), status="AUTHORISED",
        line_amount_types=LineAmountTypes.NOTAX, reference="re_1", line_items=[
            LineItem(description="Refund", quantity=D("1"), unit_amount=D("30.00"), account_code="205")])])).credit_notes[0]
    assert (note.credit_note_number, note.remaining_credit, note.status) == ("CN-0001", D("30.00"), "AUTHORISED")
    allocated = api.create_credit_note_allocation(t, note.credit_note_id, Allocations(allocations=[Allocation(
        invoice=Invoice(invoice_id=inv.invoice_id), amount=D("30.00"), date=dt.date(2024, 5, 5))]))
    assert allocated.allocations[0].amount == D("30.00")
    after = api.get_invoice(t, inv.invoice_id).invoices[0]
    assert (after.amount_credited, after.amount_due) == (D("30.00"), D("50.00"))
    assert api.get_credit_note(t, note.credit_note_id).credit_notes[0].status == "PAID"

    # A customer pays 60 against 50 due: 50 to the invoice, 10 as an overpayment, then allocated elsewhere.
    api.create_payment(t, Payment(invoice=Invoice(invoice_id=inv.invoice_id), account=Account(code="091"),
                                  date=dt.date(2024, 5, 6), amount=D("50.00")))
    over = api.create_bank_transactions(t, BankTransactions(bank_transactions=[BankTransaction(
        type="RECEIVE-OVERPAYMENT", contact=contact, bank_account=Account(code="091"), date=dt.date(2024, 5, 6),
        line_amount_types=LineAmountTypes.NOTAX, line_items=[LineItem(description="Overpaid", line_amount=D("10.00"))])]))
    overpayment_id = over.bank_transactions[0].overpayment_id
    assert overpayment_id
    second = api.create_invoices(t, Invoices(invoices=[_invoice(contact, amount="10.00")])).invoices[0]
    api.create_overpayment_allocations(t, overpayment_id, Allocations(allocations=[Allocation(
        invoice=Invoice(invoice_id=second.invoice_id), amount=D("10.00"), date=dt.date(2024, 5, 7))]))
    assert api.get_invoice(t, second.invoice_id).invoices[0].status == "PAID"
    assert api.get_overpayment(t, overpayment_id).overpayments[0].remaining_credit == D("0.00")
    assert sandbox.balances(t)["610"] == D("0.00")  # AR fully settled


def test_bank_transactions_and_transfers(xero, sandbox):
    api, t = xero.api, xero.tenant
    spend = api.create_bank_transactions(t, BankTransactions(bank_transactions=[BankTransaction(
        type="SPEND", contact=Contact(name="Stripe"), bank_account=Account(code="091"), date=MAY1, reference="fees",
        line_amount_types=LineAmountTypes.NOTAX, line_items=[
            LineItem(description="Stripe fees", quantity=D("1"), unit_amount=D("3.20"), account_code="405")])]))
    txn = spend.bank_transactions[0]
    assert (txn.type, txn.total, txn.status, txn.bank_account.code) == ("SPEND", D("3.20"), "AUTHORISED", "091")
    with pytest.raises(AccountingBadRequestException) as to_bank:
        api.create_bank_transactions(t, BankTransactions(bank_transactions=[BankTransaction(
            type="RECEIVE", contact=Contact(name="Stripe"), bank_account=Account(code="405"),
            line_items=[LineItem(description="x", unit_amount=D("1"), account_code="200")])]))
    assert to_bank.value.reason == "BankAccount must be a bank account"

    transfer = api.create_bank_transfer(t, BankTransfers(bank_transfers=[BankTransfer(
        from_bank_account=Account(code="091"), to_bank_account=Account(code="090"), amount=D("96.80"),
        date=dt.date(2024, 5, 2))])).bank_transfers[0]
    assert transfer.amount == D("96.80") and transfer.from_bank_transaction_id and transfer.to_bank_transaction_id
    legs = api.get_bank_transactions(t, where='Type=="RECEIVE-TRANSFER"').bank_transactions
    assert [leg.bank_transaction_id for leg in legs] == [transfer.to_bank_transaction_id]
    assert sandbox.balances(t) == {"405": D("3.20"), "091": D("-100.00"), "090": D("96.80")}


def test_multicurrency_payment_books_realised_fx(make_client, sandbox):
    client = make_client(GLOBAL_TENANT_ID)
    api, t = client.api, client.tenant
    inv = api.create_invoices(t, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(name="Bundesbank GmbH"), date=MAY1, status="AUTHORISED", currency_code=CurrencyCode.EUR,
        currency_rate=D("0.900000"), line_amount_types=LineAmountTypes.NOTAX,
        line_items=[LineItem(description="Plan", unit_amount=D("90.00"), account_code="200")])])).invoices[0]
    assert inv.currency_code.value == "EUR" and inv.currency_rate == D("0.900000")
    api.create_payment(t, Payment(invoice=Invoice(invoice_id=inv.invoice_id), account=Account(code="096"),
                                  date=dt.date(2024, 5, 9), amount=D("90.00"), currency_rate=D("0.800000")))
    balances = sandbox.balances(t)
    # Invoice at 0.90: 100.00 USD of AR. Paid at 0.80: 112.50 USD in the EUR bank. Gain 12.50.
    assert balances["200"] == D("-100.00")
    assert balances["096"] == D("112.50")
    assert balances["499"] == D("-12.50")
    assert balances["610"] == D("0.00")
    with pytest.raises(AccountingBadRequestException) as not_enabled:
        make_client().api.create_invoices(make_client().tenant, Invoices(invoices=[Invoice(
            type="ACCREC", contact=Contact(name="X"), currency_code=CurrencyCode.EUR, line_items=[])]))
    assert not_enabled.value.reason == "The currency 'EUR' is not enabled for this organisation."
