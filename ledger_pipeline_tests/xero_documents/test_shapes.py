"""shape() and build() on hand-made journal entries: which Xero object each document becomes and what it
carries (amounts as Decimal from minor units, JPY and KWD included; tax as each line's TaxAmount;
discounts as lines of their own; markers where Xero keeps them). No network."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from xero_python.accounting.models import CurrencyCode, LineAmountTypes

from ledger_pipeline.defs.xero import documents, payment_parts
from ledger_pipeline.defs.xero.documents import NotPostable, NotReady, build, shape, spread

MARK = "LPABCD-0123456789ABCD"
INVOICE_ID = "11111111-2222-3333-4444-555555555555"


def test_a_paid_charge_is_receive_money_on_stripe_clearing_with_its_tax_and_discount(books):
    entry = books.entry("sr1", "sales_receipt", [
        books.line("clearing", 9653),
        books.line("revenue", -10000, tax_code="TAX001", item="PLAN-PRO", quantity=4, unit_amount=2500,
                   dimension="Region", option="Europe"),
        books.line("discounts", 1000, tax_code="NONE"),
        books.line("tax", -653, tax_code="TAX001"),
    ], **books.customer("cus_1", "Ada", "ada@example.test"))
    how = shape(entry)
    assert (how.kind, how.head.role, how.reason) == ("BankTransactions", "clearing", "")
    assert [l.role for l in how.lines] == ["revenue", "discounts"] and how.needs_contact
    assert [l.role for l in how.items] == ["revenue"]  # the lines naming an item: master data has to have it

    obj = build(entry, how, MARK, "USD", books.links())
    assert (obj.type, obj.bank_account.code, obj.reference, obj.status) == ("RECEIVE", "091", MARK, "AUTHORISED")
    assert obj.date == books.DAY and obj.line_amount_types == LineAmountTypes.EXCLUSIVE
    sale, discount = obj.line_items
    assert (sale.account_code, sale.line_amount, sale.tax_type, sale.tax_amount) == (
        "200", Decimal("100.00"), "TAX001", Decimal("6.53"))
    assert (sale.quantity, sale.unit_amount, sale.item_code) == (Decimal(4), Decimal("25.00"), "PLAN-PRO")
    assert [(t.name, t.option) for t in sale.tracking] == [("Region", "Europe")]
    assert "sr1" in sale.description  # the first line says which Stripe object it was
    # the discount is a line of its own on the discounts account (DiscountAmount would net it into Sales)
    assert (discount.account_code, discount.line_amount, discount.tax_type, discount.tax_amount) == (
        "260", Decimal("-10.00"), "NONE", Decimal("0.00"))
    total = sum(l.line_amount + l.tax_amount for l in obj.line_items)
    assert total == Decimal("96.53")  # what Stripe Clearing received


def test_an_invoice_in_yen_with_quantities_its_number_and_no_tax(books):
    entry = books.entry("in1", "invoice", [
        books.line("receivables", 4500, role_key="invoice"),
        books.line("revenue", -3000, item="SEAT", quantity=2, unit_amount=1500),
        books.line("revenue", -1500, account="260"),
    ], currency="jpy", number="ACME-0042", due_date=dt.date(2024, 5, 31), **books.customer("cus_2", "Bo"))
    how = shape(entry)
    assert how.kind == "Invoices" and not how.taxes
    obj = build(entry, how, MARK, "USD", books.links())
    assert (obj.type, obj.status, obj.invoice_number, obj.reference) == ("ACCREC", "AUTHORISED", "ACME-0042", MARK)
    assert obj.due_date == dt.date(2024, 5, 31) and obj.line_amount_types == LineAmountTypes.NOTAX
    assert obj.currency_code == CurrencyCode.JPY and obj.currency_rate is None  # Xero's own rate
    seats, other = obj.line_items
    assert (seats.quantity, seats.unit_amount, seats.line_amount, seats.item_code) == (
        Decimal(2), Decimal(1500), Decimal(3000), "SEAT")
    assert (other.quantity, other.unit_amount, other.line_amount, other.item_code) == (
        Decimal(1), Decimal(1500), Decimal(1500), None)


def test_three_decimal_currencies_post_whole_cents_and_refuse_fils_xero_cannot_hold(books):
    lines = [books.line("clearing", 11230), books.line("revenue", -5000, tax_code="OUTPUT"),
             books.line("revenue", -5000, account="260", tax_code="OUTPUT"),
             books.line("tax", -1230, tax_code="OUTPUT")]
    entry = books.entry("kw1", "sales_receipt", lines, currency="kwd")
    how = shape(entry)
    assert sorted(part for _, part, _ in how.taxes) == [610, 620]  # spread in whole cents (10 fils)
    obj = build(entry, how, MARK, "KWD", books.links())
    assert [l.line_amount for l in obj.line_items] == [Decimal("5.000"), Decimal("5.000")]
    assert sum(l.tax_amount for l in obj.line_items) == Decimal("1.230")

    fils = books.entry("kw2", "sales_receipt", [books.line("clearing", 12345), books.line("revenue", -12345)],
                       currency="kwd")
    with pytest.raises(NotPostable, match="12.345 KWD has more decimals than Xero keeps"):
        build(fils, shape(fils), MARK, "KWD", books.links())


def test_the_days_stripe_fees_are_spend_money_to_the_fee_accounts(books):
    entry = books.entry("fees1", "expense", [
        books.line("clearing", -412), books.line("fee", 300, role_key="stripe_fee"),
        books.line("fee", 120, account="404", role_key="payment_method_passthrough_fee"),
        books.line("fee", -8, role_key="stripe_fee", description="Fee refunded"),
    ], counterparty_type="stripe")
    how = shape(entry)
    obj = build(entry, how, MARK, "USD", books.links(party="stripe-contact"))
    assert (obj.type, obj.bank_account.code, obj.contact.contact_id) == ("SPEND", "091", "stripe-contact")
    assert obj.line_amount_types == LineAmountTypes.NOTAX
    assert [(l.account_code, l.line_amount) for l in obj.line_items] == [
        ("405", Decimal("3.00")), ("404", Decimal("1.20")), ("405", Decimal("-0.08"))]


def test_a_refund_with_tax_is_spend_money_and_gives_the_tax_back(books):
    entry = books.entry("re1", "refund_receipt", [
        books.line("clearing", -1083), books.line("refunds", 1000, tax_code="OUTPUT", item="PLAN-PRO"),
        books.line("tax", 83, tax_code="OUTPUT")])
    obj = build(entry, shape(entry), MARK, "USD", books.links())
    (refund,) = obj.line_items
    assert (obj.type, refund.line_amount, refund.tax_type, refund.tax_amount) == (
        "SPEND", Decimal("10.00"), "OUTPUT", Decimal("0.83"))
    assert refund.item_code is None  # items on money paid out would have to be items Xero buys


def test_a_payment_applies_to_its_invoice_once_that_is_in_xero(books):
    entry = books.entry("pay1", "payment", [books.line("clearing", 4500),
                                            books.line("receivables", -4500, role_key="applied")], applies_to="in1")
    how = shape(entry)
    assert how.kind == "Payments" and not how.needs_contact
    with pytest.raises(NotReady, match="the invoice it pays \\(in1\\) is not in Xero yet"):
        build(entry, how, MARK, "USD", books.links())
    obj = build(entry, how, MARK, "USD", books.links(posted={"in1": ("Invoices", INVOICE_ID)}))
    assert (obj.invoice.invoice_id, obj.account.code, obj.amount, obj.reference) == (
        INVOICE_ID, "091", Decimal("45.00"), MARK)


def test_a_payment_that_leaves_credit_is_the_payment_and_an_overpayment(books):
    entry = books.entry("pay2", "payment", [books.line("clearing", 5000),
                                            books.line("receivables", -4500, role_key="applied"),
                                            books.line("receivables", -500, role_key="unapplied")],
                        applies_to="in1", **books.customer("cus_2", "Bo"))
    # as one object it would be a manual journal on receivables and the bank, which Xero refuses: it says why
    assert shape(entry).kind == "ManualJournals" and "settles its invoice only" in shape(entry).reason
    payment, credit = payment_parts.split(entry)
    assert (payment.entry_key, credit.entry_key) == ("pay2", "pay2#overpayment")
    assert [(l.role, l.amount) for l in payment.lines] == [("clearing", 4500), ("receivables", -4500)]
    assert [(l.role, l.amount) for l in credit.lines] == [("clearing", 500), ("receivables", -500)]
    assert payment.record_hash == credit.record_hash == entry.record_hash  # one change of the entry moves both

    links = books.links(posted={"in1": ("Invoices", INVOICE_ID)})
    paid = build(payment, shape(payment), MARK, "USD", links)
    assert (paid.invoice.invoice_id, paid.account.code, paid.amount) == (INVOICE_ID, "091", Decimal("45.00"))
    how = shape(credit)
    assert (how.kind, how.overpayment, how.reason, how.needs_contact) == ("BankTransactions", True, "", True)
    over = build(credit, how, MARK, "USD", links)
    assert (over.type, over.bank_account.code, over.contact.contact_id, over.reference) == (
        "RECEIVE-OVERPAYMENT", "091", "00000000-0000-0000-0000-00000000c0de", MARK)
    assert over.line_amount_types == LineAmountTypes.NOTAX
    assert [(l.account_code, l.line_amount) for l in over.line_items] == [(None, Decimal("5.00"))]  # Xero: to A/R


@pytest.mark.parametrize("difference, kind, amount", [(329, "SPEND", "3.29"), (-164, "RECEIVE", "1.64")])
def test_an_exchange_difference_is_spend_or_receive_money_on_the_gain_or_loss_account(books, difference, kind,
                                                                                      amount):
    # the invoice booked 288.36 (EUR at the mapping's rate); Stripe's conversion paid 288.36 - difference
    entry = books.entry("pay3", "payment", [books.line("clearing", 28836 - difference),
                                            books.line("receivables", -28836, role_key="applied"),
                                            books.line("exchange_gain_loss", difference, account="499")],
                        applies_to="in1", **books.customer("cus_2", "Bo"))
    payment, exchange = payment_parts.split(entry)
    assert exchange.entry_key == "pay3#exchange_difference"
    assert payment_parts.record_lines("pay3#exchange_difference", entry.lines) == exchange.lines
    links = books.links(posted={"in1": ("Invoices", INVOICE_ID)})
    assert build(payment, shape(payment), MARK, "USD", links).amount == Decimal("288.36")  # the invoice is paid
    how = shape(exchange)
    assert (how.kind, how.head.role, how.reason) == ("BankTransactions", "clearing", "")
    obj = build(exchange, how, MARK, "USD", links)
    assert (obj.type, obj.bank_account.code, obj.line_amount_types) == (kind, "091", LineAmountTypes.NOTAX)
    assert [(l.account_code, l.line_amount) for l in obj.line_items] == [("499", Decimal(amount))]
    # the books: clearing moves by what Stripe paid, receivables by the invoice, 499 by the difference
    assert sum(l.amount for piece in (payment, exchange) for l in piece.lines if l.role == "clearing") == (
        28836 - difference)


def test_payments_that_are_one_object_are_not_split(books):
    plain = books.entry("pay4", "payment", [books.line("clearing", 4500),
                                            books.line("receivables", -4500, role_key="applied")])
    all_credit = books.entry("pay5", "payment", [books.line("clearing", 700),
                                                 books.line("receivables", -700, role_key="unapplied")],
                             **books.customer("cus_2", "Bo"))
    assert payment_parts.split(plain) == [plain] and payment_parts.split(all_credit) == [all_credit]
    how = shape(all_credit)  # the invoice owed nothing more: all of it is the customer's credit
    assert (how.kind, how.overpayment) == ("BankTransactions", True)
    assert build(all_credit, how, MARK, "USD", books.links()).type == "RECEIVE-OVERPAYMENT"


def test_a_credit_note_credits_receivables_and_is_allocated_to_its_invoice(books):
    entry = books.entry("cn1", "credit_note", [
        books.line("receivables", -1083), books.line("refunds", 1000, tax_code="OUTPUT"),
        books.line("tax", 83, tax_code="OUTPUT")], applies_to="in1", number="CN-7", **books.customer("cus_2", "Bo"))
    how = shape(entry)
    obj = build(entry, how, MARK, "USD", books.links())
    assert (obj.type, obj.credit_note_number, obj.reference, obj.status) == ("ACCRECCREDIT", "CN-7", MARK, "AUTHORISED")
    assert [(l.line_amount, l.tax_amount) for l in obj.line_items] == [(Decimal("10.00"), Decimal("0.83"))]
    assert documents.allocation(entry, how, books.links()) is None  # the invoice is not in Xero
    allocation = documents.allocation(entry, how, books.links(posted={"in1": ("Invoices", INVOICE_ID)}))
    assert (allocation.invoice.invoice_id, allocation.amount, allocation.date) == (INVOICE_ID, Decimal("10.83"),
                                                                                  books.DAY)
    refunded = books.entry("cn2", "credit_note", [books.line("clearing", -1000), books.line("refunds", 1000)])
    assert (shape(refunded).kind, build(refunded, shape(refunded), MARK, "USD", books.links()).type) == (
        "BankTransactions", "SPEND")  # refunded in cash: spend money


def test_a_payout_is_a_bank_transfer_and_a_move_to_the_reserve_is_spend_money(books):
    payout = books.entry("po1", "transfer", [books.line("bank", 9000), books.line("clearing", -9000)])
    obj = build(payout, shape(payout), MARK, "USD", books.links(party=None))
    assert (obj.from_bank_account.code, obj.to_bank_account.code, obj.amount, obj.reference) == (
        "091", "090", Decimal("90.00"), MARK)
    reserve = books.entry("rs1", "transfer", [books.line("reserves", 700), books.line("clearing", -700)])
    how = shape(reserve)
    assert how.kind == "BankTransactions" and "from one bank account to another" in how.reason
    assert build(reserve, how, MARK, "USD", books.links()).line_items[0].account_code == "094"


def test_journal_entries_are_bank_transactions_on_their_one_bank_line_else_manual_journals(books):
    opening = books.entry("ob1", "journal_entry", [books.line("clearing", 152033),
                                                   books.line("opening_balance_equity", -152033)])
    how = shape(opening)
    assert (how.kind, how.reason) == ("BankTransactions", "")  # Xero takes no manual journal on a bank account
    assert build(opening, how, MARK, "USD", books.links()).type == "RECEIVE"
    nothing_banked = books.entry("je1", "journal_entry", [books.line("fee", 500), books.line("disputes", -500)])
    assert (shape(nothing_banked).kind, shape(nothing_banked).reason) == ("ManualJournals", "")
    foreign = books.entry("je2", "journal_entry", [books.line("fee", 500), books.line("disputes", -500)],
                          currency="eur")
    with pytest.raises(NotPostable, match="manual journals in the base currency only"):
        build(foreign, shape(foreign), MARK, "USD", books.links())


def test_the_charts_own_bank_accounts_decide_when_given(books):
    entry = books.entry("sr2", "sales_receipt", [books.line("clearing", 1000), books.line("revenue", -1000)])
    assert shape(entry, bank_accounts={"090", "091"}).kind == "BankTransactions"
    # Stripe Clearing kept as a current asset: no bank account to receive into, so a manual journal
    how = shape(entry, bank_accounts={"090"})
    assert how.kind == "ManualJournals" and "bank-account line" in how.reason
    accounts = [type("A", (), {"code": "090", "type": "BANK"}), type("A", (), {"code": "200", "type": "REVENUE"})]
    assert documents.bank_account_codes(accounts) == {"090"}


def test_a_foreign_currency_document_carries_its_currency_and_the_rate_given(books):
    entry = books.entry("eu1", "sales_receipt", [books.line("clearing", 1000, account="097"),
                                                 books.line("revenue", -1000)], currency="eur")
    obj = build(entry, shape(entry, {"097"}), MARK, "USD", books.links(rate=Decimal("0.92")))
    assert (obj.currency_code, obj.currency_rate, obj.bank_account.code) == (CurrencyCode.EUR, Decimal("0.92"), "097")


def test_tax_on_the_wrong_side_or_without_a_line_to_carry_it_does_not_fit(books):
    wrong = books.entry("sr3", "sales_receipt", [books.line("clearing", 900), books.line("revenue", -1000),
                                                 books.line("tax", 100, tax_code="OUTPUT")])
    assert "tax on the wrong side" in shape(wrong).reason and shape(wrong).kind == "ManualJournals"
    # a tax code no line carries: the sales lines carry it (one of them taxless until now)
    other = books.entry("sr4", "sales_receipt", [books.line("clearing", 1100), books.line("revenue", -1000),
                                                 books.line("tax", -100, tax_code="TAX001")])
    how = shape(other)
    obj = build(other, how, MARK, "USD", books.links())
    assert (obj.line_items[0].tax_type, obj.line_items[0].tax_amount) == ("TAX001", Decimal("1.00"))


def test_a_document_needs_its_contact(books):
    entry = books.entry("sr5", "sales_receipt", [books.line("clearing", 1000), books.line("revenue", -1000)])
    with pytest.raises(NotReady, match="Xero needs a contact on BankTransactions"):
        build(entry, shape(entry), MARK, "USD", books.links(party=None))


@pytest.mark.parametrize("total, weights, step, shares", [
    (100, [1, 1, 1], 1, [34, 33, 33]),
    (653, [10000], 1, [653]),
    (1235, [5000, 5000], 10, [625, 610]),    # the odd fils to the heaviest (first) line
    (7, [3, 1], 1, [5, 2]),
])
def test_spread_keeps_every_minor_unit(total, weights, step, shares):
    assert spread(total, weights, step) == shares and sum(shares) == total
