"""`expand[]` on lists and retrieves, nested paths, and Stripe's refusal of paths it cannot expand."""

from __future__ import annotations

import pytest
import stripe

from .conftest import AS_CONNECTED, CONNECTED


def test_list_expands_each_source_to_its_object(reader):
    page = reader.v1.balance_transactions.list(params={"limit": 100, "expand": ["data.source"]})
    kinds = {txn["type"]: txn["source"]["object"] for txn in page.data}
    assert kinds == {"charge": "charge", "refund": "refund", "adjustment": "dispute", "payout": "payout",
                     "application_fee": "application_fee", "transfer": "transfer"}
    for txn in page.data:
        assert txn["source"]["id"].split("_")[0] in ("ch", "re", "dp", "po", "fee", "tr")


def test_nested_expansion_follows_the_chain(reader):
    page = reader.v1.balance_transactions.list(params={"type": "charge", "expand": ["data.source.customer"]})
    customers = {txn["source"]["customer"]["object"] for txn in page.data}
    assert customers == {"customer"}


def test_retrieve_expands_several_fields(reader):
    charge = reader.v1.charges.retrieve("ch_3TqCharge10000000000000",
                                        params={"expand": ["balance_transaction", "customer", "payment_intent"]})
    assert charge["balance_transaction"]["net"] == 4728
    assert charge["customer"]["email"] == "ada@example.com"
    assert charge["payment_intent"]["latest_charge"] == charge["id"]
    plain = reader.v1.charges.retrieve("ch_3TqCharge10000000000000")
    assert plain["balance_transaction"] == "txn_3TqCharge1000000000000"  # the store is not changed by expanding


def test_expanding_a_null_field_keeps_null(reader):
    charge = reader.v1.charges.retrieve("ch_3TqCharge10000000000000", params={"expand": ["review"]})
    assert charge["review"] is None


def test_platform_follows_an_application_fee_into_the_connected_account(reader):
    fee = reader.v1.application_fees.list(params={"expand": ["data.charge", "data.account"]}).data[0]
    assert fee["charge"]["object"] == "charge" and fee["account"]["id"] == CONNECTED


def test_connected_account_expands_its_own_objects(reader):
    txn = reader.v1.balance_transactions.retrieve("txn_3TqConnCharge10000000000",
                                                   params={"expand": ["source"]}, options=AS_CONNECTED)
    assert txn["source"]["application_fee_amount"] == 500


@pytest.mark.parametrize("path", ["amount", "data.amount", "data.nothing_here", "data.fee_details",
                                  "data.source.amount"])
def test_unexpandable_paths_are_refused(reader, path):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        reader.v1.balance_transactions.list(params={"expand": [path]})
    assert caught.value.http_status == 400 and "cannot be expanded" in caught.value.user_message


def test_expand_on_invoice_lines(reader):
    lines = reader.v1.invoices.line_items.list("in_1TqInvoice1000000000000",
                                               params={"expand": ["data.price.product"]})
    assert lines["url"] == "/v1/invoices/in_1TqInvoice1000000000000/lines"
    assert lines.data[0]["price"]["product"]["name"] == "Ledger Pro plan"
