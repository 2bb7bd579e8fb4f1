"""Live updates: re-run the days a Stripe change touches, within a minute of the change.

Each tick polls every tenant's `/v1/events` (a connected account through Stripe-Account) since its cursor
into the event inbox, where the webhook receiver also writes, then drains the inbox past the sensor's
cursor: each event becomes the (tenant, day) partitions it changes (event_days.py), one run request per
partition, keyed by (tenant, day, inbox window) so a re-evaluated tick asks for nothing twice. A day that
already has a run waiting to start is left to it: that run will read the change.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from functools import cache
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import dagster as dg

from ledger_pipeline.config import ConfigError, ProjectConfig, Tenant, project_config
from ledger_pipeline.defs.automation.event_days import Lookup, affected_days
from ledger_pipeline.defs.automation.event_inbox import InboxEvent, StripeEventInbox
from ledger_pipeline.defs.automation.jobs import ledger_daily_job
from ledger_pipeline.defs.stripe.client import (PAGE_SIZE, StripeApi, StripeFetchError, StripeKeyError,
                                                 StripeResource)
from ledger_pipeline.lib.partitions import TENANTS, partition_key, tenant_partitions

DRAIN_LIMIT = 1000
PATHS = {"charge": "/v1/charges/{}", "balance_transaction": "/v1/balance_transactions/{}"}
WAITING = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED]


@dg.sensor(
    name="stripe_changes_sensor",
    job=ledger_daily_job,
    minimum_interval_seconds=project_config().automation.events_poll_seconds,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Re-runs the tenant days a Stripe change touches (a late refund, a dispute, a payout update, "
                "a customer edit) from Stripe's events, polled and received by webhook.",
)
def stripe_changes_sensor(context: dg.SensorEvaluationContext, stripe: StripeResource,
                          stripe_event_inbox: StripeEventInbox) -> dg.SensorResult:
    config = project_config()
    cursor = _read_cursor(context.cursor)
    known = set(context.instance.get_dynamic_partitions(TENANTS))
    for tenant_key in sorted(known):
        _poll_tenant(context, config, stripe, stripe_event_inbox, tenant_key, cursor)

    pending = stripe_event_inbox.pending(cursor["inbox_seq"], DRAIN_LIMIT)
    run_requests, new_tenants = [], set()
    if pending:
        window = f"inbox {pending[0].seq}-{pending[-1].seq}"
        for (tenant_key, day), event_ids in sorted(_changed_days(context, config, stripe, pending).items()):
            key = partition_key(tenant_key, day)
            if tenant_key in known and _run_waiting(context.instance, key):
                continue
            new_tenants |= {tenant_key} - known  # an account first heard of by webhook
            run_requests.append(dg.RunRequest(
                run_key=f"stripe-changes|{tenant_key}|{day}|{window}", partition_key=key,
                tags={"ledger/trigger": "stripe_changes", "ledger/stripe_events": _summary(event_ids)}))
        cursor["inbox_seq"] = pending[-1].seq
        stripe_event_inbox.forget_drained(cursor["inbox_seq"])

    return dg.SensorResult(
        run_requests=run_requests,
        dynamic_partitions_requests=[tenant_partitions.build_add_request(sorted(new_tenants))] if new_tenants else [],
        cursor=json.dumps(cursor, sort_keys=True),
        skip_reason=None if run_requests else f"{len(pending)} new Stripe events, no day to re-run",
    )


def _poll_tenant(context: dg.SensorEvaluationContext, config: ProjectConfig, stripe: StripeResource,
                 inbox: StripeEventInbox, tenant_key: str, cursor: dict[str, Any]) -> None:
    """Put the tenant's new events in the inbox and move its position in the cursor."""
    tenant = _tenant(config, tenant_key, context)
    if tenant is None:
        return
    try:
        events, cursor["tenants"][tenant_key] = _poll(stripe.api(tenant.stripe_account),
                                                      cursor["tenants"].get(tenant_key))
    except (StripeFetchError, StripeKeyError) as exc:  # one account's trouble must not stop the others
        context.log.warning(f"cannot read Stripe events of {tenant_key}, trying again next tick: {exc}")
        return
    if events:
        inbox.record(tenant_key, events, received_by="poll")


