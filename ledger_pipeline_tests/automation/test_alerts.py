"""Alerts: a failed check (even a non-blocking one) and a failed run reach Slack, a webhook and email once,
and a retried run of the same partition sends nothing more."""

from __future__ import annotations

import dagster as dg
import pytest

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.automation.alert_ledger import SentAlerts
from ledger_pipeline.defs.automation.alerts import AlertsNotDelivered, failed_checks_alert, failed_run_alert
from ledger_pipeline.defs.automation.resources import alert_channels
from ledger_pipeline.lib.partitions import partition_key, tenant_day_partitions

from .conftest import END, add_tenants

SLACK_TOKEN = "xoxb-test-token-0001"
ALERTS = """    "*":
      slack: {{channel: "#books", token_env: TEST_SLACK_TOKEN, api_base: "{base}/slack/api/"}}
      webhook: {{url_env: TEST_ALERT_WEBHOOK_URL}}
      email: {{host: 127.0.0.1, port: {port}, security: none, from: ledger@books.test, to: [controller@books.test]}}
"""
TIE_OUT = "payouts_tie_out"


@dg.asset(
    partitions_def=tenant_day_partitions,
    check_specs=[dg.AssetCheckSpec(TIE_OUT, asset="payout_totals", blocking=False,
                                   description="Each payout equals the net of its balance transactions.")],
)
def payout_totals():
    yield dg.MaterializeResult()
    yield dg.AssetCheckResult(check_name=TIE_OUT, passed=False, severity=dg.AssetCheckSeverity.WARN,
                              description="1 of 3 payouts does not tie out: po_123 off by 125 usd",
                              metadata={"offending": dg.MetadataValue.json([{"payout": "po_123", "difference": 125}]),
                                        "payouts_checked": 3})


@dg.asset(partitions_def=tenant_day_partitions)
def journal_entries():
    raise RuntimeError("QuickBooks refused the key sk_live_abcdef0123456789 (HTTP 401)")


@pytest.fixture
def world(configure, instance, receiver, smtp, monkeypatch, tmp_path):
    configure(ALERTS.format(base=receiver.base_url, port=smtp.port))
    monkeypatch.setenv("TEST_SLACK_TOKEN", SLACK_TOKEN)
    monkeypatch.setenv("TEST_ALERT_WEBHOOK_URL", f"{receiver.base_url}/hook")
    add_tenants(instance, "demo")
    return {"alert_channels": alert_channels(project_config().alerts),
            "sent_alerts": SentAlerts(path=str(tmp_path / "automation.sqlite3"))}


def _run(instance, asset, **tags: str) -> dg.ExecuteInProcessResult:
    return dg.materialize([asset], partition_key=partition_key("demo", END), instance=instance, tags=tags,
                          raise_on_error=False)


