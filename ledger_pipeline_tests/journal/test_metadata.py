"""What `journal/entries` shows in the Dagster UI: the per-payout tie-out table, totals per account, a preview
with its Stripe ids, in both posting modes; and the failing checks' tables of offending rows."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.metadata import journal_metadata

from .conftest import Ledger
from .test_per_transaction import PT_MAPPING


def _day(ledger: Ledger) -> None:
    """Two charges on the 1st, an automatic payout of both on the 3rd that arrives on the 4th."""
    ledger.account()
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.charge("ch_2", 2500, created="2026-10-01 10:00")
    ledger.bt("txn_2", "charge", 2500, fees=[("stripe_fee", 103)], created="2026-10-01 10:00", source="ch_2")
    ledger.payout("po_1", 12077, created="2026-10-03 02:30", members=["txn_1", "txn_2"])


def _metadata(ledger: Ledger, day: str) -> dict:
    summary = ledger.book(day)
    mapping = current_mapping(ledger.conn, ledger.tenant.key)
    return journal_metadata(ledger.conn, ledger.tenant, dt.date.fromisoformat(day), mapping, summary)


def _rows(value: dg.TableMetadataValue) -> list[dict]:
    return [dict(record.data) for record in value.records]


def test_payout_summary_metadata_ties_out_each_payout(ledger):
    _day(ledger)
    ledger.book("2026-10-01")
    meta = _metadata(ledger, "2026-10-03")

    [payout] = _rows(meta["payouts"])
    assert payout == {"payout": "po_1", "arrival_date": "2026-10-04", "currency": "usd", "amount": "120.77",
                      "transactions": 2, "transactions_net": "120.77", "fees": "4.23", "difference": "0.00",
                      "status": "paid / completed", "tie_out": "ties out"}
    assert meta["payouts_not_tied_out"] == 0
    assert [c.name for c in meta["payouts"].schema.columns] == [
        "payout", "arrival_date", "currency", "amount", "transactions", "transactions_net", "fees", "difference",
        "status", "tie_out"]

    accounts = {row["account"]: row for row in _rows(meta["totals_by_account"])}
    assert accounts["31 Stripe Fees"]["debit"] == "4.23" and accounts["1 Checking"]["debit"] == "120.77"
    assert sum(row["lines"] for row in accounts.values()) == meta["lines_of_the_day"]

    ids = meta["stripe_ids"].value
    assert ids["payout_ids"] == ["po_1"]
    assert {"txn_1", "txn_2", "txn_po_1"} <= set(ids["balance_transaction_ids"])
    assert {"ch_1", "ch_2"} <= set(ids["source_ids"])
    preview = meta["preview"].value
    assert "payout `po_1`" in preview and "`txn_1`" in preview
    assert "| # | account | debit | credit | description |" in preview


def test_a_payout_off_by_a_fee_shows_its_difference(ledger):
    _day(ledger)
    ledger.conn.execute("UPDATE staging.payouts SET amount = 12100 WHERE id = 'po_1'")
    [payout] = _rows(_metadata(ledger, "2026-10-03")["payouts"])
    assert (payout["amount"], payout["transactions_net"], payout["difference"]) == ("121.00", "120.77", "-0.23")
    assert payout["tie_out"] == "off by -0.23 USD"


def test_per_transaction_metadata_has_the_same_tables(make_ledger):
    ledger = make_ledger()
    ledger.use_mapping(PT_MAPPING)
    _day(ledger)
    meta = _metadata(ledger, "2026-10-01")
    assert meta["posting_mode"] == "per_transaction"
    assert _rows(meta["payouts"]) == []  # nothing paid out on the 1st
    assert {"ch_1", "ch_2"} <= set(meta["stripe_ids"].value["source_ids"])
    accounts = _rows(meta["totals_by_account"])
    assert any(row["account"] == "31 Stripe Fees" and row["debit"] == "4.23" for row in accounts)

    [payout] = _rows(_metadata(ledger, "2026-10-03")["payouts"])
    assert (payout["payout"], payout["tie_out"], payout["fees"]) == ("po_1", "ties out", "4.23")


def test_failing_checks_name_their_rows_in_a_table(ledger):
    _day(ledger)
    ledger.book("2026-10-01")
    ledger.book("2026-10-03")
    ledger.conn.execute("UPDATE journal.lines SET credit = credit + 1 WHERE entry_key = ? AND line_no = 2",
                        ["demo/payout_summary/summary/po_1/2026-10"])
    failed = ledger.failed("2026-10-03")
    [row] = _rows(failed["entries_balance"].metadata["offending_rows"])
    assert row["entry"] == "demo/payout_summary/summary/po_1/2026-10" and row["currency"] == "usd"
    assert row["lines_not_traced"] == 1 and row["debit"] != row["credit"]
    # passing checks carry no table of offending rows; the per-currency views are always there
    checks = ledger.checks("2026-10-03")
    assert "offending_rows" not in checks["booked_exactly_once"].metadata
    [usd] = _rows(checks["clearing_matches_stripe_balance"].metadata["balances_table"])
    assert usd["currency"] == "usd" and usd["difference"] == "0.00"
