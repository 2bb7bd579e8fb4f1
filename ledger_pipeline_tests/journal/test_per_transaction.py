"""Per-transaction documents, computed by hand: each test writes the Stripe side, then the documents expected.

Lines read (account, debit, credit, description) in cents (yen for JPY), in the conftest's QuickBooks sandbox
accounts plus 5 Accounts Receivable (A/R) and 37 Exchange Gain or Loss. Every document is keyed
demo/per_transaction/<kind>/<Stripe id>; the fees Stripe took are one expense per currency and day,
demo/per_transaction/daily_stripe_fees/<currency>/<day>, a line per fee type, traced to each transaction.
"""

from __future__ import annotations

from typing import Any

from .conftest import MAPPING, Ledger, at

PT = "demo/per_transaction"

# The conftest's mapping, posting per transaction, with the receivable invoices need.
PT_MAPPING = (MAPPING.replace("posting_mode: payout_summary", "posting_mode: per_transaction")
              .replace("  rounding: {ref: \"38\", name: Rounding}\n",
                       "  rounding: {ref: \"38\", name: Rounding}\n"
                       "  receivables: {ref: \"5\", name: Accounts Receivable (A/R)}\n"
                       "  exchange_gain_loss: {ref: \"37\", name: Exchange Gain or Loss}\n"))


def assert_all_checks_pass(ledger: Ledger, *days: str) -> None:
    for day in days:
        assert not ledger.failed(day), {k: v.description for k, v in ledger.failed(day).items()}


def document(ledger: Ledger, key: str) -> dict[str, Any]:
    """The entry and its journal.documents row, as one dict."""
    entry = ledger.entry(key)
    cursor = ledger.conn.execute("SELECT * FROM journal.documents WHERE entry_key = ?", [key])
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    assert row is not None, f"no journal.documents row for {key}"
    return {**entry, **dict(zip(names, row)), "entry_date": str(entry["entry_date"]), "period": str(entry["period"])}


def shown(ledger: Ledger, key: str, *fields: str) -> list[tuple]:
    return ledger.conn.execute(f"SELECT {', '.join(fields)} FROM journal.lines WHERE entry_key = ? ORDER BY line_no",
                               [key]).fetchall()


def customer(ledger: Ledger, id: str, name: str, email: str) -> None:
    ledger._insert("staging.customers", {"id": id, "name": name, "email": email, "deleted": False, "metadata": "{}",
                                         **ledger._stamps(at("2026-09-01 00:00"))})


def per_transaction(make_ledger, **kwargs: Any) -> Ledger:
    books = make_ledger(**kwargs)
    books.use_mapping(PT_MAPPING)
    return books


# --- charges, refunds, disputes -----------------------------------------------------------------------


FEES = f"{PT}/daily_stripe_fees/usd/2026-10-01"


