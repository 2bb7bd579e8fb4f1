"""List filters: `created` windows on their exact boundaries, `?payout=`, and each resource's own filters."""

from __future__ import annotations

import pytest
import stripe

from .conftest import AS_CONNECTED, CONNECTED, DAY, T0

CHARGE_1_TXN_CREATED = T0 + DAY  # txn_3TqCharge1..., the only platform balance transaction of that second
PLATFORM_PAYOUT = "po_1TqPayout10000000000000"
CONNECTED_PAYOUT = "po_1TqConnPayout100000000000"
MANUAL_PAYOUT = "po_1TqConnInstant10000000000"


def txn_ids(reader, **params) -> set[str]:
    params.setdefault("limit", 100)
    return {t["id"] for t in reader.v1.balance_transactions.list(params=params).auto_paging_iter()}


@pytest.mark.parametrize("window,included", [
    ({"gte": CHARGE_1_TXN_CREATED}, True), ({"gt": CHARGE_1_TXN_CREATED}, False),
    ({"lte": CHARGE_1_TXN_CREATED}, True), ({"lt": CHARGE_1_TXN_CREATED}, False),
    ({"gte": CHARGE_1_TXN_CREATED, "lt": CHARGE_1_TXN_CREATED + 1}, True),
    ({"gte": CHARGE_1_TXN_CREATED - 1, "lt": CHARGE_1_TXN_CREATED}, False),
])
def test_created_window_boundaries(reader, window, included):
    assert ("txn_3TqCharge1000000000000" in txn_ids(reader, created=window)) is included


def test_plain_created_matches_one_second(reader):
    assert txn_ids(reader, created=CHARGE_1_TXN_CREATED) == {"txn_3TqCharge1000000000000"}


def test_daily_windows_partition_the_history(reader):
    everything = txn_ids(reader)
    days = [txn_ids(reader, created={"gte": T0 + d * DAY, "lt": T0 + (d + 1) * DAY}) for d in range(-1, 30)]
    assert sum(len(day) for day in days) == len(everything) and set().union(*days) == everything


def test_created_filter_on_other_resources(reader):
    charges = reader.v1.charges.list(params={"created": {"gte": T0 + 2 * DAY, "lt": T0 + 4 * DAY}})
    assert [c["id"] for c in charges.data] == ["ch_3TqCharge30000000000000", "ch_3TqCharge20000000000000"]


def test_payout_filter_lists_what_the_payout_paid_out_and_ties_out(reader):
    members = list(reader.v1.balance_transactions.list(params={"payout": PLATFORM_PAYOUT, "limit": 3})
                   .auto_paging_iter())
    payout = reader.v1.payouts.retrieve(PLATFORM_PAYOUT)
    assert payout["balance_transaction"] in {t["id"] for t in members}
    assert sum(t["net"] for t in members) == 0  # the payout's own -amount cancels what it paid out
    assert sum(t["net"] for t in members if t["type"] != "payout") == payout["amount"]
    # everything available before the payout went into it; the later charge did not
    assert "txn_3TqCharge4000000000000" not in {t["id"] for t in members}


def test_payout_filter_uses_a_stated_composition(reader):
    members = reader.v1.balance_transactions.list(params={"payout": CONNECTED_PAYOUT}, options=AS_CONNECTED)
    assert {t["id"] for t in members.data} == {"txn_3TqConnCharge10000000000", "txn_1TqPayment1000000000000",
                                               "txn_1TqConnPayout10000000000"}


def test_payout_filter_combines_with_type(reader):
    members = reader.v1.balance_transactions.list(params={"payout": PLATFORM_PAYOUT, "type": "charge"})
    assert {t["type"] for t in members.data} == {"charge"} and len(members.data) == 3


def test_payout_filter_on_a_manual_payout_is_refused(reader):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        reader.v1.balance_transactions.list(params={"payout": MANUAL_PAYOUT}, options=AS_CONNECTED)
    assert caught.value.http_status == 400 and "automatic" in caught.value.user_message


def test_payout_filter_on_an_unknown_payout(reader):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        reader.v1.balance_transactions.list(params={"payout": "po_unknown"})
    assert caught.value.code == "resource_missing" and caught.value.param == "payout"


