"""Where alerts go, per tenant: Slack (dagster-slack), a generic webhook (JSON POST) and email (SMTP).

Secrets (the Slack token, a webhook URL that carries a token, the SMTP password) are `dg.EnvVar`s, resolved
when the sensor runs, and never written into a message, a log line or an error.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from functools import partial

import dagster as dg
import requests
from dagster_slack import SlackResource

from ledger_pipeline.config import CONNECTED_SEPARATOR
from ledger_pipeline.defs.automation.alert_messages import Alert

Send = Callable[[Alert], None]


class AlertDeliveryError(RuntimeError):
    """A channel refused an alert; the message never holds the channel's secret."""


class SlackChannel(dg.Config):
    channel: str
    token: str                              # dg.EnvVar
    api_base: str | None = None             # Slack's own unless set


class WebhookChannel(dg.Config):
    url: str                                # dg.EnvVar when it carries a token


class EmailChannel(dg.Config):
    host: str
    port: int = 587
    security: str = "starttls"              # starttls, ssl or none
    from_address: str
    to: list[str]
    username: str | None = None
    password: str | None = None             # dg.EnvVar


class TenantChannels(dg.Config):
    tenant: str                             # a tenant key; a platform's covers its connected accounts; "*": all
    slack: SlackChannel | None = None
    webhook: WebhookChannel | None = None
    email: EmailChannel | None = None


class AlertChannels(dg.ConfigurableResource):
    """The alert channels of every tenant, and the Dagster UI address runs are linked to."""

    webserver_base_url: str = "http://127.0.0.1:3000"
    timeout_seconds: float = 10.0
    routes: list[TenantChannels] = []

    def senders(self, tenant: str | None) -> list[tuple[str, Send]]:
        """(channel name, send) for each channel of the tenant; the names are safe to log."""
        route = self._route(tenant)
        if route is None:
            return []
        senders: list[tuple[str, Send]] = []
        if route.slack:
            senders.append((f"slack {route.slack.channel}", partial(self._slack, route.slack)))
        if route.webhook:
            senders.append(("webhook", partial(self._webhook, route.webhook)))
        if route.email:
            senders.append((f"email {', '.join(route.email.to)}", partial(self._email, route.email)))
        return senders

    def _route(self, tenant: str | None) -> TenantChannels | None:
        by_tenant = {route.tenant: route for route in self.routes}
        platform = (tenant or "").partition(CONNECTED_SEPARATOR)[0]
        for key in (tenant, platform, "*"):
            if key and key in by_tenant:
                return by_tenant[key]
        return None

    def _slack(self, slack: SlackChannel, alert: Alert) -> None:
        client = SlackResource(token=slack.token).get_client()
        if slack.api_base:
            client.base_url = slack.api_base.rstrip("/") + "/"
        client.timeout = int(self.timeout_seconds)
        client.chat_postMessage(channel=slack.channel, text=alert.text(), mrkdwn=False, unfurl_links=False)

    def _webhook(self, webhook: WebhookChannel, alert: Alert) -> None:
        try:
            answer = requests.post(webhook.url, json=alert.as_json(), timeout=self.timeout_seconds)
        except requests.RequestException as exc:  # its text names the URL, which may hold a token
            raise AlertDeliveryError(f"webhook unreachable ({type(exc).__name__})") from None
        if answer.status_code >= 300:
            raise AlertDeliveryError(f"webhook answered HTTP {answer.status_code}")

    def _email(self, email: EmailChannel, alert: Alert) -> None:
        message = EmailMessage()
        message["Subject"] = alert.title
        message["From"] = email.from_address
        message["To"] = ", ".join(email.to)
        message.set_content(alert.text())
        if email.security == "ssl":
            smtp = smtplib.SMTP_SSL(email.host, email.port, timeout=self.timeout_seconds,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(email.host, email.port, timeout=self.timeout_seconds)
        with smtp:
            if email.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if email.username:
                smtp.login(email.username, email.password or "")
            smtp.send_message(message)
