"""Money no automatic payout carries, and money there before the books began: booked once, never lost."""

from __future__ import annotations

from .conftest import MAPPING

ACTIVITY = "demo/payout_summary/balance_activity/usd"


def test_manual_payouts_roll_the_clearing_balance_forward(ledger):
    # An account that pays out by hand: Stripe cannot say which transactions a payout took, so each day's
    # activity is booked on its own and the payout simply moves money from Stripe Clearing to the bank.
    ledger.account(payout_interval="manual")     # Stripe says so; the mapping reads it (`auto`)
    ledger.use_mapping(MAPPING.replace("payout_schedule: automatic", "payout_schedule: auto"))
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.charge("ch_2", 5000, created="2026-10-02 09:00")
    ledger.bt("txn_2", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-10-02 09:00", source="ch_2")
    ledger.refund("re_1", "ch_1", 1000, created="2026-10-02 12:00")
    ledger.bt("txn_re", "refund", -1000, created="2026-10-02 12:00", source="re_1")
    ledger.payout("po_m", 10000, created="2026-10-03 15:00", members=[], automatic=False)
    for day in ("2026-10-01", "2026-10-02", "2026-10-03"):
        ledger.book(day)

    assert ledger.lines(f"{ACTIVITY}/2026-10-01") == [
        ("3", 9680, 0, "Net change in the Stripe balance"),
        ("24", 0, 10000, "Sales"),
        ("31", 320, 0, "Stripe processing fees"),
    ]
    assert ledger.lines(f"{ACTIVITY}/2026-10-02") == [
        ("3", 3825, 0, "Net change in the Stripe balance"),
        ("24", 0, 5000, "Sales"),
        ("23", 1000, 0, "Refunds"),
        ("31", 175, 0, "Stripe processing fees"),
    ]
    assert ledger.lines("demo/payout_summary/payout/po_m") == [
        ("1", 10000, 0, "Payout po_m to the bank"),
        ("3", 0, 10000, "Paid out of the Stripe balance"),
    ]
    # 9680 + 3825 - 10000 = 3505 stays on Stripe Clearing, exactly Stripe's balance
    clearing = ledger.checks("2026-10-03")["clearing_matches_stripe_balance"]
    [usd] = clearing.metadata["balances"].value
    assert (usd["books_stripe_clearing"], usd["stripe_balance"], usd["not_booked_yet"]) == (3505, 3505, 0)
    assert not ledger.failed("2026-10-03")


def test_a_topup_no_automatic_payout_carries_is_booked_once_passed_by(ledger):
    # A top-up from the bank lands on the 1st; the automatic payouts of the 3rd and 4th do not carry it.
    ledger.bt("txn_top", "topup", 5000, created="2026-10-01 08:00", source="tu_1", available_on="2026-10-01 08:00")
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1",
              available_on="2026-10-03 00:00")
    ledger.book("2026-10-01")
    assert ledger.bookings()["txn_top"] == ("awaiting_payout", None)   # it may yet be paid out
    clearing = ledger.checks("2026-10-01")["clearing_matches_stripe_balance"].metadata["balances"].value
    assert clearing == [{"currency": "usd", "opening_balance": 0, "stripe_balance": 14680, "stripe_available": 5000,
                         "books_stripe_clearing": 0, "not_booked_yet": 14680, "not_booked_yet_count": 2,
                         "difference": 0}]

    ledger.payout("po_1", 9680, created="2026-10-03 02:30", members=["txn_1"])
    ledger.book("2026-10-03")
    # po_1 was made two days after the top-up became available and left it: no payout will carry it
    assert ledger.lines(f"{ACTIVITY}/2026-10-01") == [
        ("3", 5000, 0, "Net change in the Stripe balance"),
        ("1", 0, 5000, "Top-ups from the bank"),
    ]
    assert ledger.bookings()["txn_top"] == ("booked", f"{ACTIVITY}/2026-10-01")
    assert not ledger.failed("2026-10-03")


