"""Alerts: every failed check (blocking or not) and every failed run, once, on the tenant's channels.

A non-blocking check that fails leaves its run a success, so run-failure sensors never see it: the
SUCCESS sensor reads the run's check evaluations instead. A failed run gets one message listing its
failed steps and checks. Each alert is sent once per partition, subject and root run (sent_alerts), so a
retried run says nothing new; a failed run the instance will retry says nothing until its retry ends.
"""

from __future__ import annotations

import dagster as dg

from ledger_pipeline.defs.automation.alert_channels import AlertChannels
from ledger_pipeline.defs.automation.alert_ledger import SentAlerts
from ledger_pipeline.defs.automation.alert_messages import (Alert, RunScope, check_alert, failed_checks,
                                                            run_failure_alert, scrub)

WILL_RETRY = "dagster/will_retry"  # set on a failed run when the instance's run retries will re-launch it


class AlertsNotDelivered(RuntimeError):
    """Some channel refused an alert; the tick fails so the run is reported again on the next one."""


@dg.run_status_sensor(
    name="failed_checks_alert",
    run_status=dg.DagsterRunStatus.SUCCESS,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Alerts on every failed check of a successful run (a non-blocking check does not fail its run).",
)
def failed_checks_alert(context: dg.RunStatusSensorContext, alert_channels: AlertChannels,
                        sent_alerts: SentAlerts) -> None:
    scope = RunScope.of(context.dagster_run, alert_channels.webserver_base_url)
    deliver(context, _check_alerts(context, scope), alert_channels, sent_alerts)


@dg.run_failure_sensor(
    name="failed_run_alert",
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Alerts once on a failed run (after its last retry), with its failed steps and checks.",
)
def failed_run_alert(context: dg.RunFailureSensorContext, alert_channels: AlertChannels,
                     sent_alerts: SentAlerts) -> None:
    run = context.dagster_run
    if run.tags.get(WILL_RETRY) == "true":
        context.log.info(f"run {run.run_id} will be retried: its retry reports")
        return
    scope = RunScope.of(run, alert_channels.webserver_base_url)
    step_errors = [(event.step_key or "-", _error(event)) for event in context.get_step_failure_events()]
    deliver(context, [run_failure_alert(scope, step_errors, _check_alerts(context, scope))],
            alert_channels, sent_alerts)


def deliver(context: dg.RunStatusSensorContext, alerts: list[Alert], channels: AlertChannels,
            sent: SentAlerts) -> None:
    """Send each alert on each of its tenant's channels, unless that channel already had it."""
    undelivered = []
    for alert in alerts:
        senders = channels.senders(alert.tenant)
        if not senders:
            context.log.warning(f"no alert channel for tenant {alert.tenant or '-'} (add one under alerts.tenants "
                                f"in ledger_pipeline.yaml):\n{alert.text()}")
        for name, send in senders:
            claimed = [key for key in alert.keys if sent.claim(key, name, alert.scope.run_id)]
            if not claimed:
                continue  # a retry of a run already reported on this channel
            try:
                send(alert)
            except Exception as exc:  # one channel failing must not keep the others silent
                for key in claimed:
                    sent.release(key, name, alert.scope.run_id)
                undelivered.append(f"{name}: {type(exc).__name__}: {scrub(str(exc))[:200]}")
            else:
                context.log.info(f"alert sent to {name}: {alert.title}")
    if undelivered:
        raise AlertsNotDelivered("alerts not delivered, tried again next tick: " + "; ".join(undelivered))


def _check_alerts(context: dg.RunStatusSensorContext, scope: RunScope) -> list[Alert]:
    return [check_alert(scope, evaluation, _check_description(context, evaluation))
            for evaluation in failed_checks(context.instance, scope.run_id)]


def _check_description(context: dg.RunStatusSensorContext, evaluation: dg.AssetCheckEvaluation) -> str | None:
    """What the check verifies, from its spec (the evaluation only says what it found)."""
    repository = context.repository_def
    key = dg.AssetCheckKey(evaluation.asset_key, evaluation.check_name)
    if repository is None or key not in repository.asset_graph.asset_check_keys:
        return None
    return repository.asset_graph.get_check_spec(key).description


def _error(event: dg.DagsterEvent) -> str:
    error = getattr(event.event_specific_data, "error", None)
    if error is None:
        return event.message or ""
    while error.cause is not None:  # the exception that failed the step, not Dagster's wrapper around it
        error = error.cause
    return error.message
