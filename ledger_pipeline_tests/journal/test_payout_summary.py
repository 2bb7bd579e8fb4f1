"""Payout-summary journals, computed by hand: each test writes the Stripe side, then the expected lines.

Lines read (account, debit, credit, description) in cents (yen for JPY). Accounts are the QuickBooks
sandbox's: 1 Checking, 3 Stripe Clearing, 12 Sales Tax Payable, 20 Sales of Product Income, 21 Services,
22 Platform Fee Income, 23 Refunds and Discounts, 24 Uncategorized Income, 31 Stripe Fees, 32 Merchant Fees,
34 Chargebacks and Disputes, 38 Rounding.
"""

from __future__ import annotations

from .conftest import MAPPING

SUMMARY = "demo/payout_summary/summary"
PAYOUT = "demo/payout_summary/payout"


def assert_all_checks_pass(ledger, *days):
    for day in days:
        assert not ledger.failed(day), {k: v.description for k, v in ledger.failed(day).items()}


def test_usd_card_charge_with_its_fee(ledger):
    # $100.00 card charge, Stripe's fee $3.20 (2.9% + 30c), paid out two days later.
    ledger.charge("ch_1", 10000, created="2026-10-01 10:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 10:00", source="ch_1")
    ledger.book("2026-10-01")
    assert ledger.entry_keys() == []          # nothing is booked before its payout
    assert ledger.bookings()["txn_1"][0] == "awaiting_payout"
    assert_all_checks_pass(ledger, "2026-10-01")

    ledger.payout("po_1", 9680, created="2026-10-03 02:30", members=["txn_1"])
    ledger.book("2026-10-03")
    assert ledger.lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 9680, 0, "Net of the transactions paid out"),
        ("24", 0, 10000, "Sales"),
        ("31", 320, 0, "Stripe processing fees"),
    ]
    assert ledger.lines(f"{PAYOUT}/po_1") == [
        ("1", 9680, 0, "Payout po_1 to the bank"),
        ("3", 0, 9680, "Paid out of the Stripe balance"),
    ]
    summary = ledger.entry(f"{SUMMARY}/po_1/2026-10")
    assert (str(summary["entry_date"]), summary["payout_id"], summary["currency"]) == ("2026-10-03", "po_1", "usd")
    assert summary["mapping_version"].startswith("demo.yaml@")
    # every line traces to the balance transaction, part by part
    assert ledger.sources(f"{SUMMARY}/po_1/2026-10") == [
        (1, "txn_1", "net", 9680), (2, "txn_1", "gross", -10000), (3, "txn_1", "fee", 320)]
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-03")


def test_partial_then_full_refund(ledger):
    # $80.00 charge (fee $2.62); $25.00 refunded the same day; the other $55.00 three days later.
    ledger.charge("ch_1", 8000, created="2026-10-01 09:00")
    ledger.bt("txn_ch", "charge", 8000, fees=[("stripe_fee", 262)], created="2026-10-01 09:00", source="ch_1")
    ledger.refund("re_1", "ch_1", 2500, created="2026-10-01 15:00")
    ledger.bt("txn_re1", "refund", -2500, created="2026-10-01 15:00", source="re_1")
    ledger.payout("po_1", 5238, created="2026-10-03 02:30", members=["txn_ch", "txn_re1"])
    # second payout: the rest refunded, and a new $100.00 sale
    ledger.refund("re_2", "ch_1", 5500, created="2026-10-04 11:00")
    ledger.bt("txn_re2", "refund", -5500, created="2026-10-04 11:00", source="re_2")
    ledger.charge("ch_2", 10000, created="2026-10-04 12:00")
    ledger.bt("txn_ch2", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-04 12:00", source="ch_2")
    ledger.payout("po_2", 4180, created="2026-10-06 02:30", members=["txn_re2", "txn_ch2"])
    ledger.book("2026-10-06")

    assert ledger.lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 5238, 0, "Net of the transactions paid out"),
        ("24", 0, 8000, "Sales"),
        ("23", 2500, 0, "Refunds"),
        ("31", 262, 0, "Stripe processing fees"),
    ]
    assert ledger.lines(f"{SUMMARY}/po_2/2026-10") == [
        ("3", 4180, 0, "Net of the transactions paid out"),
        ("24", 0, 10000, "Sales"),
        ("23", 5500, 0, "Refunds"),
        ("31", 320, 0, "Stripe processing fees"),
    ]
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-04", "2026-10-06")


