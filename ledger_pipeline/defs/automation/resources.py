"""The automation's resources, from `ledger_pipeline.yaml`: its state file and every tenant's alert channels."""

import dagster as dg

from ledger_pipeline.config import AlertSettings, project_config
from ledger_pipeline.defs.automation.alert_channels import (AlertChannels, EmailChannel, SlackChannel,
                                                            TenantChannels, WebhookChannel)
from ledger_pipeline.defs.automation.alert_ledger import SentAlerts
from ledger_pipeline.defs.automation.event_inbox import StripeEventInbox
from ledger_pipeline.defs.automation.state_db import state_file


@dg.definitions
def defs() -> dg.Definitions:
    config = project_config()
    state = state_file(config)
    return dg.Definitions(resources={
        "stripe_event_inbox": StripeEventInbox(path=state),
        "sent_alerts": SentAlerts(path=state),
        "alert_channels": alert_channels(config.alerts),
    })


def alert_channels(settings: AlertSettings) -> AlertChannels:
    """The configured routes, with each secret named by its environment variable (read when sending)."""
    routes = []
    for tenant, route in settings.tenants.items():
        slack, webhook, email = route.slack, route.webhook, route.email
        routes.append(TenantChannels(
            tenant=tenant,
            slack=SlackChannel(channel=slack.channel, token=dg.EnvVar(slack.token_env), api_base=slack.api_base)
            if slack else None,
            webhook=WebhookChannel(url=webhook.url or dg.EnvVar(webhook.url_env)) if webhook else None,
            email=EmailChannel(host=email.host, port=email.port, security=email.security,
                               from_address=email.from_address, to=email.to, username=email.username,
                               password=dg.EnvVar(email.password_env) if email.password_env else None)
            if email else None,
        ))
    return AlertChannels(webserver_base_url=settings.webserver_base_url, timeout_seconds=settings.timeout_seconds,
                         routes=routes)
