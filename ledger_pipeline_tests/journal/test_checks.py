"""The accounting checks fail when the books and Stripe disagree, naming what disagrees."""

from __future__ import annotations

SUMMARY = "demo/payout_summary/summary/po_1/2026-10"


def _one_payout(ledger):
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 9680, created="2026-10-03 02:30", members=["txn_1"])
    ledger.book("2026-10-03")
    assert not ledger.failed("2026-10-01") and not ledger.failed("2026-10-03")


def test_an_unbalanced_entry_is_named(ledger):
    _one_payout(ledger)
    ledger.conn.execute("UPDATE journal.lines SET credit = 9999 WHERE entry_key = ? AND line_no = 2", [SUMMARY])
    failed = ledger.failed("2026-10-03")
    assert "entries_balance" in failed
    [offending] = failed["entries_balance"].metadata["offending_entries"].value
    assert offending["entry"] == SUMMARY and offending["credit"] == 9999 and offending["lines_not_traced"] == 1


def test_a_transaction_booked_twice_is_named(ledger):
    _one_payout(ledger)
    ledger.conn.execute("INSERT INTO journal.line_sources SELECT 'demo/payout_summary/payout/po_1', 1, 'txn_1', "
                        "'net', 0, 0")
    failed = ledger.failed("2026-10-03")
    [offending] = failed["booked_exactly_once"].metadata["offending_transactions"].value
    assert offending["balance_transaction"] == "txn_1" and offending["problem"].startswith("booked 2 times")


def test_a_transaction_left_out_is_named(ledger):
    _one_payout(ledger)
    ledger.conn.execute("DELETE FROM journal.line_sources WHERE balance_transaction_id = 'txn_1'")
    failed = ledger.failed("2026-10-03")
    [offending] = failed["booked_exactly_once"].metadata["offending_transactions"].value
    assert offending == {"balance_transaction": "txn_1", "problem": "not booked: its automatic payout tied out"}


def test_a_transaction_booked_with_other_figures_is_named(ledger):
    _one_payout(ledger)
    ledger.conn.execute("UPDATE journal.line_sources SET amount = -9000 WHERE balance_transaction_id = 'txn_1' "
                        "AND component = 'gross'")
    [usd] = ledger.failed("2026-10-01")["totals_match_stripe"].metadata["totals_by_currency"].value
    assert usd["booked_with_other_figures"] == ["txn_1"]
    assert (usd["stripe"]["gross"], usd["journal"]["gross"]) == (10000, 9000)


def test_a_payout_that_does_not_tie_out_is_held_and_named(ledger):
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    # Stripe says po_1 paid out $97.00 and its reconciliation is complete, yet its transactions net $96.80.
    ledger.payout("po_1", 9700, created="2026-10-03 02:30", members=["txn_1"])
    ledger.book("2026-10-03")
    [held] = ledger.quarantined()
    assert (held["entry_key"], held["value_kind"], held["value"]) == (SUMMARY, "payout_composition", "po_1")
    failed = ledger.failed("2026-10-03")
    [payout] = failed["payouts_tie_out"].metadata["offending_payouts"].value
    assert (payout["payout"], payout["amount"], payout["composition_net"]) == ("po_1", 9700, 9680)


def test_a_payout_still_being_reconciled_waits_without_failing(ledger):
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.payout("po_1", 9700, created="2026-10-03 02:30", members=["txn_1"], reconciliation="in_progress")
    ledger.book("2026-10-03")
    assert ledger.bookings()["txn_1"] == ("awaiting_payout", None)
    assert not ledger.failed("2026-10-03")
    waiting = ledger.checks("2026-10-03")["payouts_tie_out"].metadata["not_yet_booked"].value
    assert [w["payout"] for w in waiting] == ["po_1"]
