"""Idempotency-Key replay and Xero's rate limits (minute, daily, concurrent), without real waiting."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
import requests
from xero_python.accounting.models import Contact, Contacts, Invoice, Invoices, LineItem
from xero_python.exceptions import AccountingBadRequestException, RateLimitException

from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.xero import US_TENANT_ID, XeroSandbox


def test_idempotency_key_replays_first_answer_and_creates_nothing(xero, sandbox):
    api, t = xero.api, xero.tenant
    batch = Invoices(invoices=[Invoice(type="ACCREC", contact=Contact(name=f"Customer {n}"), status="AUTHORISED",
                                       line_items=[LineItem(description="x", unit_amount=Decimal("5.00"),
                                                            account_code="200")]) for n in range(3)])
    first = api.create_invoices(t, batch, idempotency_key="stripe-payout-po_123")
    second = api.create_invoices(t, batch, idempotency_key="stripe-payout-po_123")
    assert [i.invoice_id for i in second.invoices] == [i.invoice_id for i in first.invoices]
    assert [i.invoice_number for i in second.invoices] == ["INV-0001", "INV-0002", "INV-0003"]
    books = sandbox.organisations[t]
    assert len(books["invoices"]) == 3 and len(books["contacts"]) == 3
    assert api.api_client.last_response.getheader("Idempotent-Replayed") == "true"

    # Another key is another request.
    third = api.create_invoices(t, batch, idempotency_key="stripe-payout-po_124")
    assert {i.invoice_number for i in third.invoices} == {"INV-0004", "INV-0005", "INV-0006"}
    stats = sandbox.stats.snapshot()["tenants"][t]
    assert stats["idempotent_replays"] == 1 and stats["idempotency_mismatches"] == 0

    # A refused call replays its refusal too; keys are capped at 128 characters.
    bad = Contacts(contacts=[Contact(name="Customer 0")])
    for _ in range(2):
        with pytest.raises(AccountingBadRequestException):
            api.create_contacts(t, bad, idempotency_key="dup-contact")
    with pytest.raises(AccountingBadRequestException) as too_long:
        api.create_contacts(t, Contacts(contacts=[Contact(name="Long Key")]), idempotency_key="k" * 129)
    assert "128" in too_long.value.reason
    api.create_contacts(t, Contacts(contacts=[Contact(name="Long Key")]), idempotency_key="k" * 128)


def test_minute_limit_is_time_scaled_and_the_client_raises_at_once(make_client, sandbox, clock):
    clock.time_scale = 6.0  # a Xero minute lasts 10 real seconds
    client = make_client()
    for _ in range(60):
        client.api.get_organisations(client.tenant)
    assert client.api.api_client.last_response.getheader("X-MinLimit-Remaining") == "0"
    started = time.monotonic()
    with pytest.raises(RateLimitException) as limited:
        client.api.create_contacts(client.tenant, Contacts(contacts=[Contact(name="Too Soon")]))
    assert time.monotonic() - started < 2.0  # urllib3's hidden Retry-After sleeps are off
    assert limited.value.status == 429
    assert limited.value.rate_limit == "minute"
    retry_after = int(limited.value.headers["Retry-After"])
    assert 1 <= retry_after <= 10  # seconds, scaled: the window is 60 / 6 real seconds
    assert limited.value.headers["X-MinLimit-Remaining"] == "0"
    assert not sandbox.organisations[client.tenant]["contacts"]

    # Waiting out the window by moving the sandbox clock: the next call goes through.
    sandbox.advance(60)
    client.api.create_contacts(client.tenant, Contacts(contacts=[Contact(name="Later")]))
    stats = sandbox.stats.snapshot()
    assert stats["tenants"][client.tenant]["rate_limited"] == {"minute": 1}


def test_daily_limit_answers_429_daily(monkeypatch):
    from xero_python.api_client.oauth2 import TokenApi

    clock = SandboxClock(frozen_at=1714564800.0, time_scale=1440.0)  # a Xero day lasts one real minute
    sandbox = XeroSandbox(clock=clock, faults=Faults(), calls_per_day=5, clients={"c": "s"})
    with sandbox.serve() as server:
        monkeypatch.setattr(TokenApi, "refresh_token_url", f"{server.base_url}/connect/token")
        token = sandbox.issue_tokens(US_TENANT_ID)
        headers = {"Authorization": f"Bearer {token['access_token']}", "xero-tenant-id": US_TENANT_ID}
        url = f"{server.base_url}/api.xro/2.0/Organisation"
        remaining = [requests.get(url, headers=headers, timeout=5).headers["X-DayLimit-Remaining"] for _ in range(5)]
        assert remaining == ["4", "3", "2", "1", "0"]
        refused = requests.get(url, headers=headers, timeout=5)
        assert refused.status_code == 429
        assert refused.headers["X-Rate-Limit-Problem"] == "daily"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        sandbox.advance(86400)  # a day later the access token has expired too: take a fresh one
        headers["Authorization"] = f"Bearer {sandbox.issue_tokens(US_TENANT_ID)['access_token']}"
        assert requests.get(url, headers=headers, timeout=5).status_code == 200


def test_concurrent_limit(sandbox, server):
    sandbox.faults.configure(latency_ms=800)  # every call holds its slot for 0.8 s
    token = sandbox.issue_tokens(US_TENANT_ID)
    headers = {"Authorization": f"Bearer {token['access_token']}", "xero-tenant-id": US_TENANT_ID}
    answers: list[requests.Response] = []
    lock = threading.Lock()

    def call() -> None:
        answer = requests.get(f"{server.base_url}/api.xro/2.0/Organisation", headers=headers, timeout=10)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    limited = [a for a in answers if a.status_code == 429]
    assert sum(a.status_code == 200 for a in answers) == 5 and len(limited) == 3
    assert {a.headers["X-Rate-Limit-Problem"] for a in limited} == {"concurrent"}
