"""The rate limit (429 -> stripe.RateLimitError), scripted and random faults, Request-Id, admin endpoints."""

from __future__ import annotations

import pytest
import requests
import stripe

from ledger_pipeline.sandbox.common import Faults, ScriptedFault

from .conftest import AS_CONNECTED, Served, new_sandbox


@pytest.fixture
def limited():
    box = Served(new_sandbox(requests_per_second=5))
    yield box
    box.server.stop()


def test_above_the_rate_stripe_raises_rate_limit_error(limited):
    for _ in range(5):
        limited.v1.customers.list()
    with pytest.raises(stripe.RateLimitError) as caught:
        limited.v1.customers.list()
    assert caught.value.http_status == 429
    stats = requests.get(f"{limited.base_url}/_sandbox/stats").json()
    assert stats["rate_limited"] == 1 and stats["by_account"]["platform"]["requests"] == 6


def test_connected_account_requests_count_against_the_platform_key(limited):
    for _ in range(3):
        limited.v1.charges.list()
    for _ in range(2):
        limited.v1.charges.list(options=AS_CONNECTED)
    with pytest.raises(stripe.RateLimitError):
        limited.v1.charges.list(options=AS_CONNECTED)
    stats = requests.get(f"{limited.base_url}/_sandbox/stats").json()
    assert stats["by_account"][AS_CONNECTED["stripe_account"]]["rate_limited"] == 1


def test_rate_limit_body_is_stripes(limited):
    for _ in range(5):
        limited.v1.customers.list()
    answer = requests.get(f"{limited.base_url}/v1/customers", headers={"Authorization": "Bearer sk_test_sandbox"})
    assert answer.status_code == 429
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error" and error["code"] == "rate_limit"
    assert error["message"].startswith("Too many requests hit the API too quickly")


def test_scripted_500_then_recovery(served):
    served.sandbox.faults.configure(scripted=[{"path": "^/v1/charges$", "status": 500, "count": 2}])
    for _ in range(2):
        with pytest.raises(stripe.APIError) as caught:
            served.v1.charges.list()
        assert caught.value.http_status == 500
    assert served.v1.charges.list().data
    assert served.v1.customers.list().data  # other paths were never affected


@pytest.mark.parametrize("status,error", [(502, stripe.APIError), (503, stripe.APIError),
                                          (402, stripe.CardError), (403, stripe.PermissionError),
                                          (429, stripe.RateLimitError)])
def test_scripted_statuses_map_to_stripe_errors(served, status, error):
    served.sandbox.faults.configure(scripted=[ScriptedFault(path="/v1/payouts", status=status)])
    with pytest.raises(error):
        served.v1.payouts.list()


def test_malformed_answer_is_truncated_json(served):
    requests.post(f"{served.base_url}/_sandbox/faults",
                  json={"scripted": [{"path": "/v1/balance_transactions", "kind": "malformed"}]}).raise_for_status()
    with pytest.raises(stripe.APIError) as caught:
        served.v1.balance_transactions.list()
    assert "Invalid response body" in str(caught.value)
    assert served.v1.balance_transactions.list().data


def test_timeout_hangs_then_answers_504(served):
    served.sandbox.faults.configure(timeout_seconds=0.01, scripted=[{"path": "/v1/events", "kind": "timeout"}])
    with pytest.raises(stripe.APIError) as caught:
        served.v1.events.list()
    assert caught.value.http_status == 504


def test_random_errors_follow_the_seeded_rate(served):
    requests.post(f"{served.base_url}/_sandbox/faults", json={"error_rate": 0.5, "seed": 7}).raise_for_status()
    failures = 0
    for _ in range(40):
        try:
            served.v1.products.list()
        except stripe.APIError as error:
            assert error.http_status in (500, 502, 503)
            failures += 1
    assert 8 <= failures <= 32
    requests.post(f"{served.base_url}/_sandbox/faults", json={"clear": True}).raise_for_status()
    assert served.v1.products.list().data


def test_faults_given_at_construction():
    box = Served(new_sandbox(faults=Faults(scripted=[ScriptedFault(path="/v1/customers", status=500)])))
    try:
        with pytest.raises(stripe.APIError):
            box.v1.customers.list()
        assert box.v1.customers.list().data
    finally:
        box.server.stop()


def test_every_answer_has_a_request_id(reader):
    key = {"Authorization": "Bearer sk_test_sandbox"}
    for path, headers in [("/v1/charges", key), ("/v1/charges/ch_missing", key), ("/v1/nothing", key),
                          ("/v1/charges", {}), ("/_sandbox/health", {})]:
        answer = requests.get(reader.base_url + path, headers=headers)
        assert answer.headers["Request-Id"].startswith("req_"), path
    unknown = requests.get(reader.base_url + "/v1/nothing", headers=key)
    assert unknown.status_code == 404 and "Unrecognized request URL" in unknown.json()["error"]["message"]


def test_admin_health_stats_and_rate_limit(served):
    health = requests.get(f"{served.base_url}/_sandbox/health").json()
    assert health["status"] == "ok" and health["objects"] > 50 and health["accounts"] == ["acct_1TqConnected0001"]
    served.v1.charges.list()
    served.v1.charges.list(options=AS_CONNECTED)
    stats = requests.get(f"{served.base_url}/_sandbox/stats").json()
    assert stats["by_endpoint"]["GET /v1/charges"] == 2
    assert set(stats["by_account"]) == {"platform", "acct_1TqConnected0001"}
    assert requests.delete(f"{served.base_url}/_sandbox/stats").json()["requests"] == 0
    requests.post(f"{served.base_url}/_sandbox/rate_limit", json={"requests_per_second": 1}).raise_for_status()
    served.v1.charges.list()
    with pytest.raises(stripe.RateLimitError):
        served.v1.charges.list()
