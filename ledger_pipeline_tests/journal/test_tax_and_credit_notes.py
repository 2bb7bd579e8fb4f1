"""Tax collected through Stripe is owed, never revenue: Stripe Tax on invoices, and tax given back by a credit note."""

from __future__ import annotations

SUMMARY = "demo/payout_summary/summary"


def _catalog(ledger):
    ledger.product("prod_pro", "Ledger Pro")
    ledger.product("prod_st", "Sticker pack")
    ledger.tax_rate("txr_auto_ca", display_name="Sales Tax", jurisdiction="CA - CALIFORNIA", percentage="7.25")


def test_stripe_tax_is_a_liability_and_its_fee_an_expense(ledger):
    _catalog(ledger)
    # Stripe Tax computed California tax on a $100.00 subscription: $7.25, exclusive. (Automatic taxes
    # reach the invoice lines in the same `taxes` shape, naming the tax rate Stripe Tax used.)
    ledger.invoice("in_1", created="2026-10-01 08:00", payment_intents=["pi_1"], lines=[
        {"id": "il_1", "product": "prod_pro", "amount": 10000, "taxes": [("txr_auto_ca", 725, False)]}])
    ledger.charge("ch_1", 10725, payment_intent="pi_1", created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10725, fees=[("stripe_fee", 341)], created="2026-10-01 09:00", source="ch_1")
    # ... and Stripe charges for Stripe Tax separately
    ledger.bt("txn_taxfee", "tax_fee", -50, category="fee", created="2026-10-02 00:10",
              description="Stripe Tax fee (2026-10-01)", available_on="2026-10-02 00:10")
    ledger.payout("po_1", 10334, created="2026-10-03 02:30", members=["txn_1", "txn_taxfee"])
    ledger.book("2026-10-03")
    assert ledger.lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 10334, 0, "Net of the transactions paid out"),
        ("21", 0, 10000, "Sales – Ledger Pro"),
        ("12", 0, 725, "Sales tax – Sales Tax (CA - CALIFORNIA)"),
        ("31", 341, 0, "Stripe processing fees"),
        ("31", 50, 0, "Stripe Tax fees"),
    ]
    tax = ledger.conn.execute("SELECT tax_rate_id, tax_code_ref FROM journal.lines WHERE role = 'tax'").fetchall()
    assert tax == [("txr_auto_ca", "TAX")]
    assert not ledger.failed("2026-10-03")


def test_credit_note_refund_gives_back_the_tax_it_names(ledger):
    _catalog(ledger)
    # $100.00 Pro + $20.00 stickers, 7.25% each: $7.25 and $1.45. $128.70 paid in full (fee $4.03).
    ledger.invoice("in_1", created="2026-10-01 08:00", payment_intents=["pi_1"], lines=[
        {"id": "il_pro", "product": "prod_pro", "amount": 10000, "taxes": [("txr_auto_ca", 725, False)]},
        {"id": "il_st", "product": "prod_st", "amount": 2000, "taxes": [("txr_auto_ca", 145, False)]}])
    ledger.charge("ch_1", 12870, payment_intent="pi_1", created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 12870, fees=[("stripe_fee", 403)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 12467, created="2026-10-03 02:30", members=["txn_1"])
    # The stickers never shipped: a credit note for that line, $20.00 and its $1.45 tax, refunded to the card.
    ledger.refund("re_1", "ch_1", 2145, created="2026-10-05 10:00")
    ledger.credit_note("cn_1", "in_1", created="2026-10-05 10:00", refund="re_1", lines=[
        {"id": "cnli_1", "invoice_line_item": "il_st", "amount": 2000, "taxes": [("txr_auto_ca", 145, False)]}])
    ledger.bt("txn_re", "refund", -2145, created="2026-10-05 10:00", source="re_1")
    ledger.charge("ch_2", 5000, created="2026-10-05 11:00")
    ledger.bt("txn_2", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-10-05 11:00", source="ch_2")
    ledger.payout("po_2", 2680, created="2026-10-07 02:30", members=["txn_re", "txn_2"])
    ledger.book("2026-10-07")

    assert ledger.lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 12467, 0, "Net of the transactions paid out"),
        ("21", 0, 10000, "Sales – Ledger Pro"),
        ("20", 0, 2000, "Sales – Sticker pack"),
        ("12", 0, 870, "Sales tax – Sales Tax (CA - CALIFORNIA)"),
        ("31", 403, 0, "Stripe processing fees"),
    ]
    assert ledger.lines(f"{SUMMARY}/po_2/2026-10") == [
        ("3", 2680, 0, "Net of the transactions paid out"),
        ("24", 0, 5000, "Sales"),
        ("12", 145, 0, "Sales tax refunded – Sales Tax (CA - CALIFORNIA)"),
        ("23", 2000, 0, "Refunds"),
        ("31", 175, 0, "Stripe processing fees"),
    ]
    assert not ledger.failed("2026-10-07")


def test_refund_of_an_invoice_without_credit_note_splits_like_the_invoice(ledger):
    _catalog(ledger)
    ledger.invoice("in_1", created="2026-10-01 08:00", payment_intents=["pi_1"], lines=[
        {"id": "il_pro", "product": "prod_pro", "amount": 10000, "taxes": [("txr_auto_ca", 725, False)]}])
    ledger.charge("ch_1", 10725, payment_intent="pi_1", created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10725, fees=[("stripe_fee", 341)], created="2026-10-01 09:00", source="ch_1")
    # half refunded from the dashboard: $53.62 of $107.25 -> tax 725 x 5362/10725 = 362.47 -> 362, the rest refunds
    ledger.refund("re_1", "ch_1", 5362, created="2026-10-01 12:00")
    ledger.bt("txn_re", "refund", -5362, created="2026-10-01 12:00", source="re_1")
    ledger.payout("po_1", 5022, created="2026-10-03 02:30", members=["txn_1", "txn_re"])
    ledger.book("2026-10-03")
    assert ledger.lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 5022, 0, "Net of the transactions paid out"),
        ("21", 0, 10000, "Sales – Ledger Pro"),
        ("12", 0, 725, "Sales tax – Sales Tax (CA - CALIFORNIA)"),
        ("12", 362, 0, "Sales tax refunded – Sales Tax (CA - CALIFORNIA)"),
        ("23", 5000, 0, "Refunds"),    # 10000 x 5362/10725 = 4999.53 -> 5000
        ("31", 341, 0, "Stripe processing fees"),
    ]
    assert not ledger.failed("2026-10-03")