def test_dispute_lost_with_its_fee(ledger):
    # $150.00 charge (fee $4.65) paid out; a day later the cardholder disputes it: Stripe takes the $150.00
    # back plus a $15.00 dispute fee. The dispute is lost: nothing comes back.
    ledger.charge("ch_1", 15000, created="2026-10-01 09:00")
    ledger.bt("txn_ch", "charge", 15000, fees=[("stripe_fee", 465)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 14535, created="2026-10-03 02:30", members=["txn_ch"])
    ledger.dispute("du_1", "ch_1", 15000, created="2026-10-04 08:00", status="lost")
    ledger.bt("txn_du", "adjustment", -15000, category="dispute", fees=[("stripe_fee", 1500)],
              created="2026-10-04 08:00", source="du_1", description="Chargeback withdrawal for ch_1")
    ledger.charge("ch_2", 20000, created="2026-10-04 10:00")
    ledger.bt("txn_ch2", "charge", 20000, fees=[("stripe_fee", 610)], created="2026-10-04 10:00", source="ch_2")
    ledger.payout("po_2", 2890, created="2026-10-06 02:30", members=["txn_du", "txn_ch2"])
    ledger.book("2026-10-06")

    assert ledger.lines(f"{SUMMARY}/po_2/2026-10") == [
        ("3", 2890, 0, "Net of the transactions paid out"),
        ("24", 0, 20000, "Sales"),
        ("34", 15000, 0, "Disputes (chargebacks)"),
        ("34", 1500, 0, "Dispute fees"),
        ("31", 610, 0, "Stripe processing fees"),
    ]
    assert_all_checks_pass(ledger, "2026-10-04", "2026-10-06")


def test_dispute_won(ledger):
    # $99.00 paid out; disputed ($99.00 withdrawn plus a $15.00 fee) and paid out net of a new sale; won four
    # days later: the $99.00 and the fee come back and are paid out on their own.
    ledger.charge("ch_1", 9900, created="2026-10-01 09:00")
    ledger.bt("txn_ch", "charge", 9900, fees=[("stripe_fee", 317)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 9583, created="2026-10-03 02:30", members=["txn_ch"])
    ledger.dispute("du_1", "ch_1", 9900, created="2026-10-04 08:00", status="won")
    ledger.bt("txn_du", "adjustment", -9900, category="dispute", fees=[("stripe_fee", 1500)],
              created="2026-10-04 08:00", source="du_1")
    ledger.charge("ch_2", 20000, created="2026-10-04 10:00")
    ledger.bt("txn_ch2", "charge", 20000, fees=[("stripe_fee", 610)], created="2026-10-04 10:00", source="ch_2")
    ledger.payout("po_2", 7990, created="2026-10-06 02:30", members=["txn_du", "txn_ch2"])
    ledger.bt("txn_won", "adjustment", 9900, category="dispute_reversal", fees=[("stripe_fee", -1500)],
              created="2026-10-08 08:00", source="du_1")
    ledger.payout("po_3", 11400, created="2026-10-10 02:30", members=["txn_won"])
    ledger.book("2026-10-10")

    assert ledger.lines(f"{SUMMARY}/po_2/2026-10") == [
        ("3", 7990, 0, "Net of the transactions paid out"),
        ("24", 0, 20000, "Sales"),
        ("34", 9900, 0, "Disputes (chargebacks)"),
        ("34", 1500, 0, "Dispute fees"),
        ("31", 610, 0, "Stripe processing fees"),
    ]
    assert ledger.lines(f"{SUMMARY}/po_3/2026-10") == [
        ("3", 11400, 0, "Net of the transactions paid out"),
        ("34", 0, 9900, "Disputes won"),
        ("34", 0, 1500, "Dispute fees"),
    ]
    assert_all_checks_pass(ledger, "2026-10-04", "2026-10-08", "2026-10-10")


def test_eur_charge_settled_in_usd(ledger):
    # €123.45 presented, converted by Stripe at 1.085 into $133.94 (Stripe rounds); fee 5.4% + 30c = $7.53.
    # The books are in USD like the settlement: the converted amount is booked as Stripe settled it.
    ledger.charge("ch_1", 12345, currency="eur", created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 13394, fees=[("stripe_fee", 753)], created="2026-10-01 09:00", source="ch_1",
              exchange_rate="1.085")
    ledger.payout("po_1", 12641, created="2026-10-03 02:30", members=["txn_1"])
    ledger.book("2026-10-03")
    assert ledger.books_lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 12641, 0, 12641, 0),
        ("24", 0, 13394, 0, 13394),
        ("31", 753, 0, 753, 0),
    ]
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-03")


