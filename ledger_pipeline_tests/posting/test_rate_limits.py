"""Throttling, retries and the daily budget, against time-scaled sandboxes: every call gets through, nothing
is posted twice, nothing sleeps longer than the servers ask (no urllib3 Retry-After sleeps)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ledger_pipeline.posting import ErrorKind, LimitSettings, TargetError


def _storm(fn, jobs, workers: int):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, jobs))


@pytest.fixture
def qbo_options():
    return {"requests_per_minute": 20, "max_concurrent": 3}


def test_quickbooks_429_storm_json_and_xml(qbo_resource, qbo_sandbox, qbo_server, h):
    qbo_sandbox.clock.time_scale = 240  # a QuickBooks minute lasts 0.25 s: 20 calls per 0.25 s
    client = qbo_resource.model_copy(update={"requests_per_minute": 10_000, "max_concurrent": 10,
                                             "max_attempts": 60}).client()  # ours loose: the server says no
    started = time.monotonic()
    first = _storm(lambda n: client.create(h.qbo_journal(f"J{n}", "1.00"), f"storm-json-{n}").remote_id,
                   range(30), workers=6)
    qbo_sandbox.configure(throttle_body="xml")  # python-quickbooks then raises "Error reading json" 10000
    second = _storm(lambda n: client.create(h.qbo_journal(f"K{n}", "1.00"), f"storm-xml-{n}").remote_id,
                    range(30), workers=6)
    elapsed = time.monotonic() - started
    stats = h.admin(qbo_server, "/_sandbox/stats")["realms"][h.US_REALM]
    assert stats["throttled"] > 0 and stats["statuses"]["429"] == stats["throttled"]
    assert len(set(first + second)) == 60 and len(h.qbo_journals(qbo_server)) == 60  # all in, none twice
    assert elapsed < 15


def test_quickbooks_limiter_matched_to_the_realm_avoids_429(qbo_resource, qbo_sandbox, qbo_server, h):
    qbo_sandbox.clock.time_scale = 120  # 20 calls per 0.5 s at the server; 16 per 0.5 s for us (room for jitter)
    client = qbo_resource.model_copy(update={"requests_per_minute": 16, "rate_window_seconds": 0.5,
                                             "max_concurrent": 3}).client()
    _storm(lambda n: client.query("SELECT * FROM Account MAXRESULTS 1"), range(40), workers=8)
    stats = h.admin(qbo_server, "/_sandbox/stats")["realms"][h.US_REALM]
    assert stats["requests"] == 40 and stats["throttled"] == 0, stats
    assert client.limiter.waited_seconds > 0  # the limiter did the waiting instead


def test_quickbooks_5xx_retried_only_when_idempotent(qbo, qbo_sandbox, qbo_server, conn, h):
    qbo_sandbox.configure(scripted=[{"path": "/journalentry$", "status": 503, "count": 2}])
    saved = qbo.create(h.qbo_journal("R1", "5.00"), "retry-me")  # carries a requestid: retried
    assert saved.remote_id and len(h.qbo_journals(qbo_server)) == 1

    qbo_sandbox.configure(scripted=[{"path": "/journalentry$", "status": 503, "count": 1}])
    with pytest.raises(TargetError) as no_key:  # no requestid: the outcome is unknown, so no retry
        qbo.create(h.qbo_journal("R2", "5.00"), None)
    assert no_key.value.kind is ErrorKind.TRANSIENT

    # a batch is never retried after a 5xx; its items stay pending and the next run settles them by marker
    poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    records = [h.qbo_record(f"b{n}", "2.00") for n in range(3)]
    qbo_sandbox.configure(scripted=[{"path": "/batch$", "status": 502, "count": 1}])
    with pytest.raises(TargetError) as batch_failed:
        poster.post(records, batch=True)
    assert batch_failed.value.kind is ErrorKind.TRANSIENT and len(poster.outbox.pending()) == 3
    assert poster.post(records, batch=True).counts() == {"recovered": 3}  # not found by marker: sent again
    assert len(h.qbo_journals(qbo_server)) == 4 and not poster.outbox.pending()


def test_quickbooks_timeout_is_retried_with_the_same_requestid(qbo_resource, qbo_sandbox, qbo_server, h):
    client = qbo_resource.model_copy(update={"timeout_seconds": 0.3}).client()
    qbo_sandbox.faults.configure(timeout_seconds=1.0)
    qbo_sandbox.configure(scripted=[{"path": "/journalentry$", "kind": "timeout", "count": 1}])
    started = time.monotonic()
    client.create(h.qbo_journal("T1", "1.00"), "timeout-then-ok")
    assert time.monotonic() - started < 1.0 and len(h.qbo_journals(qbo_server)) == 1


@pytest.fixture
def xero_options():
    return {"calls_per_minute": 10, "max_concurrent": 5}


def test_xero_429_storm_honours_retry_after_without_hidden_sleeps(xero_resource, xero_sandbox, h):
    xero_sandbox.clock.time_scale = 60  # a Xero minute lasts one second; Retry-After comes in whole seconds
    client = xero_resource.model_copy(update={"calls_per_minute": 10_000, "max_concurrent": 8,
                                              "max_attempts": 12}).client()
    started = time.monotonic()
    results = _storm(lambda n: client.put_many("ManualJournals", [h.xero_journal(f"S{n}", "1.00")],
                                               f"storm-{n}")[0], range(25), workers=8)
    elapsed = time.monotonic() - started
    assert all(not isinstance(r, TargetError) for r in results)
    assert len({r.remote_id for r in results}) == 25
    assert len(xero_sandbox.organisations[h.US_TENANT_ID]["manual_journals"]) == 25
    stats = xero_sandbox.stats.snapshot()["tenants"][h.US_TENANT_ID]
    assert stats["rate_limited"].get("minute", 0) + stats["rate_limited"].get("concurrent", 0) > 0
    # 25 calls at 10 per second need about 2 s; urllib3's hidden retries would sleep Retry-After three more times
    assert elapsed < 8


def test_xero_put_is_sent_once_per_attempt_and_long_retry_after_is_not_slept(xero_resource, xero_sandbox, h):
    """xero-python's PoolManager would re-send this PUT 3 times, sleeping Retry-After (30 s) before each."""
    client = xero_resource.model_copy(update={"max_retry_after_seconds": 5}).client()
    retries = client.connection.api_client.rest_client.pool_manager.connection_pool_kw["retries"]
    assert retries.total == 0 and not retries.respect_retry_after_header
    xero_sandbox.faults.configure(scripted=[{"path": "/ManualJournals", "status": 429, "count": 1, "method": "PUT",
                                             "headers": {"Retry-After": "30", "X-Rate-Limit-Problem": "minute"}}])
    started = time.monotonic()
    with pytest.raises(TargetError) as throttled:
        client.put_many("ManualJournals", [h.xero_journal("P1", "1.00")], "once")
    assert throttled.value.kind is ErrorKind.THROTTLED and throttled.value.retry_after == 30
    assert time.monotonic() - started < 1
    operations = xero_sandbox.stats.snapshot()["tenants"][h.US_TENANT_ID]["operations"]
    assert sum(n for op, n in operations.items() if op.startswith("PUT")) == 1


