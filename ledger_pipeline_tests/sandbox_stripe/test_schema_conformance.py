"""The sandbox's answers follow Stripe's JSON Schemas: the hand-made seed, objects the sandbox writes itself,
and (when the generator is there) a generated data set."""

from __future__ import annotations

import importlib
import warnings

import pytest

from ledger_pipeline.sandbox.common import SandboxClock
from ledger_pipeline.sandbox.stripe import StripeSandbox

from .conformance import Conformance
from .conftest import CONNECTED, NOW, Served


def test_seeded_answers_follow_the_schemas(reader, schemas):
    report = Conformance(schemas, reader.client).run([None, CONNECTED])
    assert report.errors == []
    for name in ("balance_transaction", "payout", "charge", "refund", "customer", "product", "price", "invoice",
                 "dispute", "account", "fee", "event", "payment_intent", "tax_rate", "line_item", "coupon",
                 "invoice_payments", "application_fees", "transfers", "credit_notes"):
        assert report.checked.get(name), f"nothing of type {name} was checked"


def test_deleted_customer_answer(reader, schemas):
    report = Conformance(schemas, reader.client)
    deleted = report.get("/v1/customers/cus_TqGone000000003")
    assert deleted == {"id": "cus_TqGone000000003", "object": "customer", "deleted": True}
    report.validate("deleted_customer", deleted, "deleted customer")
    assert report.errors == []


def test_objects_the_sandbox_writes_follow_the_schemas(served, schemas):
    v1 = served.v1
    customer = v1.customers.create(params={"name": "Schema", "email": "s@example.com",
                                           "shipping": {"name": "S", "address": {"country": "DE"}}})
    v1.customers.update(customer.id, params={"metadata": {"k": "v"}})
    product = v1.products.create(params={"name": "Schema product", "marketing_features": [{"name": "Fast"}]})
    price = v1.prices.create(params={"product": product.id, "currency": "usd", "unit_amount": 100,
                                     "recurring": {"interval": "year", "interval_count": 2}})
    v1.products.update(product.id, params={"default_price": price.id})
    v1.customers.delete(customer.id)
    report = Conformance(schemas, served.client)
    for path, name in [(f"/v1/products/{product.id}", "product"), (f"/v1/prices/{price.id}", "price")]:
        report.validate(name, report.get(path), path)
    for event in report.pages("/v1/events", None):
        if event["created"] >= NOW:
            report.validate("event", event, "event")
            report.validate(event["data"]["object"]["object"], event["data"]["object"], event["type"])
    assert report.errors == [] and report.checked["event"] == 6


def _generator():
    try:
        return importlib.import_module("ledger_pipeline.sandbox.stripe.generator")
    except ImportError:
        return None


@pytest.mark.skipif(_generator() is None, reason="the generator is not in the tree yet")
def test_generated_data_served_follows_the_schemas(schemas):
    """The server adds no schema errors to what the generator produced; the generator's own ones are
    reported as a warning (they are the generator's to fix, and show up here object by object)."""
    generator = _generator()
    seed = generator.generate(generator_settings(generator))
    in_seed = Conformance(schemas, client=None)
    for obj in seed["objects"]:
        kind = "deleted_customer" if obj.get("deleted") else obj["object"]
        if in_seed.has_schema(kind):
            marker = obj["object"] not in ("event", "application_fee")
            in_seed.validate(kind, {k: v for k, v in obj.items() if not (marker and k == "account")}, "seed")
    sandbox = StripeSandbox(seed, api_keys=None, requests_per_second=100_000, clock=SandboxClock())
    box = Served(sandbox)
    try:
        served = Conformance(schemas, box.client, per_resource=300).run([None] + sorted(sandbox.store.accounts))
    finally:
        box.server.stop()
    seed_faults = {_where(error) for error in in_seed.errors}
    added = [error for error in served.errors if _where(error) not in seed_faults]
    assert added == []
    if in_seed.errors:
        warnings.warn(f"generator output: {len(in_seed.errors)} schema errors in the seed objects, e.g. "
                      f"{in_seed.errors[:3]}")


def _where(error: str) -> tuple[str, str]:
    """(object id, path in it) of a Conformance error line, wherever the object was met."""
    head, _, rest = error.partition(": ")
    return head.split(" ")[-1], rest.split("]")[0]


def generator_settings(generator):
    """Small settings for the generator, whatever its settings type is called."""
    for name in ("GeneratorSettings", "Settings"):
        if hasattr(generator, name):
            settings = getattr(generator, name)
            for small in ({"days": 3, "charges_per_day": 8, "seed": 7}, {"days": 3, "seed": 7}, {}):
                try:
                    return settings(**small)
                except TypeError:
                    continue
    return {"seed": 7, "days": 3}