def test_books_in_another_currency_use_stripes_rate_and_round_once(make_ledger):
    # A EUR-settling account keeping USD books. Stripe converted $100.00 at 0.9217 into €92.17 and took a
    # €2.97 fee. Each part goes back into dollars at Stripe's own rate, rounded once, half up:
    #   9217 / 0.9217 = 10000.00 -> 10000;  297 / 0.9217 = 322.23 -> 322;  8920 / 0.9217 = 9677.77 -> 9678
    # 9678 + 322 = 10000: balanced. A second charge, $32.62 -> €30.07 with a €1.17 fee, is not:
    #   3007 / 0.9217 = 3262.45 -> 3262;    117 / 0.9217 = 126.94 -> 127;   2890 / 0.9217 = 3135.51 -> 3136
    # 3136 + 127 = 3263 against 3262: the cent goes to Rounding, never to Sales.
    books = make_ledger()
    books.use_mapping(MAPPING.replace("    usd: {ref: \"3\", name: Stripe Clearing}",
                                      "    eur: {ref: \"50\", name: Stripe Clearing EUR}")
                      .replace("    usd: {ref: \"1\", name: Checking}", "    eur: {ref: \"52\", name: Checking EUR}")
                      # the payout itself converts nothing, so Stripe gives it no rate: the books' own rate
                      + "exchange_rates:\n  eur: {default: \"1.0850\"}\n")
    books.charge("ch_1", 10000, currency="usd", created="2026-10-01 09:00")
    books.bt("txn_1", "charge", 9217, currency="eur", fees=[("stripe_fee", 297)], created="2026-10-01 09:00",
             source="ch_1", exchange_rate="0.9217")
    books.charge("ch_2", 3262, currency="usd", created="2026-10-01 10:00")
    books.bt("txn_2", "charge", 3007, currency="eur", fees=[("stripe_fee", 117)], created="2026-10-01 10:00",
             source="ch_2", exchange_rate="0.9217")
    books.payout("po_1", 11810, currency="eur", created="2026-10-03 02:30", members=["txn_1", "txn_2"])
    books.book("2026-10-03")
    key = f"{SUMMARY}/po_1/2026-10"
    # (account, debit, credit) in EUR, then (debit, credit) in USD
    assert books.books_lines(key) == [
        ("50", 11810, 0, 12814, 0),   # 9678 + 3136
        ("24", 0, 12224, 0, 13262),   # 10000 + 3262
        ("31", 414, 0, 449, 0),       # 322 + 127
        ("38", 0, 0, 0, 1),           # 12814 + 449 = 13263 against 13262
    ]
    assert books.lines(key)[-1] == ("38", 0, 0, "Rounding (books currency)")
    entry = books.entry(key)
    assert (entry["currency"], entry["books_currency"]) == ("eur", "usd")
    # 11810 x 1.0850 = 12813.85 -> 12814
    assert books.books_lines(f"{PAYOUT}/po_1") == [("52", 11810, 0, 12814, 0), ("50", 0, 11810, 0, 12814)]
    assert not books.failed("2026-10-03")


