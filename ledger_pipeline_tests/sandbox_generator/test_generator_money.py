"""Balance transactions add up: net = amount - fee, fee = sum of fee_details, fees priced like Stripe's,
conversions at the transaction's own exchange_rate (rounded once, half-up), refunds, disputes, Connect."""

from __future__ import annotations

from decimal import Decimal

from ledger_pipeline.money import convert
from ledger_pipeline.sandbox.stripe.gen_catalog import same_region
from ledger_pipeline.sandbox.stripe.gen_money import PRICING, percent_of, processing_fee

DAY = 86400


def _rate(txn) -> Decimal:
    return Decimal(repr(txn["exchange_rate"]))


def _stripe_fee(txn) -> int:
    return sum(d["amount"] for d in txn["fee_details"] if d["type"] == "stripe_fee")


def test_balance_transaction_arithmetic(idx):
    for txn in idx.of("balance_transaction"):
        for name in ("amount", "fee", "net", "created", "available_on"):
            assert type(txn[name]) is int, (txn["id"], name)
        assert txn["fee"] == sum(d["amount"] for d in txn["fee_details"]), txn["id"]
        assert txn["net"] == txn["amount"] - txn["fee"], txn["id"]
        assert all(d["currency"] == txn["currency"] and type(d["amount"]) is int for d in txn["fee_details"])
        assert txn["status"] == ("pending" if txn["available_on"] > idx.end else "available"), txn["id"]
        assert txn["available_on"] >= txn["created"]


def test_types_and_categories(idx):
    expected = {"charge": "charge", "payment": "charge", "refund": "refund", "application_fee": "platform_earning",
                "transfer": "transfer", "payout": "payout", "payout_failure": "payout_reversal", "stripe_fee": "fee"}
    seen = set()
    for txn in idx.of("balance_transaction"):
        seen.add((txn["type"], txn["reporting_category"]))
        if txn["type"] in expected:
            assert txn["reporting_category"] == expected[txn["type"]], txn["id"]
        else:
            assert txn["type"] == "adjustment" and txn["reporting_category"] in ("dispute", "dispute_reversal")
        if txn["type"] == "stripe_fee":
            assert txn["source"] is None and txn["amount"] < 0 and txn["fee"] == 0
    for pair in [("charge", "charge"), ("payment", "charge"), ("refund", "refund"), ("adjustment", "dispute"),
                 ("adjustment", "dispute_reversal"), ("application_fee", "platform_earning"),
                 ("transfer", "transfer"), ("payout", "payout"), ("payout_failure", "payout_reversal"),
                 ("stripe_fee", "fee")]:
        assert pair in seen, pair
    descriptions = {t["description"].split(" (")[0] for t in idx.of("balance_transaction") if t["type"] == "stripe_fee"}
    assert descriptions == {"Radar", "Billing - Usage Fee"}


