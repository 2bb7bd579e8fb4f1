"""Live updates: Stripe events (polled, or received by webhook) become runs of the days they change."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import dagster as dg
import stripe
from starlette.testclient import TestClient

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.automation.events_sensor import stripe_changes_sensor
from ledger_pipeline.defs.automation.jobs import ledger_daily_job
from ledger_pipeline.defs.automation.webhook_receiver import build_webhook_app
from ledger_pipeline.lib.partitions import tenant_day_partitions

from .conftest import DAYS, END, KEY, NOON_END, add_tenants, midnight

SECRET = "whsec_test_events_sensor"


def _evaluate(instance, stripe_sandbox, inbox, cursor: str | None) -> dg.SensorResult:
    context = dg.build_sensor_context(instance=instance, cursor=cursor,
                                      resources={"stripe": stripe_sandbox.resource(), "stripe_event_inbox": inbox})
    return stripe_changes_sensor(context)


def _platform_charge(seed: dict[str, Any], day: dt.date) -> dict[str, Any]:
    return next(obj for obj in seed["objects"]
                if obj["object"] == "charge" and obj.get("account") is None and obj["status"] == "succeeded"
                and not obj["refunded"] and not obj["disputed"] and obj["currency"] == "usd"
                and midnight(day) <= obj["created"] < midnight(day) + 86400)


def _late_refund(charge: dict[str, Any], when: int) -> list[dict[str, Any]]:
    """A refund today of a charge from days ago, with the objects and both events Stripe makes for it."""
    refunded = dict(charge, amount_refunded=charge["amount"], refunded=True)
    refund = {"id": "re_late_1", "object": "refund", "amount": charge["amount"], "currency": "usd",
              "charge": charge["id"], "payment_intent": charge["payment_intent"], "created": when,
              "balance_transaction": "txn_late_1", "status": "succeeded", "reason": "requested_by_customer",
              "metadata": {}}
    event = {"object": "event", "api_version": "2026-10-28.endive", "livemode": False, "pending_webhooks": 1,
             "request": {"id": "req_late_1", "idempotency_key": None}, "created": when}
    return [
        refund,
        {"id": "txn_late_1", "object": "balance_transaction", "amount": -charge["amount"], "fee": 0,
         "net": -charge["amount"], "currency": "usd", "created": when, "available_on": when, "type": "refund",
         "reporting_category": "refund", "source": "re_late_1", "fee_details": [], "exchange_rate": None,
         "status": "available", "description": "REFUND FOR CHARGE"},
        refunded,
        dict(event, id="evt_late_refund_created", type="refund.created", data={"object": refund}),
        dict(event, id="evt_late_charge_refunded", type="charge.refunded",
             data={"object": refunded, "previous_attributes": {"amount_refunded": 0, "refunded": False}}),
    ]


def test_a_late_refund_reruns_the_refund_day_and_the_charge_day(configure, instance, stripe_sandbox, inbox, seed):
    configure()
    add_tenants(instance, "demo")
    first = _evaluate(instance, stripe_sandbox, inbox, None)
    assert not first.run_requests  # a tenant seen for the first time starts at its newest event
    assert json.loads(first.cursor)["tenants"]["demo"]["created"] < NOON_END

    charge = _platform_charge(seed, DAYS[0])
    stripe_sandbox.add_objects(_late_refund(charge, NOON_END + 60))
    second = _evaluate(instance, stripe_sandbox, inbox, first.cursor)

    requests = {r.partition_key: r for r in second.run_requests}
    # The refund's balance transaction lands yesterday; the charge it refunded is from three days ago.
    assert set(requests) == {f"{END}|demo", f"{DAYS[0]}|demo"}
    assert all(r.tags["ledger/trigger"] == "stripe_changes" for r in requests.values())
    both = {"evt_late_charge_refunded", "evt_late_refund_created"}
    assert set(requests[f"{DAYS[0]}|demo"].tags["ledger/stripe_events"].split(",")) == both
    assert requests[f"{END}|demo"].run_key == f"stripe-changes|demo|{END}|inbox 1-2"
    assert json.loads(second.cursor)["tenants"]["demo"] == {"created": NOON_END + 60, "ids": sorted(both)}

    # The next tick re-lists the overlap but finds nothing new: no second request.
    third = _evaluate(instance, stripe_sandbox, inbox, second.cursor)
    assert not third.run_requests
    # The same tick evaluated again (say its result was lost) asks for the same run keys, launched once.
    again = _evaluate(instance, stripe_sandbox, inbox, first.cursor)
    assert {r.run_key for r in again.run_requests} == {r.run_key for r in second.run_requests}


def test_a_connected_accounts_customer_edit_reruns_the_day_it_happened(configure, instance, stripe_sandbox, inbox,
                                                                       seed):
    configure()
    account = next(obj["id"] for obj in seed["objects"] if obj["object"] == "account")
    tenant = f"demo.{account}"
    add_tenants(instance, "demo", tenant)
    first = _evaluate(instance, stripe_sandbox, inbox, None)

    client = stripe.StripeClient(KEY, base_addresses={"api": stripe_sandbox.base_url}, stripe_account=account,
                                 max_network_retries=0)
    customer = next(obj for obj in seed["objects"] if obj["object"] == "customer" and obj.get("account") == account
                    and midnight(DAYS[0]) <= obj["created"] < midnight(DAYS[0]) + 86400)
    client.v1.customers.update(customer["id"], params={"name": "Renamed by accounting"})

    second = _evaluate(instance, stripe_sandbox, inbox, first.cursor)
    # A customer has no day of its own in the books: the day the edit happened re-reads it.
    assert [r.partition_key for r in second.run_requests] == [f"{END}|{tenant}"]


def test_a_webhook_event_and_its_polled_twin_make_one_run_request(configure, instance, stripe_sandbox, inbox, seed):
    configure()
    add_tenants(instance, "demo")
    first = _evaluate(instance, stripe_sandbox, inbox, None)

    charge = _platform_charge(seed, DAYS[1])
    objects = _late_refund(charge, NOON_END + 120)
    stripe_sandbox.add_objects(objects)
    # Stripe also delivers the refund's event to the webhook receiver, which writes the same inbox.
    app = build_webhook_app(project_config(), inbox, {"demo": SECRET}, tolerance_seconds=300)
    payload = json.dumps(objects[3])
    header = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
    answer = TestClient(app).post("/webhooks/stripe/demo", content=payload, headers={"Stripe-Signature": header})
    assert answer.status_code == 200 and answer.json()["tenant"] == "demo", answer.text

    second = _evaluate(instance, stripe_sandbox, inbox, first.cursor)
    keys = [r.partition_key for r in second.run_requests]
    assert sorted(keys) == sorted({f"{END}|demo", f"{DAYS[1]}|demo"})  # one request per day, not per route


def test_a_day_with_a_run_already_waiting_is_left_to_it(configure, instance, stripe_sandbox, inbox, seed):
    configure()
    add_tenants(instance, "demo")
    first = _evaluate(instance, stripe_sandbox, inbox, None)
    stripe_sandbox.add_objects(_late_refund(_platform_charge(seed, DAYS[0]), NOON_END + 60))
    # A run of yesterday that has not started yet: when it starts it reads the refund.
    instance.add_run(dg.DagsterRun(job_name="ledger_daily_job", run_id=str(uuid.uuid4()),
                                   status=dg.DagsterRunStatus.NOT_STARTED, tags={"dagster/partition": f"{END}|demo"}))
    second = _evaluate(instance, stripe_sandbox, inbox, first.cursor)
    assert [r.partition_key for r in second.run_requests] == [f"{DAYS[0]}|demo"]


def test_an_account_first_heard_of_by_webhook_becomes_a_tenant_with_its_run(configure, persistent_instance,
                                                                            stripe_sandbox, inbox, seed):
    configure()
    instance = persistent_instance
    add_tenants(instance, "demo")
    first = _evaluate(instance, stripe_sandbox, inbox, None)
    account = next(obj["id"] for obj in seed["objects"] if obj["object"] == "account")
    payload = json.dumps({"id": "evt_new_account", "object": "event", "type": "customer.updated",
                          "account": account, "created": NOON_END + 30,
                          "data": {"object": {"id": "cus_new", "object": "customer", "created": midnight(DAYS[0])}}})
    app = build_webhook_app(project_config(), inbox, {"demo": SECRET}, tolerance_seconds=300)
    header = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
    assert TestClient(app).post("/webhooks/stripe/demo", content=payload,
                                headers={"Stripe-Signature": header}).status_code == 200

    # Evaluated as the daemon does (with the instance's ref and the repository), so Dagster checks each
    # request's partition against the tenants as they will be once the add request is applied.
    resources = {"stripe": stripe_sandbox.resource(), "stripe_event_inbox": inbox}
    repository = dg.Definitions(assets=[probe], jobs=[ledger_daily_job], sensors=[stripe_changes_sensor],
                                resources=resources).get_repository_def()
    context = dg.build_sensor_context(instance_ref=instance.get_ref(), cursor=first.cursor,
                                      repository_def=repository, resources=resources)
    second = stripe_changes_sensor.evaluate_tick(context)
    tenant = f"demo.{account}"
    assert [r.partition_key for r in second.run_requests] == [f"{END}|{tenant}"]
    [added] = second.dynamic_partitions_requests
    assert list(added.partition_keys) == [tenant]


@dg.asset(partitions_def=tenant_day_partitions)
def probe() -> None:
    """Stands in for the ledger's assets: the daily job's partitions are the assets' own."""