def test_jpy_charge_zero_decimal(make_ledger):
    # A Japanese account settling and keeping books in yen: ¥9,800 charge, Stripe fee 3.6% = ¥353, the
    # platform's 10% application fee ¥980. Yen have no minor unit: amounts are whole yen throughout.
    books = make_ledger(tenant="demo.acct_jp", timezone="Asia/Tokyo")
    books.account(currency="jpy")
    books.use_mapping(MAPPING.replace("currency: usd", "currency: account")
                      .replace("    usd: {ref: \"3\", name: Stripe Clearing}", "    books: {ref: \"3\", name: Stripe Clearing}")
                      .replace("    usd: {ref: \"1\", name: Checking}", "    books: {ref: \"1\", name: Checking}"))
    books.charge("ch_1", 9800, currency="jpy", created="2026-10-01 03:00")
    books.bt("txn_1", "charge", 9800, currency="jpy", fees=[("stripe_fee", 353), ("application_fee", 980)],
             created="2026-10-01 03:00", source="ch_1")
    books.payout("po_1", 8467, currency="jpy", created="2026-10-03 02:30", members=["txn_1"])
    books.book("2026-10-03")
    key = "demo.acct_jp/payout_summary/summary/po_1/2026-10"
    assert books.books_lines(key) == [
        ("3", 8467, 0, 8467, 0),
        ("24", 0, 9800, 0, 9800),
        ("32", 980, 0, 980, 0),      # the platform's cut: an expense for the seller
        ("31", 353, 0, 353, 0),
    ]
    assert [d for *_, d in books.lines(key)] == [
        "Net of the transactions paid out", "Sales", "Platform fees paid", "Stripe processing fees"]
    assert books.entry(key)["books_currency"] == "jpy"
    assert not books.failed("2026-10-03")


def test_jpy_into_usd_books_with_a_mapped_rate(make_ledger):
    # The same yen account keeping USD books: Stripe gives no yen->dollar rate, so the mapping's does.
    # ¥9,800 x 0.0067 = $65.66; ¥353 x 0.0067 = $2.3651 -> $2.37; ¥9,447 x 0.0067 = $63.2949 -> $63.29.
    books = make_ledger(tenant="demo.acct_jp")
    books.use_mapping(MAPPING.replace("    usd: {ref: \"3\", name: Stripe Clearing}", "    jpy: {ref: \"3\", name: Stripe Clearing}")
                      .replace("    usd: {ref: \"1\", name: Checking}", "    jpy: {ref: \"1\", name: Checking}")
                      + "exchange_rates:\n  jpy: {default: \"0.0067\"}\n")
    books.charge("ch_1", 9800, currency="jpy", created="2026-10-01 03:00")
    books.bt("txn_1", "charge", 9800, currency="jpy", fees=[("stripe_fee", 353)], created="2026-10-01 03:00",
             source="ch_1")
    books.payout("po_1", 9447, currency="jpy", created="2026-10-03 02:30", members=["txn_1"])
    books.book("2026-10-03")
    assert books.books_lines("demo.acct_jp/payout_summary/summary/po_1/2026-10") == [
        ("3", 9447, 0, 6329, 0),
        ("24", 0, 9800, 0, 6566),
        ("31", 353, 0, 237, 0),
        # 6329 + 237 = 6566: balanced, nothing to round
    ]
    assert not books.failed("2026-10-03")


