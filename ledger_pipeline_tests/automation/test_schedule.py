"""The daily schedule: one run per tenant for its last complete day; retries never re-run a posting step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import yaml

from ledger_pipeline.definitions import defs
from ledger_pipeline.defs.automation.schedules import ledger_daily_schedule

from .conftest import END, add_tenants

UTC = dt.timezone.utc
SIX_AM = dt.datetime.combine(END, dt.time(6), tzinfo=UTC)
ONE_DAY = dt.timedelta(days=1)


def _tick(instance: dg.DagsterInstance, when: dt.datetime) -> dg.ScheduleExecutionData:
    # With the repository, the tick validates each request's partition against the instance's tenants.
    context = dg.build_schedule_context(instance=instance, scheduled_execution_time=when,
                                        repository_def=defs().get_repository_def())
    return ledger_daily_schedule.evaluate_tick(context)


def test_one_run_per_tenant_for_its_last_complete_day(configure, persistent_instance):
    instance = persistent_instance
    configure()
    add_tenants(instance, "demo", "west", "retired")  # "retired" left the config: not scheduled
    tick = _tick(instance, SIX_AM)
    requests = {r.partition_key: r for r in tick.run_requests}
    # 06:00 UTC is 22:00 or 23:00 the evening before in Los Angeles: west's last complete day is a day earlier.
    demo_day, west_day = END - ONE_DAY, END - 2 * ONE_DAY
    assert set(requests) == {f"{demo_day}|demo", f"{west_day}|west"}
    assert requests[f"{demo_day}|demo"].run_key == f"daily|demo|{demo_day}"
    assert requests[f"{west_day}|west"].run_key == f"daily|west|{west_day}"
    assert all(r.tags["ledger/trigger"] == "daily_schedule" for r in tick.run_requests)
    # The same tick evaluated again asks for the same run keys, which Dagster launches once.
    assert [r.run_key for r in _tick(instance, SIX_AM).run_requests] == [r.run_key for r in tick.run_requests]


def test_cron_and_timezone_come_from_the_config(configure):
    configure()
    assert ledger_daily_schedule.cron_schedule == "0 6 * * *"
    assert ledger_daily_schedule.execution_timezone == "UTC"
    assert ledger_daily_schedule.job_name == "ledger_daily_job"


def test_without_tenants_the_tick_is_skipped(configure, persistent_instance):
    configure()
    tick = _tick(persistent_instance, SIX_AM)
    assert not tick.run_requests and "stripe_tenant_discovery" in tick.skip_message


def test_run_retries_never_re_run_a_step_that_writes_the_books(configure):
    """A run retry re-launches only what the instance failed to run, never a failed step: a posting step
    is re-run only by a person, and then the outbox's idempotency keys keep it from posting twice."""
    configure()
    settings = yaml.safe_load((Path(__file__).parents[2] / "dagster.yaml").read_text())
    assert settings["run_retries"]["retry_on_asset_or_op_failure"] is False
    loaded = defs()
    job = loaded.resolve_job_def("ledger_daily_job")
    assert job.op_retry_policy is None
    kinds = {a.node_def.name: {k for spec in a.specs for k in spec.kinds}
             for a in loaded.resolve_asset_graph().assets_defs if a.is_executable}
    for node in job.nodes:
        # Only reading Stripe may retry on its own (GETs are safe to repeat).
        assert node.retry_policy is None or kinds.get(node.name, set()) <= {"stripe", "duckdb"}, node.name