def test_usd_card_charge_with_its_fee(make_ledger):
    ledger = per_transaction(make_ledger)
    customer(ledger, "cus_ada", "Ada Lovelace", "ada@example.com")
    # $100.00 card charge by Ada, Stripe's fee $3.20, paid out two days later; the same day a $50.00
    # charge (fee $1.75) without a customer.
    ledger.charge("ch_1", 10000, created="2026-10-01 10:00")
    ledger.conn.execute("UPDATE staging.charges SET customer = 'cus_ada' WHERE id = 'ch_1'")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 10:00", source="ch_1")
    ledger.charge("ch_2", 5000, created="2026-10-01 16:00")
    ledger.bt("txn_2", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-10-01 16:00", source="ch_2")
    ledger.book("2026-10-01")
    # booked on its own day: nothing waits for the payout
    assert ledger.entry_keys() == [FEES, f"{PT}/sales_receipt/ch_1", f"{PT}/sales_receipt/ch_2"]
    assert ledger.bookings()["txn_1"] == ("booked", f"{PT}/sales_receipt/ch_1")
    assert ledger.lines(f"{PT}/sales_receipt/ch_1") == [
        ("3", 10000, 0, "Deposited to Stripe Clearing"),
        ("24", 0, 10000, "Sales"),
    ]
    # the day's fees: $3.20 + $1.75, an expense to Stripe paid out of Stripe Clearing
    assert ledger.lines(FEES) == [
        ("3", 0, 495, "Paid from Stripe Clearing"),
        ("31", 495, 0, "Stripe processing fees"),
    ]
    # the sales line as a document line: quantity 1 at $100.00, untaxed
    assert shown(ledger, f"{PT}/sales_receipt/ch_1", "quantity", "unit_amount", "tax_code_ref", "item_ref") == [
        (None, None, None, None), (1, 10000, "NON", None)]
    receipt = document(ledger, f"{PT}/sales_receipt/ch_1")
    assert {k: receipt[k] for k in ("mode", "kind", "document_type", "entry_date", "period", "counterparty",
                                    "counterparty_type", "counterparty_name", "counterparty_email", "reference",
                                    "memo", "source_type", "source_id", "deposit_account_ref", "applies_to")} == {
        "mode": "per_transaction", "kind": "sales_receipt", "document_type": "sales_receipt",
        "entry_date": "2026-10-01", "period": "2026-10-01", "counterparty": "cus_ada", "counterparty_type": "customer",
        "counterparty_name": "Ada Lovelace", "counterparty_email": "ada@example.com", "reference": "ch_1",
        "memo": "Stripe payment ch_1 – Ada Lovelace", "source_type": "charge", "source_id": "ch_1",
        "deposit_account_ref": "3", "applies_to": None}
    fees = document(ledger, FEES)
    assert {k: fees[k] for k in ("document_type", "counterparty", "counterparty_name", "memo", "reference",
                                 "source_type", "source_count", "entry_date")} == {
        "document_type": "expense", "counterparty": "stripe", "counterparty_name": "Stripe",
        "memo": "Stripe fees of 2026-10-01 (USD)", "reference": "USD 2026-10-01",
        "source_type": "balance_transactions_of_the_day", "source_count": 2, "entry_date": "2026-10-01"}
    # the clearing side traces the transaction once as `net`; gross and fee parts add up to Stripe's
    assert ledger.sources(f"{PT}/sales_receipt/ch_1") == [
        (1, "txn_1", "fee", 320), (1, "txn_1", "net", 9680), (2, "txn_1", "gross", -10000)]
    assert ledger.sources(FEES) == [
        (1, "txn_1", "fee", -320), (1, "txn_2", "fee", -175), (2, "txn_1", "fee", 320), (2, "txn_2", "fee", 175)]
    assert_all_checks_pass(ledger, "2026-10-01")

    ledger.payout("po_1", 14505, created="2026-10-03 02:30", members=["txn_1", "txn_2"])
    ledger.book("2026-10-03")
    assert ledger.lines(f"{PT}/payout/po_1") == [
        ("1", 14505, 0, "Payout po_1 to the bank"),
        ("3", 0, 14505, "Paid out of the Stripe balance"),
    ]
    payout = document(ledger, f"{PT}/payout/po_1")
    assert (payout["document_type"], payout["payout_id"], payout["entry_date"]) == ("transfer", "po_1", "2026-10-03")
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-03")


def test_partial_then_full_refund(make_ledger):
    ledger = per_transaction(make_ledger)
    # $80.00 (fee $2.62); $25.00 refunded the same day, the other $55.00 three days later.
    ledger.charge("ch_1", 8000, created="2026-10-01 09:00")
    ledger.bt("txn_ch", "charge", 8000, fees=[("stripe_fee", 262)], created="2026-10-01 09:00", source="ch_1")
    ledger.refund("re_1", "ch_1", 2500, created="2026-10-01 15:00")
    ledger.bt("txn_re1", "refund", -2500, created="2026-10-01 15:00", source="re_1")
    ledger.payout("po_1", 5238, created="2026-10-03 02:30", members=["txn_ch", "txn_re1"])
    ledger.refund("re_2", "ch_1", 5500, created="2026-10-04 11:00")
    ledger.bt("txn_re2", "refund", -5500, created="2026-10-04 11:00", source="re_2")
    for day in ("2026-10-01", "2026-10-03", "2026-10-04"):
        ledger.book(day)

    assert ledger.lines(f"{PT}/refund_receipt/re_1") == [
        ("3", 0, 2500, "Paid from Stripe Clearing"),
        ("23", 2500, 0, "Refunds"),
    ]
    assert ledger.lines(f"{PT}/refund_receipt/re_2") == [
        ("3", 0, 5500, "Paid from Stripe Clearing"),
        ("23", 5500, 0, "Refunds"),
    ]
    second = document(ledger, f"{PT}/refund_receipt/re_2")
    assert (second["document_type"], second["entry_date"], second["applies_to"], second["memo"]) == (
        "refund_receipt", "2026-10-04", f"{PT}/sales_receipt/ch_1", "Refund re_2")
    # Stripe keeps the fee of a refunded charge: no fee document for the refunds
    assert ledger.lines(f"{PT}/daily_stripe_fees/usd/2026-10-01") == [
        ("3", 0, 262, "Paid from Stripe Clearing"),
        ("31", 262, 0, "Stripe processing fees"),
    ]
    assert not any("fees/usd/2026-10-04" in key for key in ledger.entry_keys())
    # the second refund sits on Stripe Clearing until a payout takes it: the roll-forward still holds
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-03", "2026-10-04")


def test_dispute_lost_with_its_fee(make_ledger):
    ledger = per_transaction(make_ledger)
    # $150.00 (fee $4.65) disputed: Stripe takes the $150.00 back and a $15.00 dispute fee. Lost.
    ledger.charge("ch_1", 15000, created="2026-10-01 09:00")
    ledger.bt("txn_ch", "charge", 15000, fees=[("stripe_fee", 465)], created="2026-10-01 09:00", source="ch_1")
    ledger.dispute("du_1", "ch_1", 15000, created="2026-10-04 08:00", status="lost")
    ledger.bt("txn_du", "adjustment", -15000, category="dispute", fees=[("stripe_fee", 1500)],
              created="2026-10-04 08:00", source="du_1", description="Chargeback withdrawal for ch_1")
    ledger.book("2026-10-04")

    dispute = f"{PT}/dispute/du_1/txn_du"
    assert ledger.lines(dispute) == [
        ("3", 0, 15000, "Paid from Stripe Clearing"),
        ("34", 15000, 0, "Disputes (chargebacks)"),
    ]
    assert ledger.lines(f"{PT}/daily_stripe_fees/usd/2026-10-04") == [
        ("3", 0, 1500, "Paid from Stripe Clearing"),
        ("34", 1500, 0, "Dispute fees"),
    ]
    info = document(ledger, dispute)
    assert (info["document_type"], info["applies_to"], info["reference"], info["entry_date"]) == (
        "expense", f"{PT}/sales_receipt/ch_1", "du_1", "2026-10-04")
    assert document(ledger, f"{PT}/daily_stripe_fees/usd/2026-10-04")["document_type"] == "expense"
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-04")


def test_dispute_won(make_ledger):
    ledger = per_transaction(make_ledger)
    # $99.00 disputed ($99.00 and a $15.00 fee withdrawn), won four days later: both come back.
    ledger.charge("ch_1", 9900, created="2026-10-01 09:00")
    ledger.bt("txn_ch", "charge", 9900, fees=[("stripe_fee", 317)], created="2026-10-01 09:00", source="ch_1")
    ledger.dispute("du_1", "ch_1", 9900, created="2026-10-04 08:00", status="won")
    ledger.bt("txn_du", "adjustment", -9900, category="dispute", fees=[("stripe_fee", 1500)],
              created="2026-10-04 08:00", source="du_1")
    ledger.bt("txn_won", "adjustment", 9900, category="dispute_reversal", fees=[("stripe_fee", -1500)],
              created="2026-10-08 08:00", source="du_1")
    ledger.book("2026-10-08")

    assert ledger.lines(f"{PT}/dispute/du_1/txn_du") == [
        ("3", 0, 9900, "Paid from Stripe Clearing"),
        ("34", 9900, 0, "Disputes (chargebacks)"),
    ]
    assert ledger.lines(f"{PT}/dispute_won/du_1/txn_won") == [
        ("3", 9900, 0, "Deposited to Stripe Clearing"),
        ("34", 0, 9900, "Disputes won"),
    ]
    # the fee given back is money in from Stripe: a journal entry, not an expense
    assert ledger.lines(f"{PT}/daily_stripe_fees/usd/2026-10-08") == [
        ("3", 1500, 0, "Deposited to Stripe Clearing"),
        ("34", 0, 1500, "Dispute fees"),
    ]
    assert [document(ledger, f"{PT}/{k}")["document_type"] for k in (
        "dispute_won/du_1/txn_won", "daily_stripe_fees/usd/2026-10-08")] == ["journal_entry", "journal_entry"]
    assert_all_checks_pass(ledger, "2026-10-04", "2026-10-08")


# --- currencies ------------------------------------------------------------------------------------


def test_eur_charge_settled_in_usd(make_ledger):
    ledger = per_transaction(make_ledger)
    # €123.45 presented, converted by Stripe at 1.085 into $133.94; fee $7.53. The document is in what
    # Stripe settled (the Stripe Clearing account's currency); the euro amount is kept beside it.
    ledger.charge("ch_1", 12345, currency="eur", created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 13394, fees=[("stripe_fee", 753)], created="2026-10-01 09:00", source="ch_1",
              exchange_rate="1.085")
    ledger.book("2026-10-01")
    assert ledger.books_lines(f"{PT}/sales_receipt/ch_1") == [("3", 13394, 0, 13394, 0), ("24", 0, 13394, 0, 13394)]
    assert ledger.books_lines(FEES) == [("3", 0, 753, 0, 753), ("31", 753, 0, 753, 0)]
    receipt = document(ledger, f"{PT}/sales_receipt/ch_1")
    assert (receipt["currency"], receipt["presentment_currency"], receipt["presentment_amount"], receipt["memo"]) == (
        "usd", "eur", 12345, "Stripe payment ch_1 (presented as EUR 123.45)")
    assert_all_checks_pass(ledger, "2026-10-01")


def test_eur_balance_in_usd_books_rounds_each_document_once(make_ledger):
    # A EUR-settling account keeping USD books: $32.62 -> €30.07 at 0.9217, fee €1.17. Back at Stripe's rate:
    #   3007 / 0.9217 = 3262.45 -> 3262; 117 / 0.9217 = 126.94 -> 127; net 2890 / 0.9217 = 3135.51 -> 3136.
    # The sales receipt: Stripe Clearing 3136 (net) + 127 (fee part) = 3263 against sales 3262: a cent of
    # rounding. The fee expense: 127 against 127, balanced.
    books = make_ledger()
    books.use_mapping(PT_MAPPING.replace("    usd: {ref: \"3\", name: Stripe Clearing}",
                                         "    eur: {ref: \"50\", name: Stripe Clearing EUR}")
                      .replace("    usd: {ref: \"1\", name: Checking}", "    eur: {ref: \"52\", name: Checking EUR}"))
    books.charge("ch_2", 3262, currency="usd", created="2026-10-01 10:00")
    books.bt("txn_2", "charge", 3007, currency="eur", fees=[("stripe_fee", 117)], created="2026-10-01 10:00",
             source="ch_2", exchange_rate="0.9217")
    books.book("2026-10-01")
    assert books.books_lines(f"{PT}/sales_receipt/ch_2") == [
        ("50", 3007, 0, 3263, 0),
        ("24", 0, 3007, 0, 3262),
        ("38", 0, 0, 0, 1),
    ]
    assert books.books_lines(f"{PT}/daily_stripe_fees/eur/2026-10-01") == [("50", 0, 117, 0, 127), ("31", 117, 0, 127, 0)]
    assert not books.failed("2026-10-01")


def test_jpy_charge_zero_decimal(make_ledger):
    # A Japanese account keeping yen books: ¥9,800, Stripe fee ¥353, the platform's application fee ¥980.
    books = make_ledger(tenant="demo.acct_jp", timezone="Asia/Tokyo")
    books.account(currency="jpy")
    books.use_mapping(PT_MAPPING.replace("currency: usd", "currency: account")
                      .replace("    usd: {ref: \"3\", name: Stripe Clearing}", "    books: {ref: \"3\", name: Stripe Clearing}")
                      .replace("    usd: {ref: \"1\", name: Checking}", "    books: {ref: \"1\", name: Checking}"))
    books.charge("ch_1", 9800, currency="jpy", created="2026-10-01 03:00")
    books.bt("txn_1", "charge", 9800, currency="jpy", fees=[("stripe_fee", 353), ("application_fee", 980)],
             created="2026-10-01 03:00", source="ch_1")
    books.book("2026-10-01")
    jp = "demo.acct_jp/per_transaction"
    assert books.books_lines(f"{jp}/sales_receipt/ch_1") == [("3", 9800, 0, 9800, 0), ("24", 0, 9800, 0, 9800)]
    # Stripe's fee and the platform's are owed to two vendors: an expense each for the day
    assert books.lines(f"{jp}/daily_stripe_fees/jpy/2026-10-01") == [
        ("3", 0, 353, "Paid from Stripe Clearing"),
        ("31", 353, 0, "Stripe processing fees"),
    ]
    assert books.lines(f"{jp}/daily_platform_fees/jpy/2026-10-01") == [
        ("3", 0, 980, "Paid from Stripe Clearing"),
        ("32", 980, 0, "Platform fees paid"),
    ]
    assert document(books, f"{jp}/daily_platform_fees/jpy/2026-10-01")["counterparty_type"] == "platform"
    # 03:00 UTC is noon in Tokyo: the document dates on the tenant's day
    assert document(books, f"{jp}/sales_receipt/ch_1")["entry_date"] == "2026-10-01"
    assert (books.entry(f"{jp}/sales_receipt/ch_1")["currency"], books.entry(f"{jp}/sales_receipt/ch_1")["books_currency"]) \
        == ("jpy", "jpy")
    assert not books.failed("2026-10-01")


def test_connect_application_fee_on_both_sides(make_ledger):
    # The seller's $100.00 direct charge pays Stripe $3.20 and the platform a $10.00 application fee.
    platform = per_transaction(make_ledger, tenant="demo")
    platform.application_fee("fee_1", 1000, created="2026-10-01 09:00", account="acct_seller", charge="ch_s")
    platform.bt("txn_fee", "application_fee", 1000, created="2026-10-01 09:00", source="fee_1")
    platform.book("2026-10-01")
    assert platform.lines(f"{PT}/application_fee/fee_1") == [
        ("3", 1000, 0, "Deposited to Stripe Clearing"),
        ("22", 0, 1000, "Platform fees earned"),
    ]
    earned = document(platform, f"{PT}/application_fee/fee_1")
    assert (earned["document_type"], earned["counterparty"], earned["counterparty_type"]) == (
        "journal_entry", "acct_seller", "connected_account")

    seller = make_ledger(tenant="demo.acct_seller")
    seller.use_mapping(PT_MAPPING, name="demo.acct_seller.yaml")
    seller.charge("ch_s", 10000, created="2026-10-01 09:00")
    seller.bt("txn_s", "charge", 10000, fees=[("stripe_fee", 320), ("application_fee", 1000)],
              created="2026-10-01 09:00", source="ch_s")
    seller.book("2026-10-01")
    shop = "demo.acct_seller/per_transaction"
    assert seller.lines(f"{shop}/sales_receipt/ch_s") == [
        ("3", 10000, 0, "Deposited to Stripe Clearing"),
        ("24", 0, 10000, "Sales"),
    ]
    assert seller.lines(f"{shop}/daily_platform_fees/usd/2026-10-01") == [
        ("3", 0, 1000, "Paid from Stripe Clearing"),
        ("32", 1000, 0, "Platform fees paid"),
    ]
    assert seller.lines(f"{shop}/daily_stripe_fees/usd/2026-10-01") == [
        ("3", 0, 320, "Paid from Stripe Clearing"),
        ("31", 320, 0, "Stripe processing fees"),
    ]
    assert not platform.failed("2026-10-01") and not seller.failed("2026-10-01")


# --- payouts -----------------------------------------------------------------------------------------


def test_failed_payout_reverses(make_ledger):
    ledger = per_transaction(make_ledger)
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 9680, created="2026-10-03 02:30", members=["txn_1"], status="failed")
    # the bank returns it: Stripe puts $96.80 back in the balance and pays it out again
    ledger.bt("txn_fail", "payout_failure", 9680, category="payout_reversal", created="2026-10-04 01:00",
              source="po_1", available_on="2026-10-04 01:00")
    ledger.payout("po_2", 9680, created="2026-10-05 02:30", members=["txn_fail"])
    for day in ("2026-10-01", "2026-10-03", "2026-10-04", "2026-10-05"):
        ledger.book(day)

    assert ledger.lines(f"{PT}/payout/po_1") == [
        ("1", 9680, 0, "Payout po_1 to the bank"),
        ("3", 0, 9680, "Paid out of the Stripe balance"),
    ]
    failure = f"{PT}/payout_failure/po_1/txn_fail"
    assert ledger.lines(failure) == [
        ("1", 0, 9680, "Payout po_1 returned by the bank"),
        ("3", 9680, 0, "Returned to the Stripe balance"),
    ]
    info = document(ledger, failure)
    assert (info["document_type"], info["entry_date"], info["applies_to"]) == (
        "transfer", "2026-10-04", f"{PT}/payout/po_1")
    assert ledger.lines(f"{PT}/payout/po_2") == [
        ("1", 9680, 0, "Payout po_2 to the bank"),
        ("3", 0, 9680, "Paid out of the Stripe balance"),
    ]
    # po_2's cycle on Stripe Clearing: +9680 returned, -9680 paid out
    assert_all_checks_pass(ledger, "2026-10-03", "2026-10-04", "2026-10-05")


