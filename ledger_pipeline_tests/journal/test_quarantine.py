"""A value the mapping does not place holds back exactly the entries that need it; the rest is booked."""

from __future__ import annotations

from .conftest import MAPPING

SUMMARY = "demo/payout_summary/summary"


def _two_payouts(ledger, odd_member):
    """po_1 carries a plain sale and `odd_member`; po_2 only plain sales."""
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00")
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    net = ledger.conn.execute("SELECT net FROM staging.balance_transactions WHERE id = ?", [odd_member]).fetchone()[0]
    ledger.payout("po_1", 9680 + net, created="2026-10-03 02:30", members=["txn_1", odd_member])
    ledger.charge("ch_2", 5000, created="2026-10-02 09:00")
    ledger.bt("txn_2", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-10-02 09:00", source="ch_2")
    ledger.payout("po_2", 4825, created="2026-10-04 02:30", members=["txn_2"])


def test_unknown_reporting_category_is_quarantined_and_nothing_else_is_blocked(ledger):
    ledger.bt("txn_odd", "mystery_movement", -300, category="shiny_new_thing", created="2026-10-01 11:00",
              description="Something Stripe added last week")
    _two_payouts(ledger, "txn_odd")
    ledger.book("2026-10-04")

    # po_1's summary waits; po_2's summary and both payouts to the bank are booked
    assert ledger.entry_keys() == ["demo/payout_summary/payout/po_1", "demo/payout_summary/payout/po_2",
                                   f"{SUMMARY}/po_2/2026-10"]
    [held] = ledger.quarantined()
    assert (held["entry_key"], held["value_kind"], held["value"]) == (
        f"{SUMMARY}/po_1/2026-10", "reporting_category", "shiny_new_thing")
    assert held["mapping_file"] == "mappings/demo.yaml" and held["mapping_key"] == "categories.shiny_new_thing"
    assert "is not one Stripe documents" in held["reason"] and "mystery_movement" in held["reason"]
    assert held["balance_transaction_ids"] == ["txn_odd"]
    assert sorted(held["entry_balance_transaction_ids"]) == ["txn_1", "txn_odd"]
    assert ledger.bookings()["txn_1"] == ("quarantined", f"{SUMMARY}/po_1/2026-10")

    failed = ledger.failed("2026-10-04")
    assert set(failed) == {"no_unmapped_values"}
    [value] = failed["no_unmapped_values"].metadata["unmapped_values"].value
    assert value["value"] == "shiny_new_thing"
    assert value["map_it_in"] == "mappings/demo.yaml: categories.shiny_new_thing"
    assert value["balance_transactions"] == ["txn_odd"]

    # The accountant maps it; the next run books the held entry and the check passes.
    ledger.use_mapping(MAPPING + "categories:\n  shiny_new_thing: {ref: \"36\", name: Uncategorized Expense}\n")
    ledger.book("2026-10-05")
    assert ledger.quarantined() == []
    assert ledger.lines(f"{SUMMARY}/po_1/2026-10") == [
        ("3", 9380, 0, "Net of the transactions paid out"),
        ("24", 0, 10000, "Sales"),
        ("31", 320, 0, "Stripe processing fees"),
        ("36", 300, 0, "Stripe shiny_new_thing"),
    ]
    assert not ledger.failed("2026-10-05")


def test_documented_category_without_a_rule_needs_its_own_account(ledger):
    ledger.bt("txn_adv", "advance", 50000, category="advance", created="2026-10-01 11:00")
    _two_payouts(ledger, "txn_adv")
    ledger.book("2026-10-04")
    [held] = ledger.quarantined()
    assert (held["value_kind"], held["value"], held["mapping_key"]) == (
        "reporting_category", "advance", "categories.advance")
    assert "has no booking rule" in held["reason"]


def test_unmapped_product_is_named_with_where_to_map_it(ledger):
    ledger.product("prod_mys", "Mystery box")
    ledger.invoice("in_1", created="2026-10-01 08:00", payment_intents=["pi_1"], lines=[
        {"id": "il_1", "product": "prod_mys", "amount": 3000}])
    ledger.charge("ch_mys", 3000, payment_intent="pi_1", created="2026-10-01 10:00")
    ledger.bt("txn_mys", "charge", 3000, fees=[("stripe_fee", 117)], created="2026-10-01 10:00", source="ch_mys")
    _two_payouts(ledger, "txn_mys")
    ledger.book("2026-10-04")

    [held] = ledger.quarantined()
    assert (held["value_kind"], held["value"]) == ("product", 'prod_mys "Mystery box"')
    assert held["mapping_key"] == 'products: add `- product: prod_mys` (or `- name: "Mystery box"`) with its account'
    assert held["source_ids"] == ["ch_mys"] and held["balance_transaction_ids"] == ["txn_mys"]
    assert sorted(held["entry_balance_transaction_ids"]) == ["txn_1", "txn_mys"]
    assert f"{SUMMARY}/po_2/2026-10" in ledger.entry_keys()
    failed = ledger.failed("2026-10-04")
    assert set(failed) == {"no_unmapped_values"}
    assert 'product prod_mys "Mystery box"' in failed["no_unmapped_values"].description
    assert "mappings/demo.yaml: products" in failed["no_unmapped_values"].description


def test_unmapped_currency_and_fee_type(ledger):
    # A GBP balance (no Stripe Clearing GBP mapped) and a fee type the file does not name.
    ledger.charge("ch_gbp", 4000, currency="gbp", created="2026-10-01 09:00")
    ledger.bt("txn_gbp", "charge", 4000, currency="gbp", fees=[("stripe_fee", 80), ("withheld_tax", 12)],
              created="2026-10-01 09:00", source="ch_gbp")
    ledger.payout("po_gbp", 3908, currency="gbp", created="2026-10-03 02:30", members=["txn_gbp"])
    ledger.book("2026-10-03")
    held = {(q["value_kind"], q["value"], q["mapping_key"]) for q in ledger.quarantined()}
    assert ("currency", "gbp", "accounts.clearing.gbp") in held
    assert ("currency", "gbp", "accounts.bank.gbp") in held
    assert ("fee_type", "withheld_tax", "fees.withheld_tax") in held
    assert ledger.entry_keys() == []


def test_unmapped_stripe_fee_kind_and_tracking_value(ledger):
    ledger.use_mapping(MAPPING + """tracking:
  dimension: class
  metadata_key: channel
  values:
    online: {ref: "1", name: Online}
  default: {ref: "1", name: Online}
""")
    ledger.bt("txn_id", "stripe_fee", -150, category="fee", created="2026-10-01 01:00",
              description="Identity (2026-09-30): document checks", available_on="2026-10-01 01:00")
    ledger.charge("ch_1", 10000, created="2026-10-01 09:00", metadata={"channel": "kiosk"})
    ledger.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    ledger.charge("ch_2", 5000, created="2026-10-01 09:30", metadata={"channel": "online"})
    ledger.bt("txn_2", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-10-01 09:30", source="ch_2")
    ledger.payout("po_1", 14355, created="2026-10-03 02:30", members=["txn_id", "txn_1", "txn_2"])
    ledger.book("2026-10-03")
    held = {(q["value_kind"], q["value"], q["mapping_key"]) for q in ledger.quarantined()}
    assert held == {("stripe_fee_kind", "identity", "stripe_fees.identity (or stripe_fees.other for every kind not listed)"),
                    ("tracking_value", "kiosk", "tracking.values.kiosk")}
