"""The extraction's checks: quarantine (blocking), payout tie-out (blocking), unknown types (warning)."""

from __future__ import annotations

from .conftest import END, NOON_END, failed_checks


def _bt(bt_id, amount, fee=0, **fields):
    obj = {"id": bt_id, "object": "balance_transaction", "amount": amount, "fee": fee, "net": amount - fee,
           "currency": "usd", "created": NOON_END - 600, "available_on": NOON_END - 600, "type": "charge",
           "reporting_category": "charge", "source": None, "status": "available", "description": None,
           "exchange_rate": None,
           "fee_details": [{"amount": fee, "currency": "usd", "type": "stripe_fee", "application": None,
                            "description": "Stripe processing fees"}] if fee else []}
    obj.update(fields)
    return obj


def _payout(payout_id, amount, own_bt, reconciliation):
    return {"id": payout_id, "object": "payout", "amount": amount, "currency": "usd", "created": NOON_END - 60,
            "arrival_date": NOON_END + 86400, "automatic": True, "balance_transaction": own_bt,
            "destination": "ba_test", "status": "in_transit", "reconciliation_status": reconciliation,
            "method": "standard", "type": "bank_account", "metadata": {}, "failure_balance_transaction": None}


def test_malformed_objects_are_quarantined_and_the_rest_kept(stack):
    stack.add_objects([
        _bt("txn_good_1", 5000, fee=175),
        _bt("txn_bad_currency", 700, currency="xyz"),
        {"id": "ch_bad_amount", "object": "charge", "amount": "12.50", "currency": "usd", "created": NOON_END - 300,
         "status": "succeeded", "refunded": False, "disputed": False, "metadata": {}},
        {"id": "ch_good_1", "object": "charge", "amount": 5000, "amount_captured": 5000, "amount_refunded": 0,
         "currency": "usd", "created": NOON_END - 600, "status": "succeeded", "refunded": False,
         "disputed": False, "metadata": {}},
    ])
    result = stack.run("demo", END)
    assert not result.success  # a blocking check failed...
    failed = failed_checks(result)
    assert set(failed) == {("stripe/balance_transactions", "no_quarantined_objects"),
                           ("stripe/charges", "no_quarantined_objects")}
    assert "ch_bad_amount" in failed[("stripe/charges", "no_quarantined_objects")].description
    [shown] = [r.data for r in failed[("stripe/charges", "no_quarantined_objects")].metadata["offending_rows"].records]
    assert (shown["id"], shown["object_type"]) == ("ch_bad_amount", "charge") and "12.50" in shown["reason"]
    # ... after the partition was written: everything else is there.
    assert {r[0] for r in stack.query("demo", "SELECT id FROM staging.balance_transactions")} == {"txn_good_1"}
    assert {r[0] for r in stack.query("demo", "SELECT id FROM staging.charges")} == {"ch_good_1"}
    rows = dict(stack.query("demo", "SELECT object_id, reason FROM quarantine.stripe_objects"))
    assert set(rows) == {"txn_bad_currency", "ch_bad_amount"}
    assert "`currency` 'xyz' is not a known currency" in rows["txn_bad_currency"]
    assert "`amount` is '12.50' (str); expected an integer number of minor units" in rows["ch_bad_amount"]
    assert "re-run this partition" in rows["ch_bad_amount"]
    raw = stack.query("demo", "SELECT data->>'$.amount' FROM quarantine.stripe_objects WHERE object_id = 'ch_bad_amount'")
    assert raw == [("12.50",)]  # kept whole, as fetched


def test_payout_that_does_not_tie_out_blocks(stack):
    stack.add_objects(
        [_bt("txn_member_1", 1000, fee=30), _payout("po_off_by_fee", 1000, "txn_po_1", "completed"),
         _bt("txn_po_1", -1000, type="payout", reporting_category="payout", source="po_off_by_fee"),
         _bt("txn_member_2", 2000), _payout("po_still_reconciling", 2500, "txn_po_2", "in_progress"),
         _bt("txn_po_2", -2500, type="payout", reporting_category="payout", source="po_still_reconciling"),
         _bt("txn_member_3", 800), _payout("po_ties_out", 800, "txn_po_3", "completed"),
         _bt("txn_po_3", -800, type="payout", reporting_category="payout", source="po_ties_out")],
        composition={"po_off_by_fee": ["txn_member_1", "txn_po_1"],
                     "po_still_reconciling": ["txn_member_2", "txn_po_2"],
                     "po_ties_out": ["txn_member_3", "txn_po_3"]})
    result = stack.run("demo", END)
    assert not result.success
    failed = failed_checks(result)
    assert set(failed) == {("stripe/payout_composition", "payout_composition_ties_out")}
    evaluation = failed[("stripe/payout_composition", "payout_composition_ties_out")]
    offending = evaluation.metadata["offending"].value
    assert [(o["payout"], o["difference"]) for o in offending] == [("po_off_by_fee", -30)]
    assert [p["payout"] for p in evaluation.metadata["not_yet_reconciled"].value] == ["po_still_reconciling"]
    assert evaluation.metadata["payouts_checked"].value == 3
    table = [(r.data["payout"], r.data["amount"], r.data["composition_net"], r.data["difference"], r.data["finding"])
             for r in evaluation.metadata["offending_rows"].records]
    assert table == [("po_off_by_fee", "10.00", "9.70", "-0.30", "does not tie out"),
                     ("po_still_reconciling", "25.00", "20.00", "-5.00", "Stripe still reconciling")]
    composed = stack.query("demo", "SELECT payout_id, count(*) FROM staging.payout_composition GROUP BY 1 ORDER BY 1")
    assert composed == [("po_off_by_fee", 2), ("po_still_reconciling", 2), ("po_ties_out", 2)]


def test_unknown_types_are_flagged_not_dropped(stack):
    stack.add_objects([_bt("txn_new_kind", 1234, type="crypto_cashback", reporting_category="mystery_money"),
                       _bt("txn_known", 100)])
    result = stack.run("demo", END)
    assert result.success  # a warning does not stop the run
    failed = failed_checks(result)
    assert set(failed) == {("stripe/balance_transactions", "balance_transaction_types_known")}
    evaluation = failed[("stripe/balance_transactions", "balance_transaction_types_known")]
    assert evaluation.severity.value == "WARN"
    assert evaluation.metadata["balance_transactions"].value == ["txn_new_kind"]
    assert evaluation.metadata["unknown_types"].value == ["crypto_cashback"]
    assert evaluation.metadata["unknown_reporting_categories"].value == ["mystery_money"]
    [row] = [r.data for r in evaluation.metadata["offending_rows"].records]
    assert row == {"balance_transaction": "txn_new_kind", "type": "crypto_cashback",
                   "reporting_category": "mystery_money", "currency": "usd", "amount": "12.34"}
    assert stack.query("demo", "SELECT type, amount FROM staging.balance_transactions WHERE id = 'txn_new_kind'"
                       ) == [("crypto_cashback", 1234)]