def test_payout_crossing_a_month_end(make_ledger):
    # New York books: 02:00 UTC on 1 November is still 31 October there.
    books = per_transaction(make_ledger, timezone="America/New_York")
    books.charge("ch_1", 10000, created="2026-10-30 15:00")
    books.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-30 15:00", source="ch_1")
    books.charge("ch_2", 5000, created="2026-11-01 02:00")
    books.bt("txn_2", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-11-01 02:00", source="ch_2")
    books.charge("ch_3", 2000, created="2026-11-01 16:00")
    books.bt("txn_3", "charge", 2000, fees=[("stripe_fee", 88)], created="2026-11-01 16:00", source="ch_3")
    books.payout("po_1", 16417, created="2026-11-03 12:00", members=["txn_1", "txn_2", "txn_3"])
    books.book("2026-11-03")

    # each document in its own day and month; the payout in November moves October's money too
    dated = {key: (document(books, key)["entry_date"], document(books, key)["period"]) for key in books.entry_keys()}
    assert dated == {
        f"{PT}/sales_receipt/ch_1": ("2026-10-30", "2026-10-01"),
        f"{PT}/daily_stripe_fees/usd/2026-10-30": ("2026-10-30", "2026-10-01"),
        f"{PT}/sales_receipt/ch_2": ("2026-10-31", "2026-10-01"),
        f"{PT}/daily_stripe_fees/usd/2026-10-31": ("2026-10-31", "2026-10-01"),
        f"{PT}/sales_receipt/ch_3": ("2026-11-01", "2026-11-01"),
        f"{PT}/daily_stripe_fees/usd/2026-11-01": ("2026-11-01", "2026-11-01"),
        f"{PT}/payout/po_1": ("2026-11-03", "2026-11-01"),
    }
    # at the end of October Stripe Clearing holds what October sold, net of fees: 9680 + 4825
    october = books.checks("2026-10-31")["clearing_matches_stripe_balance"].metadata["balances"].value
    assert [(b["currency"], b["books_stripe_clearing"], b["stripe_balance"]) for b in october] == [("usd", 14505, 14505)]
    assert_all_checks_pass(books, "2026-10-30", "2026-10-31", "2026-11-01", "2026-11-03")


# --- an unmapped value -------------------------------------------------------------------------------


def test_unknown_reporting_category_is_quarantined_and_nothing_else_is_blocked(make_ledger):
    ledger = per_transaction(make_ledger)
    ledger.bt("txn_odd", "mystery_movement", -300, category="shiny_new_thing", created="2026-10-01 11:00",
              description="Something Stripe added last week")
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 9380, created="2026-10-03 02:30", members=["txn_1", "txn_odd"])
    ledger.book("2026-10-03")

    # only the odd transaction's document waits; the sale, its fees and the payout are booked
    assert ledger.entry_keys() == [FEES, f"{PT}/payout/po_1", f"{PT}/sales_receipt/ch_1"]
    [held] = ledger.quarantined()
    assert (held["entry_key"], held["mode"], held["kind"], held["value_kind"], held["value"], held["mapping_key"]) == (
        f"{PT}/other_activity/txn_odd", "per_transaction", "other_activity", "reporting_category", "shiny_new_thing",
        "categories.shiny_new_thing")
    assert held["balance_transaction_ids"] == ["txn_odd"] and held["entry_balance_transaction_ids"] == ["txn_odd"]
    assert ledger.bookings()["txn_odd"] == ("quarantined", f"{PT}/other_activity/txn_odd")
    assert ledger.bookings()["txn_1"] == ("booked", f"{PT}/sales_receipt/ch_1")
    assert set(ledger.failed("2026-10-03")) == {"no_unmapped_values"}

    ledger.use_mapping(PT_MAPPING + "categories:\n  shiny_new_thing: {ref: \"36\", name: Uncategorized Expense}\n")
    ledger.book("2026-10-04")
    assert ledger.quarantined() == []
    assert ledger.lines(f"{PT}/other_activity/txn_odd") == [
        ("3", 0, 300, "Paid from Stripe Clearing"),
        ("36", 300, 0, "Stripe shiny_new_thing"),
    ]
    assert document(ledger, f"{PT}/other_activity/txn_odd")["memo"] == "Stripe balance activity txn_odd"
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-03", "2026-10-04")


