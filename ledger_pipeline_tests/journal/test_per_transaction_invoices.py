"""Per-transaction documents for Stripe invoices and credit notes, computed by hand: the invoice at
finalisation (Dr A/R, Cr sales and tax), a payment per charge (Dr Stripe Clearing, Cr A/R), overpayments,
$0 and voided invoices, credit notes and Stripe Tax. Accounts as in test_per_transaction.
"""

from __future__ import annotations

from .conftest import at
from .test_per_transaction import PT, PT_MAPPING, assert_all_checks_pass, customer, document, per_transaction, shown


def _catalog(ledger):
    ledger.product("prod_pro", "Ledger Pro")
    ledger.product("prod_st", "Sticker pack")
    ledger.price("price_pro", "prod_pro", lookup_key="pro_monthly")
    ledger.price("price_st", "prod_st", lookup_key="stickers")
    ledger.tax_rate("txr_ca", display_name="Sales Tax", jurisdiction="CA - CALIFORNIA", percentage="7.25")
    customer(ledger, "cus_ada", "Ada Lovelace", "ada@example.com")


def _issue(ledger, invoice, number, finalized, **changes):
    """The Stripe invoice as finalised: its number, customer and finalisation time (and any other field)."""
    fields = {"number": number, "customer": "cus_ada", "finalized_at": at(finalized), **changes}
    ledger.conn.execute(f"UPDATE staging.invoices SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
                        [*fields.values(), invoice])


def _pro_and_stickers(ledger, payment_intents, invoice="in_1", status="paid"):
    # Ledger Pro $100.00 and four sticker packs $20.00; 10% off; California tax 7.25% on the discounted
    # amounts: 9000 x 7.25% = 652.5 -> 653, 1800 x 7.25% = 130.5 -> 131. Total 12000 - 1200 + 784 = 11584.
    ledger.invoice(invoice, created="2026-10-01 07:00", payment_intents=payment_intents, status=status, lines=[
        {"id": "il_pro", "price": "price_pro", "product": "prod_pro", "amount": 10000, "discount": 1000,
         "taxes": [("txr_ca", 653, False)]},
        {"id": "il_st", "price": "price_st", "product": "prod_st", "quantity": 4, "amount": 2000, "discount": 200,
         "taxes": [("txr_ca", 131, False)]},
    ])
    _issue(ledger, invoice, "INV-0001", "2026-10-01 08:00")


INVOICE_LINES = [
    ("5", 11584, 0, "Invoiced to the customer"),
    ("21", 0, 10000, "Sales – Ledger Pro"),
    ("20", 0, 2000, "Sales – Sticker pack"),
    ("23", 1000, 0, "Discounts – Ledger Pro"),
    ("23", 200, 0, "Discounts – Sticker pack"),
    ("12", 0, 784, "Sales tax – Sales Tax (CA - CALIFORNIA)"),
]


