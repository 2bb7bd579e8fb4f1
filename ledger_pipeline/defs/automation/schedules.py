"""The daily close: each tenant's last complete day, once a day, after Stripe's payout cut-off.

"Complete" is in the tenant's reporting timezone: at 06:00 UTC it is still yesterday evening in Los Angeles,
so a Los Angeles tenant's last complete day is the day before yesterday (yesterday runs tomorrow). Backfills of ranges go through Dagster's own backfill
(ledger_daily_job > Partitions > select tenants and dates > Launch backfill), one run per tenant day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg

from ledger_pipeline.config import ConfigError, project_config
from ledger_pipeline.defs.automation.jobs import ledger_daily_job
from ledger_pipeline.lib.partitions import TENANTS, partition_key

_automation = project_config().automation


@dg.schedule(
    name="ledger_daily_schedule",
    job=ledger_daily_job,
    cron_schedule=f"{_automation.daily_run_minute} {_automation.daily_run_hour_utc} * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day after Stripe's payout cut-off: one run per tenant for its last complete day.",
)
def ledger_daily_schedule(context: dg.ScheduleEvaluationContext):
    config = project_config()
    now = context.scheduled_execution_time or dt.datetime.now(dt.timezone.utc)
    last_partition = now.astimezone(dt.timezone.utc).date() - dt.timedelta(days=1)
    requests = []
    for tenant_key in sorted(context.instance.get_dynamic_partitions(TENANTS)):
        try:
            tenant = config.tenant(tenant_key)
        except ConfigError as exc:
            context.log.warning(f"not scheduling {tenant_key}: {exc}")
            continue
        # A zone ahead of UTC can finish a day Dagster has no partition for yet; it runs tomorrow.
        day = min(now.astimezone(ZoneInfo(tenant.timezone)).date() - dt.timedelta(days=1), last_partition)
        if day < config.start_date:
            continue
        requests.append(dg.RunRequest(run_key=f"daily|{tenant_key}|{day}", partition_key=partition_key(tenant_key, day),
                                      tags={"ledger/trigger": "daily_schedule"}))
    return requests or dg.SkipReason("no tenants yet: the stripe_tenant_discovery sensor adds them")