def test_connect_application_fee_on_both_sides(make_ledger):
    # The connected account's $100.00 direct charge pays Stripe $3.20 and the platform a $10.00 fee.
    platform = make_ledger(tenant="demo")
    platform.use_mapping()
    platform.application_fee("fee_1", 1000, created="2026-10-01 09:00", account="acct_seller", charge="ch_s")
    platform.bt("txn_fee", "application_fee", 1000, created="2026-10-01 09:00", source="fee_1")
    platform.payout("po_p", 1000, created="2026-10-03 02:30", members=["txn_fee"])
    platform.book("2026-10-03")
    assert platform.lines(f"{SUMMARY}/po_p/2026-10") == [
        ("3", 1000, 0, "Net of the transactions paid out"),
        ("22", 0, 1000, "Platform fees earned"),
    ]

    seller = make_ledger(tenant="demo.acct_seller")
    seller.use_mapping(name="demo.connected.yaml")
    seller.charge("ch_s", 10000, created="2026-10-01 09:00")
    seller.bt("txn_s", "charge", 10000, fees=[("stripe_fee", 320), ("application_fee", 1000)],
              created="2026-10-01 09:00", source="ch_s")
    seller.payout("po_s", 8680, created="2026-10-03 02:40", members=["txn_s"])
    seller.book("2026-10-03")
    assert seller.lines("demo.acct_seller/payout_summary/summary/po_s/2026-10") == [
        ("3", 8680, 0, "Net of the transactions paid out"),
        ("24", 0, 10000, "Sales"),
        ("32", 1000, 0, "Platform fees paid"),
        ("31", 320, 0, "Stripe processing fees"),
    ]
    assert not platform.failed("2026-10-03") and not seller.failed("2026-10-03")


def _pro_and_stickers_invoice(ledger, payment_intents, invoice="in_1"):
    ledger.product("prod_pro", "Ledger Pro")
    ledger.product("prod_st", "Sticker pack")
    ledger.price("price_pro", "prod_pro", lookup_key="pro_monthly")
    ledger.price("price_st", "prod_st", lookup_key="stickers")
    ledger.tax_rate("txr_ca", display_name="Sales Tax", jurisdiction="CA - CALIFORNIA", percentage="7.25")
    # Ledger Pro $100.00 and four sticker packs $20.00; 10% off; California tax 7.25% on the discounted
    # amounts: 9000 x 7.25% = 652.5 -> 653, 1800 x 7.25% = 130.5 -> 131. Total 12000 - 1200 + 784 = 11584.
    ledger.invoice(invoice, created="2026-10-01 08:00", payment_intents=payment_intents, lines=[
        {"id": "il_pro", "price": "price_pro", "product": "prod_pro", "amount": 10000, "discount": 1000,
         "taxes": [("txr_ca", 653, False)]},
        {"id": "il_st", "price": "price_st", "product": "prod_st", "quantity": 4, "amount": 2000, "discount": 200,
         "taxes": [("txr_ca", 131, False)]},
    ])