def _retry_of(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    root = result.dagster_run.tags.get("dagster/root_run_id", result.run_id)
    return {"dagster/root_run_id": root, "dagster/parent_run_id": result.run_id}


def _evaluate(sensor, instance, result, resources) -> None:
    event = result.get_run_success_event() if result.success else result.get_run_failure_event()
    context = dg.build_run_status_sensor_context(
        sensor_name=sensor.name, dagster_event=event, dagster_instance=instance, dagster_run=result.dagster_run,
        resources=resources, repository_def=dg.Definitions(assets=[payout_totals]).get_repository_def())
    sensor(context)


def _counts(receiver, smtp) -> tuple[int, int, int]:
    return len(receiver.slack), len(receiver.webhook), len(smtp.mailbox.messages)


def test_a_failed_non_blocking_check_alerts_each_channel_once(world, instance, receiver, smtp):
    result = _run(instance, payout_totals)
    assert result.success  # a non-blocking check does not fail its run
    _evaluate(failed_checks_alert, instance, result, world)
    assert _counts(receiver, smtp) == (1, 1, 1)

    run_url = f"http://dagster.test:3000/runs/{result.run_id}"
    [slack] = receiver.slack
    assert slack["channel"] == "#books"
    for expected in ("[WARN] Check failed: payouts_tie_out on payout_totals for demo on " + str(END),
                     "Asset: payout_totals", "Severity: WARN", "Blocking: no", f"Day: {END}", "Tenant: demo",
                     "po_123 off by 125 usd", "The check: Each payout equals the net", '"payout": "po_123"',
                     f"Run: {run_url}"):
        assert expected in slack["text"], expected
    assert receiver.slack_auth == [f"Bearer {SLACK_TOKEN}"] and SLACK_TOKEN not in slack["text"]

    [hook] = receiver.webhook
    assert (hook["tenant"], hook["day"], hook["severity"], hook["run_url"]) == ("demo", str(END), "WARN", run_url)
    assert hook["facts"]["Check"] == TIE_OUT and any("po_123" in line for line in hook["look_first"])

    [(sender, recipients, mail)] = smtp.mailbox.messages
    assert (sender, recipients) == ("ledger@books.test", ["controller@books.test"])
    assert mail["Subject"].strip().startswith("[WARN] Check failed: payouts_tie_out on payout_totals for demo")
    assert run_url in mail.get_content()

    # The run is retried (same partition, same root run): nothing new is sent, nor on a second look.
    retry = _run(instance, payout_totals, **_retry_of(result))
    _evaluate(failed_checks_alert, instance, retry, world)
    _evaluate(failed_checks_alert, instance, result, world)
    assert _counts(receiver, smtp) == (1, 1, 1)

    # A new run of the day (not a retry) that still fails the check says so again.
    _evaluate(failed_checks_alert, instance, _run(instance, payout_totals), world)
    assert _counts(receiver, smtp) == (2, 2, 2)


def test_a_channel_that_fails_gets_the_alert_on_the_next_tick_and_only_it(world, instance, receiver, smtp):
    receiver.webhook_failures = 1
    result = _run(instance, payout_totals)
    with pytest.raises(AlertsNotDelivered, match="webhook answered HTTP 503") as failure:
        _evaluate(failed_checks_alert, instance, result, world)
    assert "hook" not in str(failure.value).replace("webhook", "")  # the URL (it may hold a token) is not told
    assert _counts(receiver, smtp) == (1, 0, 1)
    _evaluate(failed_checks_alert, instance, result, world)
    assert _counts(receiver, smtp) == (1, 1, 1)


def test_a_failed_run_alerts_once_after_its_last_retry(world, instance, receiver, smtp):
    result = _run(instance, journal_entries)
    assert not result.success
    # The instance will retry it: its retry reports, not this attempt.
    instance.add_run_tags(result.run_id, {"dagster/will_retry": "true"})
    context = dg.build_run_status_sensor_context(
        sensor_name=failed_run_alert.name, dagster_event=result.get_run_failure_event(), dagster_instance=instance,
        dagster_run=instance.get_run_by_id(result.run_id), resources=world)
    failed_run_alert(context)
    assert _counts(receiver, smtp) == (0, 0, 0)

    retry = _run(instance, journal_entries, **_retry_of(result))
    _evaluate(failed_run_alert, instance, retry, world)
    assert _counts(receiver, smtp) == (1, 1, 1)
    [hook] = receiver.webhook
    assert hook["severity"] == "ERROR" and hook["tenant"] == "demo" and hook["day"] == str(END)
    assert hook["facts"]["Failed steps"].startswith("journal_entries")
    assert any("QuickBooks refused the key [secret] (HTTP 401)" in line for line in hook["look_first"])
    assert "sk_live_" not in receiver.slack[0]["text"] + smtp.mailbox.messages[0][2].get_content()

    # A second retry that fails the same way sends nothing more.
    _evaluate(failed_run_alert, instance, _run(instance, journal_entries, **_retry_of(retry)), world)
    assert _counts(receiver, smtp) == (1, 1, 1)


@dg.asset(
    partitions_def=tenant_day_partitions,
    check_specs=[dg.AssetCheckSpec("entries_balance", asset="journal_lines", blocking=True,
                                   description="Debits equal credits in every entry.")],
)
def journal_lines():
    yield dg.MaterializeResult()
    yield dg.AssetCheckResult(check_name="entries_balance", passed=False, severity=dg.AssetCheckSeverity.ERROR,
                              description="2 entries do not balance", metadata={"entries": ["je_1", "je_2"]})


def test_a_failed_blocking_check_is_told_in_its_failed_runs_one_message(world, instance, receiver, smtp):
    result = _run(instance, journal_lines)
    assert not result.success  # a blocking check that fails stops the run
    _evaluate(failed_run_alert, instance, result, world)
    assert _counts(receiver, smtp) == (1, 1, 1)
    text = receiver.slack[0]["text"]
    for expected in ("[ERROR] Ledger run failed for demo on", "Failed checks: 1",
                     "Check failed: entries_balance on journal_lines (ERROR)", "2 entries do not balance",
                     'entries: ["je_1", "je_2"]'):
        assert expected in text, expected
    # The same check is not reported again by the success sensor of a retry of this run.
    _evaluate(failed_checks_alert, instance, _run(instance, payout_totals, **_retry_of(result)), world)
    assert _counts(receiver, smtp) == (2, 2, 2)  # only the retry's own new check (payouts_tie_out)
