"""Create, read, update, delete, void and query through python-quickbooks objects."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from quickbooks.exceptions import ObjectNotFoundException, QuickbooksException, ValidationException
from quickbooks.objects import (Account, Class, CompanyInfo, Customer, Department, Deposit, Invoice, Item,
                                JournalEntry, Payment, Purchase, RefundReceipt, SalesReceipt, TaxCode, TaxRate,
                                Transfer, Vendor)
from quickbooks.objects.companycurrency import CompanyCurrency
from quickbooks.objects.preferences import Preferences
from quickbooks.objects.base import LinkedTxn
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.deposit import DepositLine
from quickbooks.objects.detailline import (AccountBasedExpenseLine, AccountBasedExpenseLineDetail, SalesItemLine,
                                           SalesItemLineDetail)
from quickbooks.objects.payment import PaymentLine
from quickbooks.objects.tax import TxnTaxDetail


def new_customer(qb, name, request_id=None, **fields):
    customer = Customer()
    customer.DisplayName = name
    for key, value in fields.items():
        setattr(customer, key, value)
    return customer.save(qb=qb, request_id=request_id)


def sales_line(h, amount, item="2", tax="NON", qty=None, price=None):
    line = SalesItemLine()
    line.Amount = amount
    line.SalesItemLineDetail = SalesItemLineDetail()
    line.SalesItemLineDetail.ItemRef = h.ref(item)
    line.SalesItemLineDetail.TaxCodeRef = h.ref(tax)
    if qty is not None:
        line.SalesItemLineDetail.Qty, line.SalesItemLineDetail.UnitPrice = qty, price
    return line


def test_customer_create_read_update_and_queries(qb, h):
    created = new_customer(qb, "Acme Ltd", request_id="stripe-cus_1-create", CompanyName="Acme")
    assert created.Id and created.SyncToken == "0" and created.domain == "QBO" and created.sparse is False
    assert created.MetaData["CreateTime"] == "2024-05-01T09:00:00-07:00"
    assert created.FullyQualifiedName == "Acme Ltd" and created.CurrencyRef.value == "USD"
    new_customer(qb, "Beta GmbH")
    new_customer(qb, "Gamma O'Brien")

    fetched = Customer.get(created.Id, qb=qb)
    assert fetched.DisplayName == "Acme Ltd" and fetched.Balance == 0

    fetched.CompanyName = "Acme Holdings"
    updated = fetched.save(qb=qb)
    assert updated.SyncToken == "1" and updated.CompanyName == "Acme Holdings"

    assert [c.DisplayName for c in Customer.filter(DisplayName="Acme Ltd", qb=qb)] == ["Acme Ltd"]
    assert [c.DisplayName for c in Customer.filter(DisplayName="Gamma O'Brien", qb=qb)] == ["Gamma O'Brien"]
    assert [c.DisplayName for c in Customer.where("DisplayName LIKE '%GmbH'", qb=qb)] == ["Beta GmbH"]
    assert [c.DisplayName for c in Customer.where("", order_by="DisplayName DESC", qb=qb)] == [
        "Gamma O'Brien", "Beta GmbH", "Acme Ltd"]
    assert [c.DisplayName for c in Customer.all(order_by="DisplayName", max_results=2, qb=qb)] == [
        "Acme Ltd", "Beta GmbH"]
    assert [c.DisplayName for c in Customer.all(order_by="DisplayName", start_position=3, qb=qb)] == [
        "Gamma O'Brien"]
    assert Customer.count(qb=qb) == 3
    assert Customer.count("DisplayName IN ('Acme Ltd', 'Beta GmbH')", qb=qb) == 2
    assert len(Customer.choose([created.Id], qb=qb)) == 1
    assert len(Customer.query("select * from Customer where MetaData.CreateTime >= '2024-05-01' "
                              "orderby Id maxresults 10", qb=qb)) == 3
    raw = qb.query("SELECT COUNT(*) FROM Customer WHERE Active = true")
    assert raw["QueryResponse"] == {"totalCount": 3} and "time" in raw


def test_stale_sync_token_is_5010(qb):
    customer = new_customer(qb, "Stale Co")
    first = Customer.get(customer.Id, qb=qb)
    second = Customer.get(customer.Id, qb=qb)
    first.Notes = "first writer"
    first.save(qb=qb)
    second.Notes = "second writer"
    with pytest.raises(QuickbooksException) as err:
        second.save(qb=qb)
    # 5000-9999 map to the plain base class in python-quickbooks, not a subclass
    assert type(err.value) is QuickbooksException
    assert err.value.error_code == 5010 and err.value.message == "Stale Object Error"


def test_duplicate_display_name_and_inactive_customers(qb):
    customer = new_customer(qb, "Dup Inc")
    with pytest.raises(QuickbooksException) as err:
        new_customer(qb, "dup inc")  # names compare without case
    assert err.value.error_code == 6240 and err.value.message == "Duplicate Name Exists Error"
    with pytest.raises(QuickbooksException):
        new_customer(qb, "Stripe")  # vendors share the namespace

    customer = Customer.get(customer.Id, qb=qb)
    customer.Active = False
    gone = customer.save(qb=qb)
    assert gone.DisplayName == "Dup Inc (deleted)"  # QBO frees the name of an inactive customer
    assert Customer.count(qb=qb) == 0  # name lists hide inactive rows by default
    assert Customer.count("Active = false", qb=qb) == 1
    assert new_customer(qb, "Dup Inc").Id != gone.Id


def test_journal_entry_create_read_update_delete(qb, h, sandbox):
    je = h.journal([("3", "Debit", 97.10), ("31", "Debit", 2.90), ("20", "Credit", 100)], doc="STRIPE-po_1")
    saved = je.save(qb=qb, request_id="stripe-po_1-je")
    assert saved.TotalAmt == 100 and saved.TxnDate == "2024-05-01" and saved.DocNumber == "STRIPE-po_1"
    assert [line.JournalEntryLineDetail.AccountRef.name for line in saved.Line] == [
        "Stripe Clearing", "Stripe Fees", "Sales of Product Income"]
    assert sandbox.trial_balance(h.US) == {"3": Decimal("97.10"), "31": Decimal("2.90"), "20": Decimal("-100")}

    fetched = JournalEntry.get(saved.Id, qb=qb)
    fetched.Line[0].Amount = 96.10
    fetched.Line[1].Amount = 3.90
    updated = fetched.save(qb=qb)
    assert updated.SyncToken == "1"
    assert sandbox.trial_balance(h.US)["31"] == Decimal("3.90")
    assert JournalEntry.filter(DocNumber="STRIPE-po_1", qb=qb)[0].Id == saved.Id
    assert Account.get(3, qb=qb).CurrentBalance == 96.1

    with pytest.raises(QuickbooksException) as err:
        fetched.delete(qb=qb)  # SyncToken 0 is stale now
    assert err.value.error_code == 5010
    answer = updated.delete(qb=qb)
    assert answer["JournalEntry"]["status"] == "Deleted"
    with pytest.raises(ObjectNotFoundException):
        JournalEntry.get(saved.Id, qb=qb)
    assert sandbox.trial_balance(h.US) == {}
    assert JournalEntry.count(qb=qb) == 0


def test_request_id_replays_the_first_answer(qb, h, sandbox):
    first = new_customer(qb, "Replay Ltd", request_id="stripe-cus_9-create")
    again = new_customer(qb, "Replay Ltd", request_id="stripe-cus_9-create")  # would be a 6240 otherwise
    assert again.Id == first.Id and again.MetaData == first.MetaData
    assert Customer.count(qb=qb) == 1

    je = h.journal([("1", "Debit", 10), ("24", "Credit", 10)])
    one = je.save(qb=qb, request_id="stripe-po_2-je")
    two = h.journal([("1", "Debit", 10), ("24", "Credit", 10)]).save(qb=qb, request_id="stripe-po_2-je")
    assert one.Id == two.Id and JournalEntry.count(qb=qb) == 1
    assert sandbox.trial_balance(h.US)["1"] == Decimal("10")
    assert sandbox.stats.snapshot()["realms"][h.US]["replayed"] == 2


def test_sparse_update(qb, h):
    saved = h.journal([("1", "Debit", 5), ("24", "Credit", 5)]).save(qb=qb)
    answer = qb.update_object("JournalEntry", json.dumps(
        {"Id": saved.Id, "SyncToken": saved.SyncToken, "sparse": True, "PrivateNote": "memo only"}))
    after = JournalEntry.from_json(answer["JournalEntry"])
    assert after.PrivateNote == "memo only" and after.TotalAmt == 5 and len(after.Line) == 2


def test_invoice_payment_deposit_and_void(qb, h, sandbox):
    customer = new_customer(qb, "Invoiced Co")
    invoice = Invoice()
    invoice.CustomerRef = customer.to_ref()
    invoice.Line = [sales_line(h, 100, tax="TAX"), sales_line(h, 50, qty=2, price=25)]
    invoice.TxnTaxDetail = TxnTaxDetail()
    invoice.TxnTaxDetail.TxnTaxCodeRef = h.ref("3")  # San Francisco: 7.25% + 1.375% on the taxable line
    invoice = invoice.save(qb=qb)
    assert invoice.TxnTaxDetail.TotalTax == 8.63 and invoice.TotalAmt == 158.63 and invoice.Balance == 158.63
    assert invoice.DocNumber == "1001"
    assert Customer.get(customer.Id, qb=qb).Balance == 158.63

    payment = Payment()
    payment.CustomerRef = customer.to_ref()
    payment.TotalAmt = 100
    line = PaymentLine()
    line.Amount = 100
    line.LinkedTxn.append(invoice.to_linked_txn())
    payment.Line.append(line)
    payment = payment.save(qb=qb)
    assert payment.UnappliedAmt == 0 and payment.DepositToAccountRef.value == "4"  # Undeposited Funds
    reread = Invoice.get(invoice.Id, qb=qb)
    assert reread.Balance == 58.63 and reread.LinkedTxn[0].TxnType == "Payment"
    assert Customer.get(customer.Id, qb=qb).Balance == 58.63
    assert Invoice.count("Balance > '0'", qb=qb) == 1

    deposit = Deposit()
    deposit.DepositToAccountRef = h.ref("1")
    deposit_line = DepositLine()
    deposit_line.Amount = 100
    linked = LinkedTxn()
    linked.TxnId, linked.TxnType, linked.TxnLineId = payment.Id, "Payment", 0
    deposit_line.LinkedTxn.append(linked)
    deposit.Line.append(deposit_line)
    deposit = deposit.save(qb=qb)
    assert deposit.TotalAmt == 100
    tb = sandbox.trial_balance(h.US)
    assert tb["1"] == 100 and "4" not in tb and tb["5"] == Decimal("58.63") and tb["12"] == Decimal("-8.63")

    with pytest.raises(QuickbooksException) as err:
        Payment.get(payment.Id, qb=qb).void(qb=qb)  # deposited: unlink first
    assert err.value.error_code == 6000
    Deposit.get(deposit.Id, qb=qb).delete(qb=qb)
    Payment.get(payment.Id, qb=qb).void(qb=qb)
    voided = Payment.get(payment.Id, qb=qb)
    assert voided.TotalAmt == 0 and voided.PrivateNote == "Voided"
    assert Invoice.get(invoice.Id, qb=qb).Balance == 158.63
    Invoice.get(invoice.Id, qb=qb).void(qb=qb)
    assert Invoice.get(invoice.Id, qb=qb).TotalAmt == 0
    assert sandbox.trial_balance(h.US) == {}


def test_sales_receipt_refund_credit_memo_purchase_transfer(qb, h, sandbox):
    customer = new_customer(qb, "Retail Buyer")
    receipt = SalesReceipt()
    receipt.CustomerRef = customer.to_ref()
    receipt.DepositToAccountRef = h.ref("3")
    receipt.Line = [sales_line(h, 40), sales_line(h, 60, item="3")]
    receipt = receipt.save(qb=qb)
    assert receipt.TotalAmt == 100 and receipt.Balance == 0

    refund = RefundReceipt()
    refund.CustomerRef = customer.to_ref()
    refund.DepositToAccountRef = h.ref("3")
    refund.Line = [sales_line(h, 15)]
    refund.save(qb=qb)

    memo = CreditMemo()
    memo.CustomerRef = customer.to_ref()
    memo.Line = [sales_line(h, 5)]
    memo = memo.save(qb=qb)
    assert memo.RemainingCredit == 5

    fee = Purchase()
    fee.PaymentType = "Cash"
    fee.AccountRef = h.ref("3")
    fee.EntityRef = h.ref("1", "Stripe")
    fee.EntityRef.type = "Vendor"
    expense = AccountBasedExpenseLine()
    expense.Amount = 3.2
    expense.AccountBasedExpenseLineDetail = AccountBasedExpenseLineDetail()
    expense.AccountBasedExpenseLineDetail.AccountRef = h.ref("31")
    fee.Line.append(expense)
    assert fee.save(qb=qb).TotalAmt == 3.2

    payout = Transfer()
    payout.FromAccountRef, payout.ToAccountRef, payout.Amount = h.ref("3"), h.ref("1"), 80
    payout.save(qb=qb)

    tb = sandbox.trial_balance(h.US)
    assert tb == {"3": Decimal("1.80"), "1": Decimal("80"), "20": Decimal("-20"), "21": Decimal("-60"),
                  "31": Decimal("3.2"), "5": Decimal("-5")}
    assert sum(tb.values()) == 0


def test_duplicate_doc_number_and_long_doc_number(qb, h, sandbox):
    customer = new_customer(qb, "Numbered")

    def invoice(number, **params):
        inv = Invoice()
        inv.CustomerRef = customer.to_ref()
        inv.DocNumber = number
        inv.Line = [sales_line(h, 10)]
        return inv.save(qb=qb, **params)

    invoice("INV-1")
    with pytest.raises(QuickbooksException) as err:
        invoice("INV-1")
    assert err.value.error_code == 6140 and "DocNumber=INV-1" in err.value.detail
    assert invoice("INV-1", params={"include": "allowduplicatedocnum"}).DocNumber == "INV-1"
    sandbox.companies[h.US].settings["forbid_duplicate_doc_numbers"] = False
    invoice("INV-1")
    with pytest.raises(ValidationException) as err:
        invoice("STRIPE-in_1Nabcdefghijklmnop")
    assert err.value.error_code == 2050


def test_every_answer_parses_into_client_objects(qb, qb_multi, h):
    new_customer(qb, "Parse Me")
    h.journal([("1", "Debit", 1), ("24", "Credit", 1)]).save(qb=qb)
    for cls in (Account, Customer, Vendor, Item, Class, Department, TaxCode, TaxRate, JournalEntry):
        rows = cls.all(qb=qb, max_results=1000)
        assert rows, cls
        for row in rows:
            assert isinstance(row, cls) and row.Id and isinstance(row.SyncToken, str)
            assert cls.from_json(json.loads(row.to_json())).Id == row.Id
    accounts = {a.Id: a for a in Account.all(qb=qb, max_results=1000)}
    assert accounts["31"].Name == "Stripe Fees" and accounts["31"].AccountType == "Expense"
    assert accounts["4"].AccountSubType == "UndepositedFunds"
    assert {t.Id for t in TaxCode.all(qb=qb)} >= {"TAX", "NON"}
    assert Preferences.get(qb=qb).CurrencyPrefs.MultiCurrencyEnabled is False
    assert Preferences.get(qb=qb_multi).CurrencyPrefs.MultiCurrencyEnabled is True
    assert {c.Code for c in CompanyCurrency.all(qb=qb_multi)} == {"EUR", "GBP"}
    assert CompanyInfo.get(h.US, qb=qb).Country == "US"
    assert Item.all(qb=qb)[0].IncomeAccountRef.value == "21"


def test_list_entities_cannot_be_deleted_and_read_only_ones_cannot_be_written(qb, h):
    with pytest.raises(QuickbooksException) as err:
        qb.delete_object("Account", json.dumps({"Id": "31", "SyncToken": "0"}))
    assert err.value.error_code == 500
    with pytest.raises(QuickbooksException) as err:
        qb.create_object("TaxCode", json.dumps({"Name": "New"}))
    assert err.value.error_code == 500
    with pytest.raises(ObjectNotFoundException):
        Customer.get(999, qb=qb)


def test_get_query_minor_versions_cdc_and_exchange_rates(qb, qb_multi, h, server, sandbox):
    new_customer(qb, "Via GET")
    url = f"{server.base_url}/v3/company/{h.US}/query"
    answer = qb.get(url, params={"query": "select * from Customer where DisplayName = 'Via GET'"})
    assert answer["QueryResponse"]["Customer"][0]["DisplayName"] == "Via GET"
    assert answer["QueryResponse"]["startPosition"] == 1 and answer["QueryResponse"]["maxResults"] == 1

    old = h.client_for(server, qb.auth_client, h.US)
    old.minorversion = 65  # served as 75 since August 2025, not refused
    assert Customer.count(qb=old) == 1

    from quickbooks.cdc import change_data_capture

    je = h.journal([("1", "Debit", 3), ("24", "Credit", 3)]).save(qb=qb)
    je.delete(qb=qb)
    changes = change_data_capture([Customer, JournalEntry], "2024-05-01T00:00:00", qb=qb)
    assert [c.DisplayName for c in changes.Customer] == ["Via GET"]
    assert [j.status for j in changes.JournalEntry] == ["Deleted"]

    rate = qb_multi.get(f"{server.base_url}/v3/company/{h.MULTI}/exchangerate",
                        params={"sourcecurrencycode": "EUR", "asofdate": "2024-05-01"})["ExchangeRate"]
    assert rate["Rate"] == 1.08 and rate["TargetCurrencyCode"] == "USD"


def test_tax_is_recomputed_after_a_round_trip(qb, h):
    customer = new_customer(qb, "Taxed")
    receipt = SalesReceipt()
    receipt.CustomerRef = customer.to_ref()
    receipt.Line = [sales_line(h, 200, tax="TAX")]
    receipt.TxnTaxDetail = TxnTaxDetail()
    receipt.TxnTaxDetail.TxnTaxCodeRef = h.ref("2")  # California 7.25%
    receipt = receipt.save(qb=qb)
    assert receipt.TotalAmt == 214.5 and receipt.DepositToAccountRef.value == "4"
    again = SalesReceipt.get(receipt.Id, qb=qb)
    again.Line[0].Amount = 100  # the stale TotalTax (14.50) rides along and must not stick
    assert again.save(qb=qb).TotalAmt == 107.25
