"""QuickBooks' business rules: balanced journals, live references, currency, account types, amounts."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from quickbooks.exceptions import ObjectNotFoundException, QuickbooksException, ValidationException
from quickbooks.objects import Account, Customer, Deposit, JournalEntry
from quickbooks.objects.deposit import DepositLine, DepositLineDetail
from quickbooks.objects.preferences import Preferences


def test_unbalanced_journal_entry_is_refused(qb, h, sandbox):
    with pytest.raises(QuickbooksException) as err:
        h.journal([("3", "Debit", 97.10), ("31", "Debit", 2.90), ("20", "Credit", 100.01)]).save(qb=qb)
    assert type(err.value) is QuickbooksException and err.value.error_code == 6000
    assert "balance debits and credits" in err.value.detail
    assert JournalEntry.count(qb=qb) == 0 and sandbox.trial_balance(h.US) == {}


def test_unknown_and_inactive_account_refs(qb, h):
    with pytest.raises(ValidationException) as err:
        h.journal([("999", "Debit", 1), ("20", "Credit", 1)]).save(qb=qb)
    assert err.value.error_code == 2500 and err.value.message == "Invalid Reference Id"

    rounding = Account.get(38, qb=qb)
    rounding.Active = False
    rounding.save(qb=qb)
    with pytest.raises(ObjectNotFoundException) as err:
        h.journal([("38", "Debit", 1), ("20", "Credit", 1)]).save(qb=qb)
    assert err.value.error_code == 610
    assert Account.count("Id = '38'", qb=qb) == 0 and Account.count("Id = '38' AND Active = false", qb=qb) == 1


def test_receivable_lines_need_a_customer(qb, h):
    with pytest.raises(QuickbooksException) as err:
        h.journal([("5", "Debit", 10), ("20", "Credit", 10)]).save(qb=qb)
    assert err.value.error_code == 6000 and "Accounts Receivable" in err.value.detail
    customer = Customer()
    customer.DisplayName = "Owes Us"
    customer = customer.save(qb=qb)
    h.journal([("5", "Debit", 10, customer.Id), ("20", "Credit", 10)]).save(qb=qb)
    assert Customer.get(customer.Id, qb=qb).Balance == 10


def test_sub_cent_amounts_and_negative_lines_are_refused(qb, h):
    with pytest.raises(QuickbooksException) as err:
        h.journal([("1", "Debit", 1.005), ("20", "Credit", 1.005)]).save(qb=qb)
    assert err.value.error_code == 6000 and "decimal places" in err.value.detail
    with pytest.raises(QuickbooksException):
        h.journal([("1", "Debit", -5), ("20", "Debit", 5)]).save(qb=qb)


def test_foreign_currency_refused_without_multicurrency(qb, h):
    with pytest.raises(QuickbooksException) as err:
        h.journal([("3", "Debit", 50), ("20", "Credit", 50)], currency="EUR", rate=1.1).save(qb=qb)
    assert err.value.error_code == 6000 and "multicurrency is not turned on" in err.value.detail


def test_foreign_currency_accepted_with_multicurrency(qb_multi, h, sandbox):
    saved = h.journal([("50", "Debit", 50), ("20", "Credit", 50)], currency="EUR", rate=1.1).save(qb=qb_multi)
    assert saved.CurrencyRef.value == "EUR" and saved.ExchangeRate == 1.1 and saved.TotalAmt == 50
    raw = qb_multi.get_single_object("JournalEntry", saved.Id)["JournalEntry"]
    assert raw["HomeTotalAmt"] == 55.0
    assert sandbox.trial_balance(h.MULTI) == {"50": Decimal("55.00"), "20": Decimal("-55.00")}
    assert Account.get(50, qb=qb_multi).CurrentBalance == 50  # in the account's own currency (EUR)
    # no ExchangeRate sent: the company's rate for the currency applies
    defaulted = h.journal([("51", "Debit", 10), ("24", "Credit", 10)], currency="GBP").save(qb=qb_multi)
    assert defaulted.ExchangeRate == 1.27
    # a EUR account can't carry a USD or GBP transaction
    with pytest.raises(QuickbooksException) as err:
        h.journal([("50", "Debit", 5), ("20", "Credit", 5)]).save(qb=qb_multi)
    assert "home currency or the transaction currency" in err.value.detail
    with pytest.raises(ValidationException):  # JPY is not one of the company's currencies
        h.journal([("1", "Debit", 5), ("20", "Credit", 5)], currency="JPY", rate=0.007).save(qb=qb_multi)


def test_multicurrency_cannot_be_turned_off(qb_multi):
    prefs = Preferences.get(qb=qb_multi)
    prefs.CurrencyPrefs.MultiCurrencyEnabled = False
    with pytest.raises(QuickbooksException) as err:
        prefs.save(qb=qb_multi)
    assert err.value.error_code == 6000


def test_deposit_must_go_to_a_bank_account(qb, h):
    deposit = Deposit()
    deposit.DepositToAccountRef = h.ref("31")  # Stripe Fees, an expense account
    line = DepositLine()
    line.Amount = 20
    line.DepositLineDetail = DepositLineDetail()
    line.DepositLineDetail.AccountRef = h.ref("24")
    deposit.Line.append(line)
    with pytest.raises(QuickbooksException) as err:
        deposit.save(qb=qb)
    assert err.value.error_code == 6000 and "bank" in err.value.detail
    deposit.DepositToAccountRef = h.ref("1")
    fee = DepositLine()
    fee.Amount = -0.9  # a negative line books a fee against the deposit
    fee.DepositLineDetail = DepositLineDetail()
    fee.DepositLineDetail.AccountRef = h.ref("31")
    deposit.Line.append(fee)
    assert deposit.save(qb=qb).TotalAmt == 19.1


def test_bad_queries_and_bodies(qb):
    with pytest.raises(ValidationException) as err:
        qb.query("SELECT * FROM Customer WHERE")
    assert err.value.error_code == 4000
    with pytest.raises(ValidationException) as err:
        qb.query("SELECT * FROM Nonsense")
    assert err.value.error_code == 4001
    with pytest.raises(ValidationException) as err:
        qb.query("SELECT * FROM Customer WHERE DisplayName = 'a' OR DisplayName = 'b'")
    with pytest.raises(ValidationException) as err:
        qb.create_object("Customer", "{not json")
    assert err.value.error_code == 2010
    with pytest.raises(QuickbooksException) as err:
        qb.create_object("JournalEntry", json.dumps({"Line": [{"Amount": 1, "DetailType": "JournalEntryLineDetail",
                                                              "JournalEntryLineDetail": {"AccountRef": {"value": "1"}}}]}))
    assert err.value.error_code == 2020  # PostingType missing


def test_foreign_invoice_paid_at_another_rate_books_the_exchange_difference(qb_multi, h, sandbox):
    from quickbooks.objects import Invoice, Payment
    from quickbooks.objects.detailline import SalesItemLine, SalesItemLineDetail
    from quickbooks.objects.payment import PaymentLine

    customer = Customer()
    customer.DisplayName = "Euro GmbH"
    customer.CurrencyRef = h.ref("EUR")
    customer = customer.save(qb=qb_multi)
    invoice = Invoice()
    invoice.CustomerRef, invoice.CurrencyRef, invoice.ExchangeRate = customer.to_ref(), h.ref("EUR"), 1.1
    line = SalesItemLine()
    line.Amount = 100
    line.SalesItemLineDetail = SalesItemLineDetail()
    line.SalesItemLineDetail.ItemRef = h.ref("1")
    invoice.Line = [line]
    invoice = invoice.save(qb=qb_multi)
    assert sandbox.trial_balance(h.MULTI) == {"53": Decimal("110.00"), "21": Decimal("-110.00")}

    with pytest.raises(QuickbooksException):  # a USD payment can't settle a EUR invoice
        usd = Payment()
        usd.CustomerRef, usd.TotalAmt = customer.to_ref(), 100
        usd.save(qb=qb_multi)
    payment = Payment()
    payment.CustomerRef, payment.CurrencyRef, payment.ExchangeRate = customer.to_ref(), h.ref("EUR"), 1.2
    payment.TotalAmt, payment.DepositToAccountRef = 100, h.ref("50")
    applied = PaymentLine()
    applied.Amount = 100
    applied.LinkedTxn.append(invoice.to_linked_txn())
    payment.Line.append(applied)
    payment.save(qb=qb_multi)
    # A/R (EUR) is cleared at the invoice's rate; the 10.00 difference is a realized exchange gain
    assert sandbox.trial_balance(h.MULTI) == {"50": Decimal("120.00"), "21": Decimal("-110.00"),
                                              "37": Decimal("-10.00")}
    assert Customer.get(customer.Id, qb=qb_multi).Balance == 0