def test_invoice_with_discount_and_tax_paid_in_two_partial_payments(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    _pro_and_stickers(ledger, ["pi_1", "pi_2"])
    # 40% paid on the 2nd ($46.33, fee $1.64), the rest ($69.51, fee $2.32) a week later
    ledger.charge("ch_1", 4633, payment_intent="pi_1", created="2026-10-02 10:00")
    ledger.bt("txn_1", "charge", 4633, fees=[("stripe_fee", 164)], created="2026-10-02 10:00", source="ch_1")
    ledger.book("2026-10-02")
    ledger.charge("ch_2", 6951, payment_intent="pi_2", created="2026-10-09 10:00")
    ledger.bt("txn_2", "charge", 6951, fees=[("stripe_fee", 232)], created="2026-10-09 10:00", source="ch_2")
    ledger.book("2026-10-09")

    # the invoice as Stripe finalised it, on the 1st: the receivable, sales per line, discounts, tax
    assert ledger.lines(f"{PT}/invoice/in_1") == INVOICE_LINES
    assert shown(ledger, f"{PT}/invoice/in_1", "quantity", "unit_amount", "item_ref", "tax_code_ref", "product_id") == [
        (None, None, None, None, None),
        (1, 10000, "3", "TAX", "prod_pro"),
        (4, 500, "2", "TAX", "prod_st"),
        (None, None, "3", "TAX", "prod_pro"),     # a discount keeps its product's item
        (None, None, "2", "TAX", "prod_st"),
        (None, None, None, "TAX", None),
    ]
    assert ledger.conn.execute(
        "SELECT line_no, source_line_id, price_id, discount_amount FROM journal.document_lines WHERE entry_key = ? "
        "ORDER BY line_no", [f"{PT}/invoice/in_1"]).fetchall() == [
        (2, "il_pro", "price_pro", 0), (3, "il_st", "price_st", 0), (4, "il_pro", "price_pro", 0),
        (5, "il_st", "price_st", 0)]
    invoice = document(ledger, f"{PT}/invoice/in_1")
    assert {k: invoice[k] for k in ("document_type", "entry_date", "status", "number", "reference", "counterparty",
                                    "counterparty_name", "counterparty_email", "memo", "source_count")} == {
        "document_type": "invoice", "entry_date": "2026-10-01", "status": "paid", "number": "INV-0001",
        "reference": "INV-0001", "counterparty": "cus_ada", "counterparty_name": "Ada Lovelace",
        "counterparty_email": "ada@example.com", "memo": "Invoice INV-0001 – Ada Lovelace", "source_count": 0}
    # no balance transaction behind it: its lines trace to the invoice itself
    assert {c for _, bt, c, _ in ledger.sources(f"{PT}/invoice/in_1")} == {"document"}

    # each payment settles part of the receivable; its fee is its own expense
    assert ledger.lines(f"{PT}/payment/ch_1") == [
        ("3", 4633, 0, "Deposited to Stripe Clearing"),
        ("5", 0, 4633, "Paid against the invoice"),
    ]
    assert ledger.lines(f"{PT}/payment/ch_2") == [
        ("3", 6951, 0, "Deposited to Stripe Clearing"),
        ("5", 0, 6951, "Paid against the invoice"),
    ]
    assert ledger.lines(f"{PT}/daily_stripe_fees/usd/2026-10-09") == [
        ("3", 0, 232, "Paid from Stripe Clearing"),
        ("31", 232, 0, "Stripe processing fees"),
    ]
    payment = document(ledger, f"{PT}/payment/ch_2")
    assert (payment["document_type"], payment["applies_to"], payment["counterparty"], payment["memo"]) == (
        "payment", f"{PT}/invoice/in_1", "cus_ada", "Payment of invoice INV-0001 by ch_2 – Ada Lovelace")
    # A/R over the three documents: 11584 - 4633 - 6951 = 0
    assert ledger.conn.execute("SELECT sum(debit) - sum(credit) FROM journal.lines WHERE account_ref = '5'"
                               ).fetchone() == (0,)
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-02", "2026-10-09")


def test_overpayment_becomes_customer_credit(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    # a $50.00 invoice (no tax) paid $30.00, then $30.00 again: the second payment owes only $20.00 of it
    ledger.invoice("in_2", created="2026-10-01 07:00", payment_intents=["pi_a", "pi_b"], status="paid", lines=[
        {"id": "il_1", "price": "price_st", "product": "prod_st", "quantity": 10, "amount": 5000}])
    _issue(ledger, "in_2", "INV-0002", "2026-10-01 08:00")
    ledger.charge("ch_a", 3000, payment_intent="pi_a", created="2026-10-02 10:00")
    ledger.bt("txn_a", "charge", 3000, fees=[("stripe_fee", 117)], created="2026-10-02 10:00", source="ch_a")
    ledger.charge("ch_b", 3000, payment_intent="pi_b", created="2026-10-03 10:00")
    ledger.bt("txn_b", "charge", 3000, fees=[("stripe_fee", 117)], created="2026-10-03 10:00", source="ch_b")
    ledger.book("2026-10-03")

    assert ledger.lines(f"{PT}/invoice/in_2") == [
        ("5", 5000, 0, "Invoiced to the customer"),
        ("20", 0, 5000, "Sales – Sticker pack"),
    ]
    assert shown(ledger, f"{PT}/invoice/in_2", "quantity", "unit_amount", "tax_code_ref") == [
        (None, None, None), (10, 500, "NON")]
    assert ledger.lines(f"{PT}/payment/ch_a") == [
        ("3", 3000, 0, "Deposited to Stripe Clearing"),
        ("5", 0, 3000, "Paid against the invoice"),
    ]
    # the $10.00 beyond the invoice stays on the customer's A/R as a credit (QuickBooks: unapplied payment,
    # Xero: overpayment), on a line of its own
    assert ledger.lines(f"{PT}/payment/ch_b") == [
        ("3", 3000, 0, "Deposited to Stripe Clearing"),
        ("5", 0, 2000, "Paid against the invoice"),
        ("5", 0, 1000, "Unapplied: customer credit beyond what the invoice owed"),
    ]
    assert shown(ledger, f"{PT}/payment/ch_b", "role_key") == [("usd",), ("applied",), ("unapplied",)]
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-02", "2026-10-03")


def test_zero_invoice_is_a_document_without_money(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    # a $10.00 sticker order with a 100%-off coupon: total $0.00, "paid" without any charge
    ledger.invoice("in_0", created="2026-10-01 07:00", payment_intents=[], lines=[
        {"id": "il_0", "product": "prod_st", "amount": 1000, "discount": 1000}])
    _issue(ledger, "in_0", "INV-0000", "2026-10-01 08:00")
    ledger.book("2026-10-01")
    assert ledger.entry_keys() == [f"{PT}/invoice/in_0"]
    assert ledger.lines(f"{PT}/invoice/in_0") == [
        ("5", 0, 0, "Invoiced to the customer"),
        ("20", 0, 1000, "Sales – Sticker pack"),
        ("23", 1000, 0, "Discounts – Sticker pack"),
    ]
    zero = document(ledger, f"{PT}/invoice/in_0")
    assert (zero["status"], zero["total_debit"], zero["total_credit"], zero["source_count"]) == ("paid", 1000, 1000, 0)
    assert ledger.quarantined() == []
    assert_all_checks_pass(ledger, "2026-10-01")


def test_voided_invoice_is_reversed_on_the_day_it_was_voided(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    _pro_and_stickers(ledger, [], invoice="in_v", status="open")
    ledger.book("2026-10-01")
    assert ledger.lines(f"{PT}/invoice/in_v") == INVOICE_LINES
    assert document(ledger, f"{PT}/invoice/in_v")["status"] == "open"
    posted = ledger.entry(f"{PT}/invoice/in_v")["content_hash"]

    # never paid; voided on the 5th: a void document reverses every line, the invoice itself stays as posted
    _issue(ledger, "in_v", "INV-0001", "2026-10-01 08:00", status="void", voided_at=at("2026-10-05 12:00"))
    ledger.book("2026-10-05")
    assert ledger.entry_keys() == [f"{PT}/invoice/in_v", f"{PT}/invoice_void/in_v"]
    assert ledger.lines(f"{PT}/invoice_void/in_v") == [
        ("5", 0, 11584, "Invoiced to the customer"),
        ("21", 10000, 0, "Sales – Ledger Pro"),
        ("20", 2000, 0, "Sales – Sticker pack"),
        ("23", 0, 1000, "Discounts – Ledger Pro"),
        ("23", 0, 200, "Discounts – Sticker pack"),
        ("12", 784, 0, "Sales tax – Sales Tax (CA - CALIFORNIA)"),
    ]
    void = document(ledger, f"{PT}/invoice_void/in_v")
    assert (void["document_type"], void["entry_date"], void["status"], void["applies_to"], void["group_key"]) == (
        "invoice", "2026-10-05", "void", f"{PT}/invoice/in_v", f"{PT}/invoice/in_v")
    invoice = document(ledger, f"{PT}/invoice/in_v")
    assert (invoice["status"], invoice["content_hash"]) == ("void", posted)   # status follows Stripe's
    assert ledger.conn.execute("SELECT sum(debit) - sum(credit) FROM journal.lines WHERE account_ref = '5'"
                               ).fetchone() == (0,)
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-05")


def test_uncollectible_invoice_keeps_its_receivable(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    _pro_and_stickers(ledger, [], invoice="in_u", status="open")
    ledger.book("2026-10-01")
    # Stripe gave up collecting: the status changes, the receivable stays for the accountant to write off
    _issue(ledger, "in_u", "INV-0001", "2026-10-01 08:00", status="uncollectible",
           marked_uncollectible_at=at("2026-10-20 09:00"))
    ledger.book("2026-10-20")
    assert ledger.entry_keys() == [f"{PT}/invoice/in_u"]
    assert document(ledger, f"{PT}/invoice/in_u")["status"] == "uncollectible"
    assert ledger.lines(f"{PT}/invoice/in_u") == INVOICE_LINES


def test_stripe_tax_is_a_liability_and_its_fee_an_expense(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    ledger.tax_rate("txr_auto_ca", display_name="Sales Tax", jurisdiction="CA - CALIFORNIA", percentage="7.25")
    # Stripe Tax computed California tax on a $100.00 subscription: $7.25, exclusive
    ledger.invoice("in_1", created="2026-10-01 07:00", payment_intents=["pi_1"], lines=[
        {"id": "il_1", "product": "prod_pro", "amount": 10000, "taxes": [("txr_auto_ca", 725, False)]}])
    _issue(ledger, "in_1", "INV-0003", "2026-10-01 08:00")
    ledger.charge("ch_1", 10725, payment_intent="pi_1", created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10725, fees=[("stripe_fee", 341)], created="2026-10-01 09:00", source="ch_1")
    # ... and Stripe charges for Stripe Tax on its own
    ledger.bt("txn_taxfee", "tax_fee", -50, category="fee", created="2026-10-02 00:10",
              description="Stripe Tax fee (2026-10-01)", available_on="2026-10-02 00:10")
    ledger.book("2026-10-02")

    assert ledger.lines(f"{PT}/invoice/in_1") == [
        ("5", 10725, 0, "Invoiced to the customer"),
        ("21", 0, 10000, "Sales – Ledger Pro"),
        ("12", 0, 725, "Sales tax – Sales Tax (CA - CALIFORNIA)"),
    ]
    assert shown(ledger, f"{PT}/invoice/in_1", "role", "tax_rate_id", "tax_code_ref") == [
        ("receivables", None, None), ("revenue", None, "TAX"), ("tax", "txr_auto_ca", "TAX")]
    assert ledger.lines(f"{PT}/payment/ch_1") == [
        ("3", 10725, 0, "Deposited to Stripe Clearing"),
        ("5", 0, 10725, "Paid against the invoice"),
    ]
    assert ledger.lines(f"{PT}/stripe_fee/txn_taxfee") == [
        ("3", 0, 50, "Paid from Stripe Clearing"),
        ("31", 50, 0, "Stripe Tax fees"),
    ]
    fee = document(ledger, f"{PT}/stripe_fee/txn_taxfee")
    assert (fee["document_type"], fee["counterparty"], fee["memo"], fee["entry_date"]) == (
        "expense", "stripe", "Stripe Tax fee (2026-10-01)", "2026-10-02")
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-02")


def _paid_pro_and_stickers(ledger):
    # $100.00 Pro + $20.00 stickers, 7.25% each: $7.25 and $1.45; $128.70 paid in full (fee $4.03)
    ledger.invoice("in_1", created="2026-10-01 07:00", payment_intents=["pi_1"], lines=[
        {"id": "il_pro", "product": "prod_pro", "amount": 10000, "taxes": [("txr_ca", 725, False)]},
        {"id": "il_st", "product": "prod_st", "amount": 2000, "taxes": [("txr_ca", 145, False)]}])
    _issue(ledger, "in_1", "INV-0004", "2026-10-01 08:00")
    ledger.charge("ch_1", 12870, payment_intent="pi_1", created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 12870, fees=[("stripe_fee", 403)], created="2026-10-01 09:00", source="ch_1")


def test_credit_note_refunded_to_the_card(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    _paid_pro_and_stickers(ledger)
    # the stickers never shipped: a credit note for that line, $20.00 and its $1.45 tax, refunded to the card
    ledger.refund("re_1", "ch_1", 2145, created="2026-10-05 10:00")
    ledger.credit_note("cn_1", "in_1", created="2026-10-05 10:00", refund="re_1", lines=[
        {"id": "cnli_1", "invoice_line_item": "il_st", "amount": 2000, "taxes": [("txr_ca", 145, False)]}])
    ledger.conn.execute("UPDATE staging.credit_notes SET number = 'CN-0001' WHERE id = 'cn_1'")
    ledger.bt("txn_re", "refund", -2145, created="2026-10-05 10:00", source="re_1")
    ledger.book("2026-10-05")

    note = f"{PT}/credit_note/cn_1"
    assert ledger.lines(note) == [
        ("3", 0, 2145, "Paid from Stripe Clearing"),
        ("23", 2000, 0, "Refunds – Sticker pack"),
        ("12", 145, 0, "Sales tax refunded – Sales Tax (CA - CALIFORNIA)"),
    ]
    assert shown(ledger, note, "item_ref", "tax_code_ref") == [(None, None), ("2", "TAX"), (None, "TAX")]
    assert ledger.sources(note) == [
        (1, "txn_re", "net", -2145), (2, "txn_re", "gross", 2000), (3, "txn_re", "gross", 145)]
    info = document(ledger, note)
    assert (info["document_type"], info["number"], info["applies_to"], info["entry_date"], info["status"]) == (
        "credit_note", "CN-0001", f"{PT}/invoice/in_1", "2026-10-05", "issued")
    assert ledger.bookings()["txn_re"] == ("booked", note)
    assert f"{PT}/refund_receipt/re_1" not in ledger.entry_keys()
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-05")


def test_credit_note_partly_refunded_credits_the_rest_to_the_customer(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    _paid_pro_and_stickers(ledger)
    # the same $21.45 credit note, but only $10.00 goes back to the card; $11.45 stays as the customer's credit.
    # The refund's $10.00 splits over the note's lines, each taking what the lines so far cover, half up:
    #   refunds 2000 x 1000/2145 = 932.40 -> 932; tax: 1000 - 932 = 68.
    ledger.refund("re_1", "ch_1", 1000, created="2026-10-05 10:00")
    ledger.credit_note("cn_1", "in_1", created="2026-10-05 10:00", refund="re_1", lines=[
        {"id": "cnli_1", "invoice_line_item": "il_st", "amount": 2000, "taxes": [("txr_ca", 145, False)]}])
    ledger.bt("txn_re", "refund", -1000, created="2026-10-05 10:00", source="re_1")
    ledger.book("2026-10-05")

    note = f"{PT}/credit_note/cn_1"
    assert ledger.lines(note) == [
        ("3", 0, 1000, "Paid from Stripe Clearing"),
        ("5", 0, 1145, "Credited to the customer's account"),
        ("23", 2000, 0, "Refunds – Sticker pack"),
        ("12", 145, 0, "Sales tax refunded – Sales Tax (CA - CALIFORNIA)"),
    ]
    # the refund traces its own part of each line; the rest is the credit note's
    assert ledger.sources(note) == [
        (1, "txn_re", "net", -1000), (2, None, "document", -1145),
        (3, "txn_re", "gross", 932), (3, None, "document", 1068),
        (4, "txn_re", "gross", 68), (4, None, "document", 77)]
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-05")


def test_refund_of_an_invoice_without_credit_note_splits_like_the_invoice(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    ledger.invoice("in_1", created="2026-10-01 07:00", payment_intents=["pi_1"], lines=[
        {"id": "il_pro", "product": "prod_pro", "amount": 10000, "taxes": [("txr_ca", 725, False)]}])
    _issue(ledger, "in_1", "INV-0005", "2026-10-01 08:00")
    ledger.charge("ch_1", 10725, payment_intent="pi_1", created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10725, fees=[("stripe_fee", 341)], created="2026-10-01 09:00", source="ch_1")
    # half refunded from the dashboard: $53.62 -> Ledger Pro 10000 x 5362/10725 = 4999.53 -> 5000, tax 362
    ledger.refund("re_1", "ch_1", 5362, created="2026-10-01 12:00")
    ledger.bt("txn_re", "refund", -5362, created="2026-10-01 12:00", source="re_1")
    ledger.book("2026-10-01")
    assert ledger.lines(f"{PT}/refund_receipt/re_1") == [
        ("3", 0, 5362, "Paid from Stripe Clearing"),
        ("23", 5000, 0, "Refunds – Ledger Pro"),
        ("12", 362, 0, "Sales tax refunded – Sales Tax (CA - CALIFORNIA)"),
    ]
    assert document(ledger, f"{PT}/refund_receipt/re_1")["applies_to"] == f"{PT}/payment/ch_1"
    assert_all_checks_pass(ledger, "2026-10-01")


def test_invoice_whose_lines_are_missing_waits_with_its_payment(make_ledger):
    ledger = per_transaction(make_ledger)
    _catalog(ledger)
    _pro_and_stickers(ledger, ["pi_1"])
    ledger.conn.execute("DELETE FROM staging.invoice_lines WHERE id = 'il_st'")
    ledger.charge("ch_1", 11584, payment_intent="pi_1", created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 11584, fees=[("stripe_fee", 366)], created="2026-10-01 09:00", source="ch_1")
    ledger.book("2026-10-01")
    # the invoice cannot be posted short of a line; its payment settles a receivable all the same
    assert ledger.entry_keys() == [f"{PT}/daily_stripe_fees/usd/2026-10-01", f"{PT}/payment/ch_1"]
    [held] = ledger.quarantined()
    assert (held["entry_key"], held["value_kind"], held["value"], held["source_ids"]) == (
        f"{PT}/invoice/in_1", "invoice", "in_1", ["in_1"])
    assert "its lines add up to 9653 but its total is 11584" in held["reason"]
    assert set(ledger.failed("2026-10-01")) == {"no_unmapped_values"}


def test_invoice_in_another_currency_books_the_exchange_difference_on_payment(make_ledger):
    # USD books; a €100.00 invoice finalised on 1 October, valued at the mapping's October rate 1.08: $108.00.
    # The customer pays on the 20th; Stripe converts at 1.09 into $109.00. The receivable leaves the books at
    # what it was booked at, $108.00; the extra $1.00 is an exchange gain (books currency only).
    ledger = make_ledger()
    ledger.use_mapping(PT_MAPPING + "exchange_rates:\n  eur: {\"2026-10\": \"1.0800\"}\n")
    _catalog(ledger)
    ledger.invoice("in_eur", created="2026-10-01 07:00", payment_intents=["pi_1"], currency="eur", lines=[
        {"id": "il_1", "product": "prod_pro", "amount": 10000}])
    _issue(ledger, "in_eur", "INV-0006", "2026-10-01 08:00")
    ledger.charge("ch_1", 10000, currency="eur", payment_intent="pi_1", created="2026-10-20 09:00")
    ledger.bt("txn_1", "charge", 10900, fees=[("stripe_fee", 346)], created="2026-10-20 09:00", source="ch_1",
              exchange_rate="1.09")
    ledger.book("2026-10-20")
    # (account, debit, credit) in the document's currency, then (debit, credit) in USD
    assert ledger.books_lines(f"{PT}/invoice/in_eur") == [("5", 10000, 0, 10800, 0), ("21", 0, 10000, 0, 10800)]
    assert ledger.entry(f"{PT}/invoice/in_eur")["currency"] == "eur"
    assert ledger.books_lines(f"{PT}/payment/ch_1") == [
        ("3", 10900, 0, 10900, 0),
        ("5", 0, 10900, 0, 10800),
        ("37", 0, 0, 0, 100),
    ]
    assert ledger.lines(f"{PT}/payment/ch_1")[2][3] == "Exchange gain or loss against the invoice"
    assert ledger.conn.execute("SELECT sum(books_debit) - sum(books_credit) FROM journal.lines WHERE account_ref = '5'"
                               ).fetchone() == (0,)
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-20")
