"""The automation layer's test world: a config file with two tenants, an ephemeral Dagster instance, the
Stripe sandbox (clock frozen at noon yesterday, so a test's late change lands on a complete day), and
local receivers standing in for Slack, a webhook endpoint and an SMTP server. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import requests
from aiosmtpd.controller import Controller
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.automation.event_inbox import StripeEventInbox
from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.lib.partitions import TENANTS
from ledger_pipeline.sandbox.common import Faults, SandboxClock, ServerThread
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate

KEY = "sk_test_sandbox"
TODAY = dt.datetime.now(dt.timezone.utc).date()
END = TODAY - dt.timedelta(days=1)                      # "yesterday": a complete day where late changes land
DAYS = [END - dt.timedelta(days=n) for n in (3, 2, 1)]  # the generated days
NOON_END = int(dt.datetime.combine(END, dt.time(12), tzinfo=dt.timezone.utc).timestamp())

CONFIG = """
start_date: "{start}"
warehouse:
  directory: {folder}/warehouse
stripe:
  api_base: http://127.0.0.1:1
automation:
  state_file: {folder}/automation.sqlite3
  daily_run_hour_utc: 6
alerts:
  webserver_base_url: http://dagster.test:3000/
  tenants:
{alerts}
tenants:
  - key: demo
    connected_accounts: discover
  - key: west
    stripe_account: acct_west
    timezone: America/Los_Angeles
"""


def midnight(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc).timestamp())


@pytest.fixture
def configure(tmp_path, monkeypatch):
    """Write the config (with the given `alerts.tenants` YAML, indented 4) and make it the project's."""

    def write(alerts: str = "    {}") -> Path:
        path = tmp_path / "ledger_pipeline.yaml"
        path.write_text(CONFIG.format(start=DAYS[0] - dt.timedelta(days=40), folder=tmp_path, alerts=alerts))
        monkeypatch.setenv("LEDGER_PIPELINE_CONFIG", str(path))
        for name in ("LEDGER_STRIPE_API_BASE", "LEDGER_WAREHOUSE_DIR", "LEDGER_MAPPINGS_DIR"):
            monkeypatch.delenv(name, raising=False)
        project_config.cache_clear()
        return path

    yield write
    project_config.cache_clear()


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


@pytest.fixture
def persistent_instance() -> Iterator[dg.DagsterInstance]:
    """On disk, in a temporary folder: a schedule's test context only takes an instance it can re-open."""
    with dg.instance_for_test() as test_instance:
        yield test_instance


def add_tenants(instance: dg.DagsterInstance, *keys: str) -> None:
    instance.add_dynamic_partitions(TENANTS, list(keys))


@pytest.fixture
def inbox(tmp_path) -> StripeEventInbox:
    return StripeEventInbox(path=str(tmp_path / "automation.sqlite3"))


# --- Stripe sandbox --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def seed() -> dict[str, Any]:
    return generate(GeneratorSettings(seed=5, days=3, charges_per_day=6, connected_accounts=1, end_date=END))


@dataclass
class Stripe:
    sandbox: StripeSandbox
    server: ServerThread

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def resource(self) -> StripeResource:
        return StripeResource(api_key=KEY, api_base=self.base_url, requests_per_second=1000.0, max_retries=1,
                              backoff_seconds=0.001, timeout_seconds=5.0)

    def add_objects(self, objects: list[dict[str, Any]]) -> None:
        requests.post(f"{self.base_url}/_sandbox/objects", json={"objects": objects}, timeout=10).raise_for_status()


@pytest.fixture
def stripe_sandbox(seed) -> Iterator[Stripe]:
    sandbox = StripeSandbox(seed=seed, api_keys=(KEY,), clock=SandboxClock(frozen_at=NOON_END),
                            requests_per_second=100_000, faults=Faults())
    server = sandbox.serve()
    try:
        yield Stripe(sandbox, server)
    finally:
        server.stop()


# --- local receivers for alerts --------------------------------------------------------------------------

@dataclass
class Receiver:
    """Slack's Web API and a generic webhook endpoint on one loopback port; records what it is sent."""

    base_url: str = ""
    slack: list[dict[str, Any]] = field(default_factory=list)
    slack_auth: list[str] = field(default_factory=list)
    webhook: list[dict[str, Any]] = field(default_factory=list)
    webhook_failures: int = 0  # answer this many webhook posts with HTTP 503 first


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    received = Receiver()

    async def chat_post_message(request: Request) -> JSONResponse:
        received.slack_auth.append(request.headers.get("authorization", ""))
        received.slack.append(await request.json())
        return JSONResponse({"ok": True, "channel": "C1", "ts": "1700000000.000100"})

    async def webhook(request: Request) -> JSONResponse:
        if received.webhook_failures:
            received.webhook_failures -= 1
            return JSONResponse({"error": "try later"}, status_code=503)
        received.webhook.append(await request.json())
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/slack/api/chat.postMessage", chat_post_message, methods=["POST"]),
                            Route("/hook", webhook, methods=["POST"])])
    with ServerThread(app) as server:
        received.base_url = server.base_url
        yield received


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


@dataclass
class Smtp:
    port: int
    mailbox: _Mailbox


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    with socket.socket() as probe:  # aiosmtpd needs a fixed port: take a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Smtp(port, mailbox)
    finally:
        controller.stop()