def test_invoice_with_discount_and_tax_paid_in_two_partial_payments(ledger):
    _pro_and_stickers_invoice(ledger, ["pi_1", "pi_2"])
    # 40% first ($46.33, fee $1.64), the rest ($69.51, fee $2.32) a week later; each in its own payout.
    ledger.charge("ch_1", 4633, payment_intent="pi_1", created="2026-10-02 10:00")
    ledger.bt("txn_1", "charge", 4633, fees=[("stripe_fee", 164)], created="2026-10-02 10:00", source="ch_1")
    ledger.payout("po_1", 4469, created="2026-10-04 02:30", members=["txn_1"])
    ledger.book("2026-10-04")            # the first payment is booked days before the second arrives
    ledger.charge("ch_2", 6951, payment_intent="pi_2", created="2026-10-09 10:00")
    ledger.bt("txn_2", "charge", 6951, fees=[("stripe_fee", 232)], created="2026-10-09 10:00", source="ch_2")
    ledger.payout("po_2", 6719, created="2026-10-11 02:30", members=["txn_2"])
    ledger.book("2026-10-11")

    # Each payment covers its share of every part of the invoice (revenue per product, discounts, tax):
    # paid so far / 11584 of each part, rounded half up, less what earlier payments took.
    #   first, 4633/11584:  Pro 10000 -> 3999.48 = 3999; stickers 2000 -> 799.90 = 800;
    #                       discounts -1000 -> -400, -200 -> -80; tax 784 -> 313.56 = 314.  3999+800-400-80+314 = 4633
    #   second (all of it): Pro 10000-3999 = 6001; stickers 1200; discounts -600, -120; tax 470.  = 6951
    assert ledger.lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 4469, 0, "Net of the transactions paid out"),
        ("21", 0, 3999, "Sales – Ledger Pro"),
        ("20", 0, 800, "Sales – Sticker pack"),
        ("23", 400, 0, "Discounts – Ledger Pro"),
        ("23", 80, 0, "Discounts – Sticker pack"),
        ("12", 0, 314, "Sales tax – Sales Tax (CA - CALIFORNIA)"),
        ("31", 164, 0, "Stripe processing fees"),
    ]
    assert ledger.lines(f"{SUMMARY}/po_2/2026-10") == [
        ("3", 6719, 0, "Net of the transactions paid out"),
        ("21", 0, 6001, "Sales – Ledger Pro"),
        ("20", 0, 1200, "Sales – Sticker pack"),
        ("23", 600, 0, "Discounts – Ledger Pro"),
        ("23", 120, 0, "Discounts – Sticker pack"),
        ("12", 0, 470, "Sales tax – Sales Tax (CA - CALIFORNIA)"),
        ("31", 232, 0, "Stripe processing fees"),
    ]
    # the revenue lines carry the item and tax code the documents mode will need
    rows = ledger.conn.execute("SELECT description, item_ref, tax_code_ref, product_id FROM journal.lines "
                               "WHERE entry_key = ? AND role = 'revenue' ORDER BY line_no",
                               [f"{SUMMARY}/po_1/2026-10"]).fetchall()
    assert rows == [("Sales – Ledger Pro", "3", "TAX", "prod_pro"), ("Sales – Sticker pack", "2", "TAX", "prod_st")]
    # together the two payments book the invoice exactly: 12000 sales, 1200 discounts, 784 tax
    assert_all_checks_pass(ledger, "2026-10-02", "2026-10-09", "2026-10-11")


def test_zero_invoice_books_nothing(ledger):
    # A $10.00 sticker order with a 100%-off coupon: total $0.00, "paid" without any charge.
    ledger.product("prod_st", "Sticker pack")
    ledger.invoice("in_0", created="2026-10-01 08:00", payment_intents=[], lines=[
        {"id": "il_0", "product": "prod_st", "amount": 1000, "discount": 1000}])
    ledger.charge("ch_1", 2000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 2000, fees=[("stripe_fee", 88)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 1912, created="2026-10-03 02:30", members=["txn_1"])
    ledger.book("2026-10-03")
    assert ledger.lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 1912, 0, "Net of the transactions paid out"),
        ("24", 0, 2000, "Sales"),
        ("31", 88, 0, "Stripe processing fees"),
    ]
    assert ledger.conn.execute("SELECT count(*) FROM journal.lines WHERE product_id = 'prod_st'").fetchone() == (0,)
    assert ledger.quarantined() == []
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-03")


def test_voided_invoice_books_nothing(ledger):
    # An invoice sent, never paid, then voided: no money moved, so no journal (cash basis, payout summaries).
    _pro_and_stickers_invoice(ledger, [], invoice="in_void")
    ledger.conn.execute("UPDATE staging.invoices SET status = 'void', amount_paid = 0 WHERE id = 'in_void'")
    ledger.charge("ch_1", 5000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 4825, created="2026-10-03 02:30", members=["txn_1"])
    ledger.book("2026-10-03")
    assert ledger.lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 4825, 0, "Net of the transactions paid out"),
        ("24", 0, 5000, "Sales"),
        ("31", 175, 0, "Stripe processing fees"),
    ]
    assert ledger.conn.execute("SELECT count(*) FROM journal.lines WHERE product_id IS NOT NULL").fetchone() == (0,)
    assert_all_checks_pass(ledger, "2026-10-03")


