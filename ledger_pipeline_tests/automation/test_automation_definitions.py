"""The automation loads with the rest of the code location, named as the README tells, on by default."""

from __future__ import annotations

import dagster as dg
import pytest

from ledger_pipeline.config import ConfigError, load_config
from ledger_pipeline.definitions import defs

EXAMPLE = """
automation:
  daily_run_hour_utc: 7
  daily_run_minute: 30
  events_poll_seconds: 30
  webhooks:
    port: 12114
    signing_secret_env: STRIPE_WEBHOOK_SECRET
    signing_secret_envs: {shop: STRIPE_WEBHOOK_SECRET_SHOP}
alerts:
  webserver_base_url: https://dagster.example.com/
  tenants:
    "*":
      slack: {channel: "#books", token_env: SLACK_BOT_TOKEN}
    shop:
      webhook: {url_env: SHOP_ALERT_WEBHOOK_URL}
      email:
        host: smtp.example.com
        port: 587
        from: ledger@example.com
        to: [controller@example.com]
        username: ledger@example.com
        password_env: SMTP_PASSWORD
tenants:
  - key: shop
"""


def test_schedule_sensors_and_resources_are_loaded(configure):
    configure()
    loaded = defs()
    dg.Definitions.validate_loadable(loaded)
    schedule = loaded.resolve_schedule_def("ledger_daily_schedule")
    assert (schedule.job_name, schedule.default_status) == ("ledger_daily_job", dg.DefaultScheduleStatus.RUNNING)
    for name in ("stripe_changes_sensor", "failed_checks_alert", "failed_run_alert"):
        sensor = loaded.resolve_sensor_def(name)
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING, name
        assert sensor.minimum_interval_seconds <= 60, name  # a change or a failure is told within a minute
    assert {"stripe_event_inbox", "sent_alerts", "alert_channels"} <= set(loaded.resources)


def test_the_config_sections_read_as_documented(tmp_path):
    path = tmp_path / "ledger_pipeline.yaml"
    path.write_text(EXAMPLE)
    config = load_config(path)
    assert config.automation.webhooks.secret_env("shop") == "STRIPE_WEBHOOK_SECRET_SHOP"
    assert config.automation.webhooks.secret_env("other") == "STRIPE_WEBHOOK_SECRET"
    assert config.alerts.webserver_base_url == "https://dagster.example.com"
    shop = config.alerts.tenants["shop"]
    assert (shop.email.from_address, shop.email.security, shop.webhook.url) == ("ledger@example.com", "starttls", None)

    path.write_text("alerts:\n  tenants:\n    shop:\n      webhook: {}\n")
    with pytest.raises(ConfigError, match="exactly one of `url` or `url_env`"):
        load_config(path)