# --- re-running --------------------------------------------------------------------------------------


def test_rerun_rebuilds_the_same_documents(make_ledger):
    ledger = per_transaction(make_ledger)
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.book("2026-10-01")
    before = ledger.conn.execute("SELECT entry_key, content_hash FROM journal.entries ORDER BY 1").fetchall()
    summary = ledger.book("2026-10-01")
    assert (summary.built, summary.rebuilt_keys) == (2, 1)       # the day's group: receipt and fee expense
    assert ledger.conn.execute("SELECT entry_key, content_hash FROM journal.entries ORDER BY 1").fetchall() == before
    assert ledger.book("2026-10-02").built == 0                   # another day: nothing of the 1st churns
    assert ledger.conn.execute("SELECT count(*) FROM journal.documents").fetchone() == (2,)
    assert ledger.conn.execute("SELECT count(*) FROM journal.bookings").fetchone() == (1,)

    # a charge of the 1st seen late: its receipt is new, the 1st's fees are rebuilt whole, the rest unchanged
    ledger.charge("ch_late", 2000, created="2026-10-01 23:00")
    ledger.bt("txn_late", "charge", 2000, fees=[("stripe_fee", 88)], created="2026-10-01 23:00", source="ch_late")
    ledger.book("2026-10-03")
    after = dict(ledger.conn.execute("SELECT entry_key, content_hash FROM journal.entries").fetchall())
    assert after[f"{PT}/sales_receipt/ch_1"] == dict(before)[f"{PT}/sales_receipt/ch_1"]
    assert after[FEES] != dict(before)[FEES]
    assert ledger.lines(FEES) == [("3", 0, 408, "Paid from Stripe Clearing"), ("31", 408, 0, "Stripe processing fees")]
    assert ledger.bookings()["txn_late"] == ("booked", f"{PT}/sales_receipt/ch_late")
    assert_all_checks_pass(ledger, "2026-10-01", "2026-10-03")
