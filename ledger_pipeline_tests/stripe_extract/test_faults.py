"""Faults: 429 storms, 5xx, timeouts and cut-off bodies are retried; a bad key fails first and loudly."""

from __future__ import annotations

import dagster as dg
import pytest

from ledger_pipeline.defs.stripe.client import StripeKeyError
from ledger_pipeline.defs.stripe.assets import stripe_extraction
from ledger_pipeline.lib.partitions import partition_key
from ledger_pipeline.sandbox.common import Faults, ScriptedFault
from ledger_pipeline.warehouse import WarehouseResource

from .conftest import DAYS, created_on, failed_checks, new_sandbox


def _bt_ids(seed, day):
    return {obj["id"] for obj in seed["objects"] if obj["object"] == "balance_transaction"
            and obj.get("account") is None and created_on(obj, day)}


def _extraction_metadata(result):
    return next(m for m in result.asset_materializations_for_node("stripe_extraction")
                if m.asset_key.to_user_string() == "stripe/balance_transactions").metadata["extraction"].value


def test_429_storm_is_absorbed(stack_factory, seed):
    # 5 requests per 50 ms window at the server (time scale 20), while the client asks for 400/s; plus
    # scripted 429s on the busiest list.
    sandbox = new_sandbox(seed, requests_per_second=5, faults=Faults(scripted=[
        ScriptedFault(path="^/v1/balance_transactions$", status=429, count=3, headers={"Retry-After": "1"})]))
    sandbox.clock.time_scale = 20
    stack = stack_factory(sandbox)
    result = stack.run("demo", DAYS[1])
    assert result.success and not failed_checks(result)
    stats = stack.stats()
    assert stats["rate_limited"] >= 3
    assert _extraction_metadata(result)["rate_limited"] == stats["rate_limited"]
    got = {row[0] for row in stack.query("demo", "SELECT id FROM staging.balance_transactions")}
    assert got == _bt_ids(seed, DAYS[1])


def test_5xx_timeouts_and_cut_bodies_are_retried(stack_factory, seed):
    faults = Faults(timeout_seconds=2.0, scripted=[
        ScriptedFault(path="^/v1/charges$", status=500, count=2),
        ScriptedFault(path="^/v1/events$", status=503, count=1),
        ScriptedFault(path="^/v1/payouts$", kind="timeout", count=1),
        ScriptedFault(path="^/v1/customers$", kind="malformed", count=1),
        ScriptedFault(path="^/v1/balance_transactions$", status=502, count=1),
    ])
    stack = stack_factory(new_sandbox(seed, faults=faults))
    result = stack.run("demo", DAYS[1], stack.stripe(timeout_seconds=0.3))
    assert result.success and not failed_checks(result)
    calls = _extraction_metadata(result)
    assert calls["retries"] >= 6 and calls["timeouts"] >= 1 and calls["server_errors"] >= 4
    assert not stack.sandbox.faults.scripted  # every scripted fault was met
    got = {row[0] for row in stack.query("demo", "SELECT id FROM staging.balance_transactions")}
    assert got == _bt_ids(seed, DAYS[1])
    customers = {obj["id"] for obj in seed["objects"] if obj["object"] == "customer"
                 and obj.get("account") is None and created_on(obj, DAYS[1]) and not obj.get("deleted")}
    listed = {row[0] for row in stack.query("demo", "SELECT object_id FROM raw.stripe_objects "
                                                    "WHERE object_type = 'customer' AND origin = 'list'")}
    assert listed == customers


def test_giving_up_after_max_retries_names_the_request(stack_factory, seed):
    faults = Faults(scripted=[ScriptedFault(path="^/v1/refunds$", status=500, count=50)])
    stack = stack_factory(new_sandbox(seed, faults=faults))
    result = stack.run("demo", DAYS[1], stack.stripe(max_retries=2))
    assert not result.success
    message = str(result.all_events[-1].event_specific_data.error) if hasattr(
        result.all_events[-1].event_specific_data, "error") else ""
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    text = str(failure.event_specific_data.error)
    assert "/v1/refunds" in text and "3 attempt(s)" in text and "HTTP 500" in text, text + message


def test_invalid_key_fails_first_naming_the_setting(stack):
    secret = "sk_test_this_is_not_the_key_1234"
    result = stack.run("demo", DAYS[1], stack.stripe(api_key=secret))
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    text = str(failure.event_specific_data.error)
    assert "Stripe rejected the key in environment variable STRIPE_API_KEY" in text
    assert secret not in text and "1234" not in text
    assert stack.stats()["requests"] == 1  # nothing else was asked
    with pytest.raises(StripeKeyError) as caught:
        stack.stripe(api_key=secret).api().check_key()
    assert secret not in str(caught.value)


def test_missing_key_variable_is_named(stack, monkeypatch):
    monkeypatch.delenv("STRIPE_API_KEY_FOR_THIS_TEST", raising=False)
    resource = stack.stripe(api_key=dg.EnvVar("STRIPE_API_KEY_FOR_THIS_TEST"),
                            api_key_env="STRIPE_API_KEY_FOR_THIS_TEST")
    stack.instance.add_dynamic_partitions("tenants", ["demo"])
    with pytest.raises(dg.DagsterInvalidConfigError, match="STRIPE_API_KEY_FOR_THIS_TEST"):
        dg.materialize([stripe_extraction], partition_key=partition_key("demo", DAYS[1]), instance=stack.instance,
                       resources={"stripe": resource,
                                  "warehouse": WarehouseResource(directory=str(stack.warehouse_dir))})
    # Outside a run (CLI, demo) the same resource says which variable is missing.
    with pytest.raises(StripeKeyError, match="STRIPE_API_KEY_FOR_THIS_TEST is empty or not set"):
        resource.api()
