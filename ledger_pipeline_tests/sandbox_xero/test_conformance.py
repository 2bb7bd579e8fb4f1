"""Conformance: the sandbox's answers to every operation the tests use, checked against Xero's own OpenAPI spec.

The real client drives a scenario over HTTP through a recording ASGI wrapper; openapi-core then validates each
recorded *response* against `xero_accounting.yaml` (and `/Connections` against `xero_identity.yaml`). Requests
are not validated: xero-python itself sends read-only fields (qbo_xero.md §3). Statuses the spec does not
declare for an operation (401, 403, 404, 429) are listed, not validated.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from xero_python.accounting.models import (
    Account, Allocation, Allocations, BankTransaction, BankTransactions, BankTransfer, BankTransferDeleteByUrlParam,
    BankTransfers, Contact, Contacts, CreditNote, CreditNotes, CurrencyCode, Invoice, Invoices, Item, Items,
    LineAmountTypes, LineItem, LineItemTracking,
    ManualJournal, ManualJournalLine, ManualJournals, Payment, PaymentDelete, Payments, Purchase, TrackingOption,
)
from xero_python.api_client.oauth2 import TokenApi
from xero_python.exceptions import AccountingBadRequestException, HTTPStatusException

from ledger_pipeline.sandbox.common import ServerThread
from ledger_pipeline.sandbox.xero import GLOBAL_TENANT_ID, US_TENANT_ID

openapi_core = pytest.importorskip("openapi_core")
from openapi_core import Config, OpenAPI  # noqa: E402
from openapi_core.templating.responses.exceptions import ResponseNotFound  # noqa: E402
from openapi_core.testing import MockRequest, MockResponse  # noqa: E402

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
SPECS = Path(__file__).resolve().parents[1] / "data" / "specs"
D = Decimal


class Recorder:
    """ASGI wrapper keeping every request line and answer."""

    def __init__(self, app):
        self.app = app
        self.exchanges: list[dict] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        answer = {"method": scope["method"], "path": scope["path"],
                  "query": dict(parse_qsl(scope.get("query_string", b"").decode())), "body": b""}

        async def keep(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
            await send(message)

        await self.app(scope, receive, keep)
        self.exchanges.append(answer)


@pytest.fixture(scope="module")
def specs():
    config = Config(spec_validator_cls=None)  # the spec has `default: "false"` on a boolean
    return (OpenAPI.from_file_path(str(SPECS / "xero_accounting.yaml"), config=config),
            OpenAPI.from_file_path(str(SPECS / "xero_identity.yaml"), config=config))


def _scenario(xero, global_client) -> None:
    api, t = xero.api, xero.tenant
    xero.identity.get_connections()
    api.get_organisations(t)
    accounts = api.get_accounts(t).accounts
    api.get_account(t, accounts[0].account_id)
    api.get_accounts(t, where='Type=="BANK"', order="Code")
    api.get_tax_rates(t)
    api.get_tax_rate_by_tax_type(t, "OUTPUT")
    categories = api.get_tracking_categories(t).tracking_categories
    api.get_tracking_category(t, categories[0].tracking_category_id)
    api.create_tracking_options(t, categories[0].tracking_category_id, TrackingOption(name="South America"))
    api.get_currencies(t)
    api.create_items(t, Items(items=[Item(code="PLAN-PRO", name="Pro plan", sales_details=Purchase(
        unit_price=D("49.00"), account_code="200", tax_type="OUTPUT"))]))
    api.get_items(t)

    made = api.create_contacts(t, Contacts(contacts=[Contact(name="Acme Ltd", email_address="ap@acme.test",
                                                             contact_number="cus_1"), Contact(name="Globex")]),
                               summarize_errors=False, idempotency_key="contacts-1")
    api.create_contacts(t, Contacts(contacts=[Contact(name="Acme Ltd", email_address="ap@acme.test",
                                                      contact_number="cus_1"), Contact(name="Globex")]),
                        summarize_errors=False, idempotency_key="contacts-1")  # replay
    acme = made.contacts[0]
    api.get_contact(t, acme.contact_id)
    api.get_contacts(t, where='Name=="Acme Ltd"', page=1)
    api.update_contact(t, acme.contact_id, Contacts(contacts=[Contact(email_address="billing@acme.test")]))
    api.update_or_create_contacts(t, Contacts(contacts=[Contact(name="Initech")]))
    api.create_contacts(t, Contacts(contacts=[Contact(name="Acme Ltd"), Contact(name="Hooli")]),
                        summarize_errors=False)  # per-element errors
    with pytest.raises(AccountingBadRequestException):
        api.create_contacts(t, Contacts(contacts=[Contact(name="Acme Ltd")]))  # summarised 400 (Error schema)

    contact = Contact(contact_id=acme.contact_id)
    tracking = [LineItemTracking(name="Region", option="Europe")]
    line = LineItem(description="Pro plan", quantity=D("2"), unit_amount=D("49.00"), account_code="200",
                    tax_type="OUTPUT", discount_rate=D("10"), tracking=tracking)
    invoices = api.create_invoices(t, Invoices(invoices=[
        Invoice(type="ACCREC", contact=contact, date=dt.date(2024, 5, 1), due_date=dt.date(2024, 5, 31),
                status="AUTHORISED", reference="in_1", line_amount_types=LineAmountTypes.EXCLUSIVE, line_items=[line]),
        Invoice(type="ACCREC", contact=contact, date=dt.date(2024, 5, 1), status="AUTHORISED",
                line_amount_types=LineAmountTypes.INCLUSIVE, line_items=[LineItem(item_code="PLAN-PRO", quantity=D(1))]),
        Invoice(type="ACCPAY", contact=Contact(name="AWS"), date=dt.date(2024, 5, 1), status="AUTHORISED",
                invoice_number="aws-42", line_amount_types=LineAmountTypes.NOTAX,
                line_items=[LineItem(description="Hosting", unit_amount=D("30.00"), account_code="429")]),
        Invoice(type="ACCREC", contact=contact, status="AUTHORISED", line_items=[
            LineItem(description="bad", unit_amount=D("1"), account_code="999")]),
    ]), summarize_errors=False)
    first, second, bill = invoices.invoices[:3]
    api.get_invoice(t, first.invoice_id)
    api.get_invoices(t, statuses=["AUTHORISED"], page=1)
    api.get_invoices(t, where='Type=="ACCREC"', order="Date DESC")
    api.update_invoice(t, second.invoice_id, Invoices(invoices=[Invoice(reference="in_2")]))
    api.update_or_create_invoices(t, Invoices(invoices=[Invoice(invoice_id=second.invoice_id, status="VOIDED")]))
    with pytest.raises(AccountingBadRequestException):
        api.create_invoices(t, Invoices(invoices=[Invoice(type="ACCREC", contact=contact, status="AUTHORISED",
                                                          line_items=[LineItem(unit_amount=D("1"), account_code="999")])]))

    payment = api.create_payment(t, Payment(invoice=Invoice(invoice_id=first.invoice_id), account=Account(code="091"),
                                            date=dt.date(2024, 5, 2), amount=D("50.00"), reference="ch_1"))
    api.create_payments(t, Payments(payments=[Payment(invoice=Invoice(invoice_id=bill.invoice_id),
                                                      account=Account(code="090"), date=dt.date(2024, 5, 3),
                                                      amount=D("30.00"))]), summarize_errors=False)
    api.get_payment(t, payment.payments[0].payment_id)
    api.get_payments(t)
    api.delete_payment(t, payment.payments[0].payment_id, PaymentDelete(status="DELETED"))
    with pytest.raises(AccountingBadRequestException):
        api.create_payment(t, Payment(invoice=Invoice(invoice_id=first.invoice_id), account=Account(code="200"),
                                      date=dt.date(2024, 5, 2), amount=D("1.00")))

    note = api.create_credit_notes(t, CreditNotes(credit_notes=[CreditNote(
        type="ACCRECCREDIT", contact=contact, date=dt.date(2024, 5, 4), status="AUTHORISED",
        line_amount_types=LineAmountTypes.NOTAX, line_items=[LineItem(description="Refund", unit_amount=D("10.00"),
                                                                      account_code="205")])])).credit_notes[0]
    allocation = api.create_credit_note_allocation(t, note.credit_note_id, Allocations(allocations=[Allocation(
        invoice=Invoice(invoice_id=first.invoice_id), amount=D("10.00"), date=dt.date(2024, 5, 4))]))
    api.get_credit_note(t, note.credit_note_id)
    api.get_credit_notes(t)
    api.delete_credit_note_allocations(t, note.credit_note_id, allocation.allocations[0].allocation_id)

    over = api.create_bank_transactions(t, BankTransactions(bank_transactions=[BankTransaction(
        type="RECEIVE-OVERPAYMENT", contact=contact, bank_account=Account(code="091"), date=dt.date(2024, 5, 5),
        line_amount_types=LineAmountTypes.NOTAX, line_items=[LineItem(description="Over", line_amount=D("5.00"))])]))
    overpayment_id = over.bank_transactions[0].overpayment_id
    api.create_overpayment_allocations(t, overpayment_id, Allocations(allocations=[Allocation(
        invoice=Invoice(invoice_id=first.invoice_id), amount=D("5.00"), date=dt.date(2024, 5, 5))]))
    api.get_overpayment(t, overpayment_id)
    api.get_overpayments(t)
    spend = api.create_bank_transactions(t, BankTransactions(bank_transactions=[BankTransaction(
        type="SPEND", contact=Contact(name="Stripe"), bank_account=Account(code="091"), date=dt.date(2024, 5, 6),
        line_amount_types=LineAmountTypes.NOTAX, line_items=[LineItem(description="Fees", unit_amount=D("2.50"),
                                                                      account_code="405")])]))
    api.get_bank_transaction(t, spend.bank_transactions[0].bank_transaction_id)
    api.get_bank_transactions(t, page=1)
    transfer = api.create_bank_transfer(t, BankTransfers(bank_transfers=[BankTransfer(
        from_bank_account=Account(code="091"), to_bank_account=Account(code="090"), amount=D("20.00"),
        date=dt.date(2024, 5, 7))]))
    api.get_bank_transfer(t, transfer.bank_transfers[0].bank_transfer_id)
    api.get_bank_transfers(t)
    mistaken = api.create_bank_transfer(t, BankTransfers(bank_transfers=[BankTransfer(
        from_bank_account=Account(code="091"), to_bank_account=Account(code="090"), amount=D("1.00"),
        date=dt.date(2024, 5, 7))]))
    deleted = api.delete_bank_transfer(t, mistaken.bank_transfers[0].bank_transfer_id,
                                       BankTransferDeleteByUrlParam(status="DELETED"))
    assert deleted.bank_transfers[0].status == "DELETED"

    journal = api.create_manual_journals(t, ManualJournals(manual_journals=[ManualJournal(
        narration="Payout po_1", date=dt.date(2024, 5, 8), status="POSTED", line_amount_types=LineAmountTypes.NOTAX,
        journal_lines=[ManualJournalLine(line_amount=D("10.00"), account_code="095"),  # not bank accounts: Xero
                       ManualJournalLine(line_amount=D("-10.00"), account_code="093")])]), idempotency_key="po_1")
    api.get_manual_journal(t, journal.manual_journals[0].manual_journal_id)
    api.get_manual_journals(t)
    with pytest.raises(AccountingBadRequestException):
        api.create_manual_journals(t, ManualJournals(manual_journals=[ManualJournal(
            narration="unbalanced", date=dt.date(2024, 5, 8), status="POSTED", journal_lines=[
                ManualJournalLine(line_amount=D("10.00"), account_code="095"),
                ManualJournalLine(line_amount=D("-9.00"), account_code="093")])]))
    api.get_report_trial_balance(t, date=dt.date(2024, 5, 31))
    with pytest.raises(HTTPStatusException):
        api.get_invoice(t, "00000000-0000-0000-0000-000000000000")  # 404, undeclared in the spec

    g = global_client.api
    g.create_invoices(GLOBAL_TENANT_ID, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(name="Bundesbank GmbH"), date=dt.date(2024, 5, 1), status="AUTHORISED",
        currency_code=CurrencyCode.EUR, line_items=[LineItem(description="Plan", unit_amount=D("90.00"),
                                                    account_code="200")])]))
    g.get_report_trial_balance(GLOBAL_TENANT_ID, date=dt.date(2024, 5, 31))


def test_responses_conform_to_xero_openapi(sandbox, specs, monkeypatch, client_for):
    accounting, identity = specs
    recorder = Recorder(sandbox.app)
    server = ServerThread(recorder, host="127.0.0.1", port=0).start()
    try:
        monkeypatch.setattr(TokenApi, "refresh_token_url", f"{server.base_url}/connect/token")
        token = sandbox.issue_tokens()
        xero = client_for(server.base_url, token, US_TENANT_ID)
        global_client = client_for(server.base_url, token, GLOBAL_TENANT_ID)
        _scenario(xero, global_client)
    finally:
        server.stop()

    checked, undeclared, failures = set(), set(), []
    for exchange in recorder.exchanges:
        path = exchange["path"]
        if path.startswith("/api.xro/2.0/"):
            spec, host = accounting, "https://api.xero.com"
        elif path.lower() == "/connections":
            spec, host, path = identity, "https://api.xero.com", "/Connections"
        else:
            continue
        request = MockRequest(host, exchange["method"], path, args=exchange["query"])
        response = MockResponse(exchange["body"], status_code=exchange["status"], headers=exchange["headers"],
                                content_type=exchange["headers"].get("content-type", "application/json").split(";")[0])
        label = f"{exchange['method']} {_UUID.sub('{id}', path)} -> {exchange['status']}"
        try:
            spec.validate_response(request, response)
            checked.add(label)
        except ResponseNotFound:
            undeclared.add(label)
        except Exception as problem:  # noqa: BLE001 - collect every failure with its cause
            cause = getattr(problem, "__cause__", None)
            detail = getattr(cause, "schema_errors", None) or cause or problem
            failures.append(f"{label}: {detail}")
    assert not failures, "\n".join(failures)
    statuses = {label.rsplit(" ", 1)[1] for label in checked}
    assert {"200", "400"} <= statuses
    assert len(checked) >= 45, sorted(checked)
    assert all(label.endswith(("404", "401", "403", "429")) for label in undeclared), undeclared