def test_each_charge_has_its_balance_transaction(idx):
    converted = 0
    for charge in idx.of("charge"):
        owner = idx.owner[charge["id"]]
        if charge["status"] != "succeeded":
            assert charge["balance_transaction"] is None and not idx.bt_by_source.get(charge["id"])
            continue
        txn = idx.by_id[charge["balance_transaction"]]
        assert idx.owner[txn["id"]] == owner
        assert txn["source"] == charge["id"] and txn["created"] == charge["created"]
        assert txn["currency"] == idx.settlement(owner)
        if charge["id"].startswith("py_"):
            assert txn["type"] == "payment"
            continue
        assert txn["type"] == "charge"
        assert txn["available_on"] == (charge["created"] // DAY + 2) * DAY
        if charge["currency"] == txn["currency"]:
            assert txn["exchange_rate"] is None and txn["amount"] == charge["amount"]
        else:
            converted += 1
            assert txn["amount"] == convert(charge["amount"], charge["currency"], txn["currency"], _rate(txn))
        card = charge["payment_method_details"]["card"]
        international = not same_region(card["country"], idx.country(owner))
        expected = processing_fee(txn["amount"], PRICING[idx.country(owner)], international,
                                  charge["currency"] != txn["currency"])
        assert _stripe_fee(txn) == expected, charge["id"]
        assert [d["description"] for d in txn["fee_details"] if d["type"] == "stripe_fee"] == \
            ["Stripe processing fees"]
        intent = idx.by_id[charge["payment_intent"]]
        assert intent["latest_charge"] == charge["id"] and intent["amount"] == charge["amount"]
        assert intent["status"] == "succeeded" and idx.owner[intent["id"]] == owner
    assert converted >= 3


def test_fx_charges_presented_in_eur_settled_in_usd(idx):
    for case, currency in (("fx_charge_eur", "eur"), ("fx_charge_jpy", "jpy")):
        charge = next(o for o in idx.cases(case) if o["object"] == "charge")
        txn = idx.by_id[charge["balance_transaction"]]
        assert charge["currency"] == currency and txn["currency"] == "usd"
        assert isinstance(txn["exchange_rate"], float)
        assert txn["amount"] == convert(charge["amount"], currency, "usd", _rate(txn))


def test_zero_decimal_jpy_fees_are_whole_yen(idx):
    jp = [a["id"] for a in idx.accounts.values() if a["default_currency"] == "jpy"]
    assert jp, "the default data should have a JPY account"
    fractional = 0
    for txn in idx.of("balance_transaction", jp[0]):
        if txn["type"] != "charge":
            continue
        assert txn["currency"] == "jpy"
        charge = idx.by_id[txn["source"]]
        converted = charge["currency"] != "jpy"
        bps = 360 + (200 if converted else 0)
        assert _stripe_fee(txn) == percent_of(txn["amount"], bps)     # no fixed fee in Japan
        if (txn["amount"] * bps) % 10000:
            fractional += 1                                           # rounding actually happened
        app = [d for d in txn["fee_details"] if d["type"] == "application_fee"]
        assert len(app) == 1 and type(app[0]["amount"]) is int
    assert fractional > 0


def test_refunds_update_their_charges(idx):
    refunds_by_charge: dict[str, list] = {}
    for refund in idx.of("refund"):
        refunds_by_charge.setdefault(refund["charge"], []).append(refund)
        txn = idx.by_id[refund["balance_transaction"]]
        charge = idx.by_id[refund["charge"]]
        assert idx.owner[txn["id"]] == idx.owner[charge["id"]] == idx.owner[refund["id"]]
        assert txn["type"] == "refund" and txn["amount"] < 0 and txn["fee"] == 0 and txn["source"] == refund["id"]
        assert refund["currency"] == charge["currency"] and refund["created"] >= charge["created"]
        if refund["currency"] == txn["currency"]:
            assert txn["amount"] == -refund["amount"]
        else:
            assert txn["amount"] == -convert(refund["amount"], refund["currency"], txn["currency"], _rate(txn))
    full = partial = late = 0
    for charge_id, refunds in refunds_by_charge.items():
        charge = idx.by_id[charge_id]
        assert charge["amount_refunded"] == sum(r["amount"] for r in refunds)
        assert charge["refunded"] == (charge["amount_refunded"] == charge["amount"])
        full += charge["refunded"]
        partial += not charge["refunded"]
        late += any(r["created"] - charge["created"] >= DAY for r in refunds)
    assert full and partial and late
    two = next(o for o in idx.cases("refund_two_partials_fx") if o["object"] == "charge")
    assert len(refunds_by_charge[two["id"]]) == 2 and two["refunded"]


def test_disputes(idx):
    outcomes = set()
    for dispute in idx.of("dispute"):
        charge = idx.by_id[dispute["charge"]]
        owner = idx.owner[dispute["id"]]
        assert charge["disputed"] and idx.owner[charge["id"]] == owner
        assert dispute["amount"] == charge["amount"] and dispute["currency"] == charge["currency"]
        top = idx.bt_by_source[dispute["id"]]
        assert [t["id"] for t in top] == [t["id"] for t in dispute["balance_transactions"]]
        for embedded in dispute["balance_transactions"]:   # the same, minus the seed's owner marker
            assert embedded == {k: v for k, v in idx.by_id[embedded["id"]].items() if k != "account"}
        withdrawal = top[0]
        fee = PRICING[idx.country(owner)].dispute_fee
        assert withdrawal["reporting_category"] == "dispute" and withdrawal["type"] == "adjustment"
        assert withdrawal["amount"] < 0 and withdrawal["fee"] == fee
        assert withdrawal["fee_details"][0]["description"] == "Dispute fee"
        if dispute["status"] == "won":
            reversal = top[1]
            assert reversal["reporting_category"] == "dispute_reversal"
            assert reversal["amount"] == -withdrawal["amount"] and reversal["fee"] == -fee
            assert reversal["net"] == -withdrawal["amount"] + fee
        else:
            assert len(top) == 1
        outcomes.add(dispute["status"])
    assert {"won", "lost"} <= outcomes and outcomes & {"needs_response", "under_review"}
    us = [t for t in idx.of("balance_transaction", None) if t["reporting_category"] == "dispute"]
    assert all(t["fee"] == 1500 for t in us)


def test_application_fees(idx):
    direct = destination = 0
    for fee in idx.of("application_fee"):
        txn = idx.by_id[fee["balance_transaction"]]
        assert idx.owner[txn["id"]] is None and txn["type"] == "application_fee" and txn["source"] == fee["id"]
        assert txn["currency"] == "usd" and txn["fee"] == 0
        if fee["currency"] == "usd":
            assert txn["amount"] == fee["amount"] and txn["exchange_rate"] is None
        else:
            assert txn["amount"] == convert(fee["amount"], fee["currency"], "usd", _rate(txn))
        charge = idx.by_id[fee["charge"]]
        assert idx.owner[charge["id"]] == fee["account"] and fee["account"] in idx.accounts
        assert charge["application_fee"] == fee["id"] and charge["application_fee_amount"] == fee["amount"]
        connected_txn = idx.by_id[charge["balance_transaction"]]
        app = [d for d in connected_txn["fee_details"] if d["type"] == "application_fee"]
        assert len(app) == 1
        if fee["currency"] == connected_txn["currency"]:
            assert app[0]["amount"] == fee["amount"]
        else:
            assert app[0]["amount"] == convert(fee["amount"], fee["currency"], connected_txn["currency"],
                                               _rate(connected_txn))
        if fee["originating_transaction"]:
            destination += 1
            origin = idx.by_id[fee["originating_transaction"]]
            assert idx.owner[origin["id"]] is None and origin["transfer_data"]["destination"] == fee["account"]
        else:
            direct += 1
            assert charge["application"] and charge["id"].startswith("ch_")
    assert direct and destination


def test_transfers_and_destination_payments(idx):
    assert idx.of("transfer")
    for transfer in idx.of("transfer"):
        txn = idx.by_id[transfer["balance_transaction"]]
        assert idx.owner[txn["id"]] is None and txn["type"] == "transfer" and txn["amount"] == -transfer["amount"]
        source = idx.by_id[transfer["source_transaction"]]
        assert source["transfer"] == transfer["id"] and source["amount"] == transfer["amount"]
        assert txn["available_on"] == idx.by_id[source["balance_transaction"]]["available_on"]
        payment = idx.by_id[transfer["destination_payment"]]
        assert idx.owner[payment["id"]] == transfer["destination"]
        assert payment["source_transfer"] == transfer["id"]
        payment_txn = idx.by_id[payment["balance_transaction"]]
        assert payment_txn["type"] == "payment" and payment_txn["reporting_category"] == "charge"
        if payment_txn["currency"] == transfer["currency"]:
            assert payment_txn["amount"] == transfer["amount"]
        else:
            assert payment_txn["amount"] == convert(transfer["amount"], transfer["currency"],
                                                    payment_txn["currency"], _rate(payment_txn))
        assert payment["amount"] == payment_txn["amount"] and payment["currency"] == payment_txn["currency"]


def test_exchange_rate_survives_json(idx):
    """The float in JSON carries the exact six-significant-digit Decimal the amounts were computed with."""
    for txn in idx.of("balance_transaction"):
        if txn["exchange_rate"] is not None:
            rate = _rate(txn)
            assert len(rate.normalize().as_tuple().digits) <= 6