def test_failed_payout_reverses_and_its_money_returns_in_the_next(ledger):
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 9680, created="2026-10-03 02:30", members=["txn_1"], status="failed")
    # the bank returns it: Stripe puts $96.80 back in the balance ...
    ledger.bt("txn_fail", "payout_failure", 9680, category="payout_reversal", created="2026-10-04 01:00",
              source="po_1", available_on="2026-10-04 01:00")
    # ... and pays it out again with the next day's sales
    ledger.charge("ch_2", 5000, created="2026-10-04 09:00")
    ledger.bt("txn_2", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-10-04 09:00", source="ch_2",
              available_on="2026-10-05 00:00")
    ledger.payout("po_2", 14505, created="2026-10-05 02:30", members=["txn_fail", "txn_2"])
    for day in ("2026-10-03", "2026-10-04", "2026-10-05"):
        ledger.book(day)

    assert ledger.lines(f"{PAYOUT}/po_1") == [
        ("1", 9680, 0, "Payout po_1 to the bank"),
        ("3", 0, 9680, "Paid out of the Stripe balance"),
    ]
    failure = "demo/payout_summary/payout_failure/po_1/txn_fail"
    assert ledger.lines(failure) == [
        ("1", 0, 9680, "Payout po_1 returned by the bank"),
        ("3", 9680, 0, "Returned to the Stripe balance"),
    ]
    assert str(ledger.entry(failure)["entry_date"]) == "2026-10-04"
    # the next payout's summary books only its own sales; the returned money was booked as the failure
    assert ledger.lines(f"{SUMMARY}/po_2/2026-10") == [
        ("3", 4825, 0, "Net of the transactions paid out"),
        ("24", 0, 5000, "Sales"),
        ("31", 175, 0, "Stripe processing fees"),
    ]
    assert ledger.lines(f"{PAYOUT}/po_2") == [
        ("1", 14505, 0, "Payout po_2 to the bank"),
        ("3", 0, 14505, "Paid out of the Stripe balance"),
    ]
    # po_2's cycle on Stripe Clearing: +9680 (returned) +4825 (sales) -14505 (paid out) = 0
    assert_all_checks_pass(ledger, "2026-10-03", "2026-10-04", "2026-10-05")


def test_payout_crossing_a_month_end_is_split_per_period(make_ledger):
    # New York books: a charge at 02:00 UTC on 1 November is still 31 October there.
    books = make_ledger(timezone="America/New_York")
    books.use_mapping()
    books.charge("ch_1", 10000, created="2026-10-30 15:00")
    books.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-30 15:00", source="ch_1")
    books.charge("ch_2", 5000, created="2026-11-01 02:00")
    books.bt("txn_2", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-11-01 02:00", source="ch_2")
    books.charge("ch_3", 2000, created="2026-11-01 16:00")
    books.bt("txn_3", "charge", 2000, fees=[("stripe_fee", 88)], created="2026-11-01 16:00", source="ch_3")
    books.payout("po_1", 16417, created="2026-11-03 12:00", members=["txn_1", "txn_2", "txn_3"])
    books.book("2026-11-03")

    october, november = f"{SUMMARY}/po_1/2026-10", f"{SUMMARY}/po_1/2026-11"
    assert books.entry_keys() == [f"{PAYOUT}/po_1", october, november]
    assert books.lines(october) == [
        ("3", 14505, 0, "Net of the transactions paid out"),
        ("24", 0, 15000, "Sales"),
        ("31", 495, 0, "Stripe processing fees"),
    ]
    assert books.lines(november) == [
        ("3", 1912, 0, "Net of the transactions paid out"),
        ("24", 0, 2000, "Sales"),
        ("31", 88, 0, "Stripe processing fees"),
    ]
    # each part is dated inside its own month: October's on its last day, November's on the payout day
    assert str(books.entry(october)["entry_date"]) == "2026-10-31"
    assert str(books.entry(november)["entry_date"]) == "2026-11-03"
    assert "created in October 2026" in books.entry(october)["memo"]
    assert not books.failed("2026-11-03")