def test_balance_history_alias(reader):
    page = reader.client.raw_request("get", "/v1/balance/history", limit=2)
    body = reader.client.deserialize(page, api_mode="V1")
    assert body["url"] == "/v1/balance/history" and len(body["data"]) == 2


@pytest.mark.parametrize("params,expected", [
    ({"type": "refund"}, {"txn_3TqRefund1000000000000"}),
    ({"type": "payout"}, {"txn_1TqPayout10000000000000"}),
    ({"source": "ch_3TqCharge20000000000000"}, {"txn_3TqCharge2000000000000"}),
    ({"currency": "usd", "type": "adjustment"}, {"txn_1TqDispute100000000000"}),
    ({"currency": "eur"}, set()),
])
def test_balance_transaction_filters(reader, params, expected):
    assert txn_ids(reader, **params) == expected


def test_filters_of_other_resources(reader):
    v1 = reader.v1
    ada = "cus_TqAda0000000001"
    assert {c["customer"] for c in v1.charges.list(params={"customer": ada}).data} == {ada}
    assert [c["id"] for c in v1.charges.list(params={"payment_intent": "pi_3TqCharge20000000000000"}).data] == [
        "ch_3TqCharge20000000000000"]
    assert [r["id"] for r in v1.refunds.list(params={"charge": "ch_3TqCharge20000000000000"}).data] == [
        "re_3TqRefund10000000000000"]
    assert [d["charge"] for d in v1.disputes.list(params={"charge": "ch_3TqCharge30000000000000"}).data] == [
        "ch_3TqCharge30000000000000"]
    assert [p["product"] for p in v1.prices.list(params={"product": "prod_TqPro00000001", "active": True}).data] == [
        "prod_TqPro00000001"]
    assert v1.prices.list(params={"active": False}).data == []
    assert [i["id"] for i in v1.invoices.list(params={"customer": ada, "status": "paid"}).data] == [
        "in_1TqInvoice1000000000000"]
    assert v1.invoices.list(params={"status": "open"}).data == []
    assert len(v1.credit_notes.list(params={"invoice": "in_1TqInvoice1000000000000"}).data) == 1
    assert len(v1.application_fees.list(params={"charge": "ch_3TqConnCharge100000000000"}).data) == 1
    assert [t["destination"] for t in v1.transfers.list(params={"destination": CONNECTED}).data] == [CONNECTED]
    assert [p["id"] for p in v1.payouts.list(params={"status": "paid"}).data] == [PLATFORM_PAYOUT]
    arrivals = v1.payouts.list(params={"arrival_date": {"lte": T0 + 9 * DAY}}, options=AS_CONNECTED)
    assert [p["id"] for p in arrivals.data] == [CONNECTED_PAYOUT]
    assert [c["email"] for c in v1.customers.list(params={"email": "grace@example.com"}).data] == [
        "grace@example.com"]


def test_invoice_payments_link_invoices_to_payment_intents(reader):
    v1 = reader.v1
    by_invoice = v1.invoice_payments.list(params={"invoice": "in_1TqInvoice1000000000000"}).data
    assert [p["payment"]["payment_intent"] for p in by_invoice] == ["pi_3TqCharge10000000000000"]
    by_intent = v1.invoice_payments.list(params={"payment": {"type": "payment_intent",
                                                             "payment_intent": "pi_3TqCharge10000000000000"}})
    assert [p["invoice"] for p in by_intent.data] == ["in_1TqInvoice1000000000000"]
    assert v1.invoice_payments.list(params={"status": "open"}).data == []


def test_event_type_filters(reader):
    v1 = reader.v1
    charges = {e["type"] for e in v1.events.list(params={"type": "charge.*"}).data}
    assert charges == {"charge.succeeded", "charge.refunded", "charge.dispute.created"}
    assert {e["type"] for e in v1.events.list(params={"type": "charge.succeeded"}).data} == {"charge.succeeded"}
    both = v1.events.list(params={"types": ["payout.paid", "charge.refunded"]}).data
    assert sorted(e["type"] for e in both) == ["charge.refunded", "payout.paid"]


def test_unknown_filter_is_refused_like_stripe(reader):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        reader.v1.charges.list(params={"colour": "blue"})
    assert caught.value.param == "colour" and "unknown parameter" in caught.value.user_message
    with pytest.raises(stripe.InvalidRequestError):
        reader.v1.charges.list(params={"created": {"after": T0}})
