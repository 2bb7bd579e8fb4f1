"""Customers, products and prices written through the client, and the events each write leaves behind."""

from __future__ import annotations

import re

import pytest
import stripe

from ledger_pipeline.sandbox.common import SandboxClock
from ledger_pipeline.sandbox.stripe import StripeSandbox

from .conftest import AS_CONNECTED, CONNECTED, NOW, make_client


def events_of(served, object_id, **options):
    return [e for e in served.v1.events.list(params={"limit": 100}, options=options or None).auto_paging_iter()
            if e["data"]["object"]["id"] == object_id]


def test_customer_create_update_delete_with_events(served):
    v1 = served.v1
    created = v1.customers.create(params={"name": "Katherine Johnson", "email": "kj@example.com",
                                          "metadata": {"crm_id": "42"}, "address": {"country": "US"}})
    assert re.fullmatch(r"cus_[A-Za-z0-9]{14}", created.id)
    assert created["created"] == NOW and created["metadata"]["crm_id"] == "42"
    assert created["address"]["country"] == "US" and created["address"]["line1"] is None
    assert v1.customers.list(params={"limit": 1}).data[0].id == created.id  # newest first

    served.sandbox.clock.advance(60)
    updated = v1.customers.update(created.id, params={"email": "katherine@example.com",
                                                      "metadata": {"crm_id": "", "tier": "gold"}})
    assert updated["email"] == "katherine@example.com" and updated["metadata"].to_dict() == {"tier": "gold"}

    served.sandbox.clock.advance(60)
    deleted = v1.customers.delete(created.id)
    assert deleted.to_dict() == {"id": created.id, "object": "customer", "deleted": True}
    assert v1.customers.retrieve(created.id).to_dict() == {"id": created.id, "object": "customer", "deleted": True}
    assert created.id not in {c.id for c in v1.customers.list(params={"limit": 100}).data}
    with pytest.raises(stripe.InvalidRequestError) as caught:
        v1.customers.update(created.id, params={"name": "again"})
    assert caught.value.http_status == 404

    kinds = [(e["type"], e["created"]) for e in events_of(served, created.id)]
    assert kinds == [("customer.deleted", NOW + 120), ("customer.updated", NOW + 60), ("customer.created", NOW)]
    update = events_of(served, created.id)[1]
    assert update["data"]["previous_attributes"].to_dict() == {
        "email": "kj@example.com", "metadata": {"crm_id": "42", "tier": None}}
    assert update["request"]["id"].startswith("req_")


def test_update_that_changes_nothing_writes_no_event(served):
    customer = served.v1.customers.create(params={"name": "Same"})
    served.v1.customers.update(customer.id, params={"name": "Same"})
    assert [e["type"] for e in events_of(served, customer.id)] == ["customer.created"]


def test_product_and_price_lifecycle(served):
    v1 = served.v1
    product = v1.products.create(params={"name": "Audit pack", "metadata": {"sku": "AP-1"}})
    assert re.fullmatch(r"prod_[A-Za-z0-9]{14}", product.id) and product["active"] is True
    price = v1.prices.create(params={"product": product.id, "currency": "usd", "unit_amount": 2500,
                                     "recurring": {"interval": "month"}})
    assert price["type"] == "recurring" and price["recurring"]["interval_count"] == 1
    assert str(price["unit_amount_decimal"]) == "2500"  # stripe-python decodes it as a Decimal
    served.sandbox.clock.advance(5)
    renamed = v1.products.update(product.id, params={"name": "Audit pack+", "default_price": price.id})
    assert renamed["updated"] == NOW + 5 and renamed["default_price"] == price.id
    archived = v1.prices.update(price.id, params={"active": False})
    assert archived["active"] is False
    assert price.id in {p.id for p in v1.prices.list(params={"active": False}).data}
    with pytest.raises(stripe.InvalidRequestError):  # Stripe keeps products that have prices
        v1.products.delete(product.id)

    bare = v1.products.create(params={"name": "Disposable"})
    assert v1.products.delete(bare.id)["deleted"] is True
    with pytest.raises(stripe.InvalidRequestError) as caught:
        v1.products.retrieve(bare.id)
    assert caught.value.http_status == 404 and caught.value.code == "resource_missing"

    types = [e["type"] for e in v1.events.list(params={"type": "product.*"}).data]
    assert types == ["product.deleted", "product.created", "product.updated", "product.created"]
    price_events = v1.events.list(params={"type": "price.updated"}).data
    assert price_events[0]["data"]["previous_attributes"].to_dict() == {"active": True}


def test_price_with_product_data_creates_both(served):
    price = served.v1.prices.create(params={"currency": "eur", "unit_amount": 990,
                                            "product_data": {"name": "Add-on"}})
    product = served.v1.products.retrieve(price["product"])
    assert product["name"] == "Add-on" and price["currency"] == "eur" and price["type"] == "one_time"


@pytest.mark.parametrize("call,params,param", [
    ("products", {}, "name"),
    ("prices", {"product": "prod_TqPro00000001"}, "currency"),
    ("prices", {"currency": "usd", "product": "prod_missing"}, "product"),
    ("customers", {"favourite_colour": "blue"}, "favourite_colour"),
])
def test_bad_writes_are_refused_like_stripe(served, call, params, param):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        getattr(served.v1, call).create(params=params)
    assert caught.value.http_status == 400 and caught.value.param == param


def test_writes_on_a_connected_account_stay_there(served):
    customer = served.v1.customers.create(params={"name": "Tenant customer"}, options=AS_CONNECTED)
    assert customer.id in {c.id for c in served.v1.customers.list(options=AS_CONNECTED).data}
    with pytest.raises(stripe.InvalidRequestError):
        served.v1.customers.retrieve(customer.id)
    event = events_of(served, customer.id, stripe_account=CONNECTED)[0]
    assert event["account"] == CONNECTED and event["type"] == "customer.created"
    assert events_of(served, customer.id) == []
    saved = served.sandbox.dump()
    assert [o for o in saved["objects"] if o["id"] == customer.id][0]["account"] == CONNECTED


def test_voiding_an_open_invoice_and_refusing_a_paid_one():
    from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate

    seed = generate(GeneratorSettings(seed=5, days=3, charges_per_day=3, connected_accounts=0))
    invoices = [o for o in seed["objects"] if o["object"] == "invoice" and not o.get("account")]
    open_one = next(o for o in invoices if o["status"] == "open")
    paid_one = next(o for o in invoices if o["status"] == "paid")
    clock = SandboxClock(frozen_at=max(o["created"] for o in seed["objects"]) + 3600)
    with StripeSandbox(seed=seed, clock=clock, requests_per_second=100_000).serve() as server:
        v1 = make_client(server.base_url).v1
        voided = v1.invoices.void_invoice(open_one["id"])
        assert voided["status"] == "void" and voided["status_transitions"]["voided_at"] == clock.now()
        assert v1.invoices.retrieve(open_one["id"])["status"] == "void"
        kinds = [e["type"] for e in events_of_client(v1, open_one["id"])][:2]
        assert sorted(kinds) == ["invoice.updated", "invoice.voided"]
        with pytest.raises(stripe.InvalidRequestError) as caught:
            v1.invoices.void_invoice(paid_one["id"])  # Stripe voids only open or uncollectible invoices
        assert caught.value.http_status == 400 and "paid" in caught.value.user_message
        with pytest.raises(stripe.InvalidRequestError):
            v1.invoices.void_invoice(open_one["id"])  # already void


def events_of_client(v1, object_id):
    return [e for e in v1.events.list(params={"limit": 100}).auto_paging_iter()
            if e["data"]["object"]["id"] == object_id]