def test_opening_balance_from_the_payouts_that_carry_it(ledger):
    # The books start on 1 October; Stripe already held $86.80 from September, paid out early on the 1st.
    ledger.payout("po_0", 8680, created="2026-10-01 02:30", members=[], extra_members=[
        {"id": "txn_sep1", "type": "charge", "amount": 10000, "fee": 320, "created": "2026-09-29 10:00"},
        {"id": "txn_sep2", "type": "refund", "amount": -1000, "created": "2026-09-30 10:00"}])
    ledger.book("2026-10-01")
    assert ledger.lines("demo/payout_summary/opening_balance/usd") == [
        ("3", 8680, 0, "Opening Stripe balance"),
        ("14", 0, 8680, "Opening balance equity"),
    ]
    assert str(ledger.entry("demo/payout_summary/opening_balance/usd")["entry_date"]) == "2026-10-01"
    assert ledger.sources("demo/payout_summary/opening_balance/usd") == [
        (1, "txn_sep1", "net", 9680), (1, "txn_sep2", "net", -1000),
        (2, "txn_sep1", "opening", -9680), (2, "txn_sep2", "opening", 1000)]
    assert ledger.lines("demo/payout_summary/payout/po_0") == [
        ("1", 8680, 0, "Payout po_0 to the bank"),
        ("3", 0, 8680, "Paid out of the Stripe balance"),
    ]
    assert not ledger.failed("2026-10-01")


def test_opening_balance_stated_in_the_mapping(ledger):
    # Stripe's balance report says $120.00 at the start; payouts so far explain $86.80 of it.
    ledger.use_mapping(MAPPING + "opening_balance:\n  as_of: \"2026-10-01\"\n  balances: {usd: \"120.00\"}\n")
    ledger.payout("po_0", 8680, created="2026-10-01 02:30", members=[], extra_members=[
        {"id": "txn_sep1", "type": "charge", "amount": 10000, "fee": 320, "created": "2026-09-29 10:00"},
        {"id": "txn_sep2", "type": "refund", "amount": -1000, "created": "2026-09-30 10:00"}])
    ledger.book("2026-10-01")
    key = "demo/payout_summary/opening_balance/usd"
    assert ledger.lines(key) == [("3", 12000, 0, "Opening Stripe balance"), ("14", 0, 12000, "Opening balance equity")]
    # the $33.20 not traced to a transaction yet stays one untraced amount
    assert (1, None, "net", 3320) in ledger.sources(key)
    [usd] = ledger.checks("2026-10-01")["clearing_matches_stripe_balance"].metadata["balances"].value
    assert (usd["opening_balance"], usd["books_stripe_clearing"], usd["stripe_balance"]) == (12000, 3320, 3320)
    assert not ledger.failed("2026-10-01")

    # stated for the wrong day: the opening entry waits, naming the key
    ledger.use_mapping(MAPPING + "opening_balance:\n  as_of: \"2026-09-15\"\n  balances: {usd: \"120.00\"}\n")
    ledger.book("2026-10-01")
    [held] = ledger.quarantined()
    assert (held["value_kind"], held["mapping_key"]) == (
        "opening_balance", "opening_balance.as_of (state the Stripe balance at the start of the first day booked)")


def test_rerunning_a_day_changes_nothing_and_a_mapping_change_shows_in_the_hash(ledger):
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 9680, created="2026-10-03 02:30", members=["txn_1"])
    ledger.book("2026-10-03")
    key = "demo/payout_summary/summary/po_1/2026-10"
    first = ledger.entry(key)
    ledger.book("2026-10-03")
    again = ledger.entry(key)
    assert (again["content_hash"], again["mapping_version"]) == (first["content_hash"], first["mapping_version"])
    assert ledger.conn.execute("SELECT count(*) FROM journal.lines").fetchone() == (5,)

    # a later day's run leaves an entry of another day alone
    ledger.book("2026-10-05")
    assert ledger.entry(key)["built_at"] == again["built_at"]

    # the accountant moves plain sales to Sales of Product Income: a re-run of the day rebuilds its entries
    version = ledger.use_mapping(MAPPING.replace('revenue: {ref: "24", name: Uncategorized Income}',
                                                 'revenue: {ref: "20", name: Sales of Product Income}'))
    ledger.book("2026-10-03")
    changed = ledger.entry(key)
    assert changed["mapping_version"] == version != first["mapping_version"]
    assert changed["content_hash"] != first["content_hash"]
    assert ledger.lines(key)[1] == ("20", 0, 10000, "Sales")
    assert {r[0] for r in ledger.conn.execute("SELECT DISTINCT mapping_version FROM journal.lines "
                                             "WHERE entry_key = ?", [key]).fetchall()} == {version}
    # both versions stay in the warehouse
    assert ledger.conn.execute("SELECT count(*) FROM mapping.versions").fetchone() == (2,)
