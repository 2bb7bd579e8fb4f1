"""Tenant discovery: configured tenants plus every connected account, added by the sensor."""

from __future__ import annotations

import dagster as dg

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.stripe.tenants import discover_tenant_keys, stripe_tenant_discovery
from ledger_pipeline.lib.partitions import TENANTS


def test_discovery_lists_configured_and_connected_accounts(stack, connected_account):
    assert discover_tenant_keys(project_config(), stack.stripe()) == ["demo", f"demo.{connected_account}"]


def test_sensor_adds_new_tenants_once(stack, connected_account):
    resources = {"stripe": stack.stripe()}
    assert stripe_tenant_discovery.default_status == dg.DefaultSensorStatus.RUNNING
    assert stripe_tenant_discovery.minimum_interval_seconds == 300

    with dg.build_sensor_context(instance=stack.instance, resources=resources) as context:
        result = stripe_tenant_discovery(context)
    assert isinstance(result, dg.SensorResult)
    (request,) = result.dynamic_partitions_requests
    assert request.partitions_def_name == TENANTS
    assert list(request.partition_keys) == ["demo", f"demo.{connected_account}"]

    stack.instance.add_dynamic_partitions(TENANTS, list(request.partition_keys))
    with dg.build_sensor_context(instance=stack.instance, resources=resources) as context:
        assert isinstance(stripe_tenant_discovery(context), dg.SkipReason)

    # A newly connected account shows up on the next tick, without a code or config change.
    stack.add_objects([{"id": "acct_1NewlyConnected00", "object": "account", "type": "express", "country": "FR",
                        "default_currency": "eur", "created": 1_700_000_000, "charges_enabled": True,
                        "payouts_enabled": True, "metadata": {}}])
    with dg.build_sensor_context(instance=stack.instance, resources=resources) as context:
        result = stripe_tenant_discovery(context)
    assert list(result.dynamic_partitions_requests[0].partition_keys) == ["demo.acct_1NewlyConnected00"]
