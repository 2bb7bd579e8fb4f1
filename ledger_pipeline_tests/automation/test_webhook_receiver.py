"""The Stripe webhook receiver: signed deliveries go to the inbox; forged, stale and replayed ones do not."""

from __future__ import annotations

import json
import time

import pytest
import requests
import stripe
from starlette.testclient import TestClient

from ledger_pipeline.cli import build_parser
from ledger_pipeline.cli.webhooks import serve_command
from ledger_pipeline.config import project_config
from ledger_pipeline.defs.automation.webhook_receiver import build_webhook_app
from ledger_pipeline.sandbox.common import ServerThread

SECRET = "whsec_test_receiver"
URL = "/webhooks/stripe/demo"


def _event(event_id: str = "evt_1", account: str | None = None) -> str:
    event = {"id": event_id, "object": "event", "type": "customer.updated", "created": int(time.time()),
             "data": {"object": {"id": "cus_1", "object": "customer", "created": 1_760_000_000}}}
    if account:
        event["account"] = account
    return json.dumps(event)


def _signed(payload: str, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    return {"Stripe-Signature": stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=at)}


@pytest.fixture
def client(configure, inbox) -> TestClient:
    configure()
    return TestClient(build_webhook_app(project_config(), inbox, {"demo": SECRET}, tolerance_seconds=300))


def test_a_signed_delivery_is_queued_for_the_events_sensor(client, inbox):
    payload = _event()
    answer = client.post(URL, content=payload, headers=_signed(payload))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"received": "evt_1", "tenant": "demo", "duplicate": False}
    [queued] = inbox.pending(0)
    assert (queued.tenant, queued.event) == ("demo", json.loads(payload))


def test_forged_and_tampered_signatures_are_refused(client, inbox):
    payload = _event()
    forged = client.post(URL, content=payload, headers=_signed(payload, secret="whsec_not_ours"))
    assert forged.status_code == 400 and "signature refused" in forged.json()["error"]
    tampered = client.post(URL, content=payload.replace("cus_1", "cus_2"), headers=_signed(payload))
    assert tampered.status_code == 400
    unsigned = client.post(URL, content=payload)
    assert unsigned.status_code == 400
    assert inbox.pending(0) == []
    assert SECRET not in forged.text + tampered.text + unsigned.text


def test_a_stale_signature_is_refused(client, inbox):
    payload = _event()
    stale = client.post(URL, content=payload, headers=_signed(payload, at=int(time.time()) - 301))
    assert stale.status_code == 400 and "tolerance" in stale.json()["error"]
    assert inbox.pending(0) == []


def test_a_replayed_delivery_is_refused_and_a_stripe_redelivery_is_not_queued_twice(client, inbox):
    payload = _event()
    headers = _signed(payload)
    assert client.post(URL, content=payload, headers=headers).status_code == 200
    replay = client.post(URL, content=payload, headers=headers)
    assert replay.status_code == 409 and "replayed" in replay.json()["error"]
    # Stripe retrying (its answer was lost) signs again with a new timestamp: acknowledged, queued once.
    retry = client.post(URL, content=payload, headers=_signed(payload, at=int(time.time()) + 1))
    assert retry.status_code == 200 and retry.json()["duplicate"] is True
    assert len(inbox.pending(0)) == 1


def test_connect_events_belong_to_the_connected_accounts_tenant(client, inbox):
    payload = _event("evt_connect", account="acct_1Connected")
    answer = client.post(URL, content=payload, headers=_signed(payload))
    assert answer.json()["tenant"] == "demo.acct_1Connected"
    # A tenant configured on its own account keeps its own key, whichever endpoint saw the event.
    payload = _event("evt_west", account="acct_west")
    assert client.post(URL, content=payload, headers=_signed(payload)).json()["tenant"] == "west"
    assert [item.tenant for item in inbox.pending(0)] == ["demo.acct_1Connected", "west"]


def test_unknown_endpoints_and_non_events_are_refused(client):
    payload = _event()
    assert client.post("/webhooks/stripe/nobody", content=payload, headers=_signed(payload)).status_code == 404
    body = json.dumps({"hello": "world"})
    assert client.post(URL, content=body, headers=_signed(body)).status_code == 400


def test_the_command_serves_on_loopback_with_the_secret_from_the_environment(configure, monkeypatch, inbox):
    configure()
    args = build_parser().parse_args(["webhooks", "serve"])
    assert (args.host, args.port, args.tolerance) == (None, None, None)  # the config's: 127.0.0.1:12114, 300 s
    assert project_config().automation.webhooks.host == "127.0.0.1"
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    with pytest.raises(SystemExit, match="STRIPE_WEBHOOK_SECRET"):
        serve_command(args)

    # The same app over real HTTP on a loopback port.
    app = build_webhook_app(project_config(), inbox, {"demo": SECRET}, tolerance_seconds=300)
    with ServerThread(app) as server:
        payload = _event("evt_http")
        answer = requests.post(server.base_url + URL, data=payload, headers=_signed(payload), timeout=10)
        assert answer.status_code == 200 and answer.json()["tenant"] == "demo"
        assert requests.get(server.base_url + "/healthz", timeout=10).json() == {"status": "ok", "tenants": ["demo"]}