def _changed_days(context: dg.SensorEvaluationContext, config: ProjectConfig, stripe: StripeResource,
                  pending: list[InboxEvent]) -> dict[tuple[str, dt.date], list[str]]:
    """(tenant, day) -> ids of the events that change it, for days that are partitions already."""
    changed: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    lookups: dict[str, Lookup] = {}
    for item in pending:
        tenant = _tenant(config, item.tenant, context)
        if tenant is None:
            continue
        if item.tenant not in lookups:
            lookups[item.tenant] = _lookup(stripe.api(tenant.stripe_account), context)
        try:
            days = affected_days(item.event, ZoneInfo(tenant.timezone), lookups[item.tenant])
        except (TypeError, ValueError) as exc:  # never let one odd event hold up the inbox
            context.log.warning(f"skipping Stripe event {item.event.get('id')} of {item.tenant}: {exc!r}")
            continue
        for day, reasons in days.items():
            if _is_partition(config, day):
                changed[(item.tenant, day)].append(item.event["id"])
            else:
                context.log.info(f"{item.event['id']} changes {item.tenant} {day} ({'; '.join(reasons)}), "
                                 "which is not a complete day yet: the daily schedule runs it")
    return changed


def _read_cursor(raw: str | None) -> dict[str, Any]:
    """{"inbox_seq": last drained inbox row, "tenants": {tenant: {"created": newest event's, "ids": [events
    of that second]}}}"""
    cursor = json.loads(raw) if raw else {}
    return {"inbox_seq": int(cursor.get("inbox_seq", 0)), "tenants": dict(cursor.get("tenants", {}))}


def _tenant(config: ProjectConfig, tenant_key: str, context: dg.SensorEvaluationContext) -> Tenant | None:
    try:
        return config.tenant(tenant_key)
    except ConfigError as exc:
        context.log.warning(f"skipping Stripe events of {tenant_key}: {exc}")
        return None


def _poll(api: StripeApi, position: dict[str, Any] | None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Events after the position, and the new position (the newest second seen, with its event ids, as
    several events can share a second).

    A tenant seen for the first time starts at its newest event: its history is the schedule's and
    backfills' job, not this sensor's."""
    if position is None:
        newest = api.get("/v1/events", {"limit": 1}, expect_list=True).data["data"]
        if not newest:
            return [], {"created": 0, "ids": []}
        _, position = _poll(api, {"created": int(newest[0]["created"]), "ids": []})  # all of its second
        return [], position
    seen = set(position["ids"])
    events = [event for event in _events_since(api, position["created"])
              if int(event["created"]) > position["created"] or event["id"] not in seen]
    return events, _position(events, position)


def _events_since(api: StripeApi, created: int) -> list[dict[str, Any]]:
    """Every event created at or after `created`, page after page (newest first, as Stripe lists)."""
    events: list[dict[str, Any]] = []
    params: dict[str, Any] = {"created": {"gte": created}, "limit": PAGE_SIZE}
    while True:
        page = api.get("/v1/events", params, expect_list=True).data
        events += page["data"]
        if not page.get("has_more") or not page["data"]:
            return events
        params["starting_after"] = page["data"][-1]["id"]


def _position(events: list[dict[str, Any]], previous: dict[str, Any]) -> dict[str, Any]:
    if not events:
        return previous
    newest = max(int(event["created"]) for event in events)
    ids = sorted(event["id"] for event in events if int(event["created"]) == newest)
    if newest == previous["created"]:
        ids = sorted({*previous["ids"], *ids})
    return {"created": newest, "ids": ids}


def _lookup(api: StripeApi, context: dg.SensorEvaluationContext) -> Lookup:
    @cache
    def created(object_type: str, object_id: str) -> int | None:
        try:
            return int(api.get(PATHS[object_type].format(quote(object_id, safe=""))).data["created"])
        except (StripeFetchError, StripeKeyError, KeyError, TypeError, ValueError) as exc:
            context.log.warning(f"cannot read {object_type} {object_id} ({exc}); using the event's own days")
            return None

    return created


def _is_partition(config: ProjectConfig, day: dt.date) -> bool:
    """A day partition exists from the start date up to the last complete UTC day."""
    return config.start_date <= day < dt.datetime.now(dt.timezone.utc).date()


def _run_waiting(instance: dg.DagsterInstance, key: dg.MultiPartitionKey) -> bool:
    runs = dg.RunsFilter(job_name=ledger_daily_job.name, statuses=WAITING, tags={"dagster/partition": str(key)})
    return bool(instance.get_run_ids(filters=runs, limit=1))


def _summary(event_ids: list[str]) -> str:
    shown = ",".join(dict.fromkeys(event_ids[:5]))
    return shown + (f" +{len(event_ids) - 5} more" if len(event_ids) > 5 else "")
