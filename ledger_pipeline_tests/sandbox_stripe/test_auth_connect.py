"""API keys (401, masked like Stripe) and Connect scoping with Stripe-Account (isolation, 403)."""

from __future__ import annotations

import pytest
import requests
import stripe

from .conftest import AS_CONNECTED, CONNECTED, KEY, make_client, seed_objects

RESOURCES = ["balance_transactions", "charges", "payment_intents", "refunds", "disputes", "payouts", "customers",
             "products", "prices", "invoices", "credit_notes", "tax_rates", "events", "transfers", "invoice_payments",
             "coupons"]


def test_missing_key_is_401_in_stripes_shape(reader):
    answer = requests.get(f"{reader.base_url}/v1/charges")
    assert answer.status_code == 401 and answer.headers["Request-Id"].startswith("req_")
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error" and "did not provide an API key" in error["message"]


def test_wrong_key_raises_authentication_error_with_the_key_masked(reader):
    client = make_client(reader.base_url, key="sk_test_51Hsomethingsecretabcd")
    with pytest.raises(stripe.AuthenticationError) as caught:
        client.v1.charges.list()
    assert caught.value.http_status == 401
    assert "sk_test_****abcd" in caught.value.user_message and "secret" not in caught.value.user_message


def test_basic_auth_with_the_key_as_user_works(reader):
    answer = requests.get(f"{reader.base_url}/v1/customers", auth=(KEY, ""))
    assert answer.status_code == 200 and answer.json()["object"] == "list"


@pytest.mark.parametrize("resource", RESOURCES)
def test_connected_account_and_platform_never_see_each_other(reader, resource):
    service = getattr(reader.v1, resource)
    platform = {o["id"] for o in service.list(params={"limit": 100}).auto_paging_iter()}
    connected = {o["id"] for o in service.list(params={"limit": 100}, options=AS_CONNECTED).auto_paging_iter()}
    assert not platform & connected
    kind = {"balance_transactions": "balance_transaction", "charges": "charge", "payment_intents": "payment_intent",
            "refunds": "refund", "disputes": "dispute", "payouts": "payout", "customers": "customer",
            "products": "product", "prices": "price", "invoices": "invoice", "credit_notes": "credit_note",
            "tax_rates": "tax_rate", "events": "event", "transfers": "transfer",
            "invoice_payments": "invoice_payment", "coupons": "coupon"}[resource]
    if kind != "event":
        assert connected == {o["id"] for o in seed_objects(kind, CONNECTED)}
    for object_id in list(connected)[:2]:
        with pytest.raises(stripe.InvalidRequestError) as caught:
            service.retrieve(object_id)
        assert caught.value.http_status == 404 and caught.value.code == "resource_missing"
    for object_id in list(platform)[:2]:
        with pytest.raises(stripe.InvalidRequestError):
            service.retrieve(object_id, options=AS_CONNECTED)


def test_connected_events_carry_their_account(reader):
    events = reader.v1.events.list(options=AS_CONNECTED).data
    assert events and {e["account"] for e in events} == {CONNECTED}


def test_unknown_account_is_403_permission_error(reader):
    with pytest.raises(stripe.PermissionError) as caught:
        reader.v1.charges.list(options={"stripe_account": "acct_1NotMine000000"})
    assert caught.value.http_status == 403 and "acct_1NotMine000000" in caught.value.user_message
    assert "sk_test_****dbox" in caught.value.user_message


def test_accounts_belong_to_the_platform(reader):
    accounts = reader.v1.accounts.list().data
    assert [a["id"] for a in accounts] == [CONNECTED]
    with pytest.raises(stripe.PermissionError):
        reader.v1.accounts.list(options=AS_CONNECTED)
    assert reader.v1.accounts.retrieve(CONNECTED, options=AS_CONNECTED)["id"] == CONNECTED
    assert reader.v1.accounts.retrieve_current(options=AS_CONNECTED)["id"] == CONNECTED
    assert reader.v1.accounts.retrieve_current()["object"] == "account"


def test_application_fees_stay_on_the_platform(reader):
    assert len(reader.v1.application_fees.list().data) == 1
    assert reader.v1.application_fees.list(options=AS_CONNECTED).data == []