def test_xero_daily_budget(xero_resource, xero_sandbox, h):
    xero_sandbox.limits.calls_per_day = 12
    xero_sandbox.limits.calls_per_minute = 1000
    client = xero_resource.model_copy(update={"min_calls_left": 0}).client()
    assert client.calls_left_today() == 5000  # nothing heard from Xero yet: our own count
    client.organisation()
    assert client.calls_left_today() == 11    # X-DayLimit-Remaining from the answer
    seen = []
    while client.calls_left_today() > 3:      # a caller that stops with 3 calls in hand
        client.accounts()
        seen.append(client.calls_left_today())
    assert seen == list(range(10, 2, -1)) and client.calls_left_today() == 3

    reserved = xero_resource.model_copy(update={"min_calls_left": 3}).client()
    before = xero_sandbox.stats.snapshot()["tenants"][h.US_TENANT_ID]
    with pytest.raises(TargetError) as stopped:
        reserved.accounts()
    assert stopped.value.kind is ErrorKind.BUDGET
    assert xero_sandbox.stats.snapshot()["tenants"][h.US_TENANT_ID] == before  # nothing was sent

    client = xero_resource.model_copy(update={"min_calls_left": 0}).client()  # one limiter per tenant: latest wins
    for _ in range(3):
        client.accounts()
    with pytest.raises(TargetError) as empty:
        client.accounts()
    assert empty.value.kind is ErrorKind.BUDGET and client.calls_left_today() == 0


def test_xero_daily_limit_from_the_server_stops_at_once(xero, xero_sandbox, h):
    xero_sandbox.faults.configure(scripted=[{"path": "/Accounts", "status": 429, "count": 1,
                                             "headers": {"Retry-After": "3600", "X-Rate-Limit-Problem": "daily"}}])
    started = time.monotonic()
    with pytest.raises(TargetError) as limited:
        xero.accounts()
    assert limited.value.kind is ErrorKind.DAILY_LIMIT and limited.value.retry_after == 3600
    assert time.monotonic() - started < 1 and xero.calls_left_today() == 0


def test_limiter_settings_are_shared_per_company(h):
    from ledger_pipeline.posting import shared_limiter
    one = shared_limiter("xero", "http://x", "t1", LimitSettings(per_minute=5, concurrent=2))
    same = shared_limiter("xero", "http://x/", "t1", LimitSettings(per_minute=6, concurrent=2))
    other = shared_limiter("xero", "http://x", "t2", LimitSettings(per_minute=5, concurrent=2))
    assert one is same and one.settings.per_minute == 6 and other is not one
