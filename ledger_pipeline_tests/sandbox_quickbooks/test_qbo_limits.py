"""Throttles and injected faults, and what python-quickbooks raises for each."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from quickbooks.batch import batch_create
from quickbooks.exceptions import QuickbooksException, SevereException, ValidationException
from quickbooks.objects import Customer

from ledger_pipeline.sandbox.common import SandboxClock


@pytest.fixture
def sandbox_options():
    return {"requests_per_minute": 5, "max_concurrent": 2, "batch_requests_per_minute": 2}


def admin(server, path, payload=None):
    if payload is None:
        answer = requests.get(server.base_url + path, timeout=10)
    else:
        answer = requests.post(server.base_url + path, json=payload, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_rate_limit_json_then_xml_body(qb, server, sandbox):
    for _ in range(5):
        Customer.count(qb=qb)
    with pytest.raises(ValidationException) as err:  # JSON Fault code 3001 lands in the 2000-4999 class
        Customer.count(qb=qb)
    assert err.value.error_code == 3001 and "ThrottleExceeded" in err.value.message

    admin(server, "/_sandbox/clock", {"advance": 60})  # a sandbox minute passes: the window empties
    Customer.count(qb=qb)

    admin(server, "/_sandbox/faults", {"throttle_body": "xml"})
    for _ in range(4):
        Customer.count(qb=qb)
    with pytest.raises(QuickbooksException) as err:
        Customer.count(qb=qb)
    # an XML body can't be parsed, so the client reports a JSON error, not a throttle (python-quickbooks #43)
    assert type(err.value) is QuickbooksException and err.value.error_code == 10000
    assert "Error reading json response" in err.value.message and "ThrottleExceeded" in err.value.message

    stats = admin(server, "/_sandbox/stats")
    assert stats["realms"][qb.company_id]["throttled"] == 2
    assert stats["realms"][qb.company_id]["statuses"]["429"] == 2
    assert stats["limits"]["requests_per_minute"] == 5


def test_windows_follow_the_time_scale(sandbox):
    assert sandbox.limits.settings()["window_seconds"] == 60
    sandbox.clock.time_scale = 600
    assert sandbox.limits.settings()["window_seconds"] == pytest.approx(0.1)
    scaled = type(sandbox)(clock=SandboxClock(time_scale=60))
    assert scaled.limits.minute.window == pytest.approx(1.0)


def test_concurrency_limit(connect, server, sandbox):
    admin(server, "/_sandbox/faults", {"requests_per_minute": 100, "latency_ms": 400})
    clients = [connect() for _ in range(5)]

    def call(qb):
        try:
            Customer.count(qb=qb)
            return "ok"
        except ValidationException as exc:
            return exc.error_code

    with ThreadPoolExecutor(max_workers=5) as pool:
        outcomes = list(pool.map(call, clients))
    assert outcomes.count("ok") >= 1 and 3001 in outcomes
    assert sandbox.stats.snapshot()["realms"][clients[0].company_id]["throttled_max_concurrent"] >= 1


def test_batch_requests_per_minute(qb):
    def one(name):
        c = Customer()
        c.DisplayName = name
        return batch_create([c], qb=qb)

    one("B1")
    one("B2")
    with pytest.raises(ValidationException) as err:
        one("B3")
    assert err.value.error_code == 3001
    assert Customer.count(qb=qb) == 2


def test_scripted_faults(qb, server, sandbox):
    admin(server, "/_sandbox/faults", {"requests_per_minute": 100, "timeout_seconds": 0.05, "scripted": [
        {"path": "/customer$", "status": 503, "count": 1, "method": "POST"},
        {"path": "/query", "kind": "malformed", "count": 1},
        {"path": "/query", "kind": "timeout", "count": 1},
    ]})
    c = Customer()
    c.DisplayName = "After outage"
    with pytest.raises(SevereException) as err:  # QBO's System Failure Error, code 10000
        c.save(qb=qb)
    assert err.value.error_code == 10000
    assert c.save(qb=qb).Id
    with pytest.raises(QuickbooksException) as err:
        Customer.count(qb=qb)
    assert "Error reading json response" in err.value.message
    with pytest.raises(QuickbooksException) as err:
        Customer.count(qb=qb)
    assert "504" in err.value.message
    assert Customer.count(qb=qb) == 1
    assert sandbox.stats.snapshot()["realms"][qb.company_id]["faults_injected"] == 3
