"""What goes wrong between the warehouse and Xero, in real Dagster runs against the sandbox over HTTP: a crash
after a post but before it was recorded, an answer lost on the wire, a 429 with Retry-After, an access token
that expires mid-run, one record Xero refuses. Each time the books end with exactly one object per record."""

from __future__ import annotations

import functools
import time

from ledger_pipeline.defs.xero import adapter
from ledger_pipeline.posting import Outbox, RetryPolicy, limiter
from ledger_pipeline.sandbox.xero import US_TENANT_ID
from ledger_pipeline.targets.xero import resource as xero_resource


def _posting_day(books):
    """The day whose partition posts the most entries (the payout and its summary)."""
    return books.query("SELECT anchor_date FROM journal.entries GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")[0][0]


def _one_object_per_entry(books):
    markers = [j["Narration"].rsplit(" ", 1)[1] for j in books.live()]
    assert len(markers) == len(set(markers)) == books.query("SELECT count(*) FROM journal.entries")[0][0]


def _puts(books) -> int:
    return books.stats()["operations"].get("PUT /ManualJournals", 0)


def test_a_crash_after_the_post_before_the_record_does_not_duplicate(books, monkeypatch):
    day = _posting_day(books)
    real = Outbox.posted
    armed = {"left": 1}

    def dying(self, *args, **kwargs):
        if armed["left"]:
            armed["left"] -= 1
            raise RuntimeError("the run worker was killed before it could record the answer")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Outbox, "posted", dying)
    crashed = books.run(day)
    assert not crashed.success
    landed = books.live()
    assert len(landed) >= 2, "the batch reached the books before the crash"
    assert books.query("SELECT count(*) FROM sync.outbox WHERE status = 'pending'")[0][0] == len(landed)

    again = books.run(day)  # the next run settles the pending intents: found by their markers
    assert again.success and not books.failed(again), books.failed(again)
    assert books.counts(again).get("recovered", 0) == len(landed)
    assert {j["ManualJournalID"] for j in books.live()} == {j["ManualJournalID"] for j in landed}
    assert books.query("SELECT count(*) FROM sync.outbox WHERE status = 'pending'") == [(0,)]
    _one_object_per_entry(books)


def test_an_answer_lost_on_the_wire_is_replayed_by_its_idempotency_key(books):
    day = _posting_day(books)
    # Xero does the work, the answer arrives broken: our client sends the same Idempotency-Key again
    books.admin("/_sandbox/faults", {"scripted": [{"path": "/ManualJournals", "method": "PUT", "count": 1,
                                                   "kind": "malformed"}]})
    result = books.run(day)
    assert result.success and not books.failed(result), books.failed(result)
    stats = books.stats()
    assert stats["idempotent_replays"] == 1 and stats["idempotency_mismatches"] == 0
    assert _puts(books) == 2
    _one_object_per_entry(books)


class FakeTime:
    """A monotonic clock and a sleep that only counts: waits are honoured, no time passes."""

    def __init__(self):
        self.offset = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.offset += seconds


def test_a_429_waits_out_retry_after_in_our_limiter_not_in_urllib3(books, monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(xero_resource, "RetryPolicy", functools.partial(RetryPolicy, sleep=fake.sleep))
    monkeypatch.setattr(limiter, "RateLimiter", functools.partial(limiter.RateLimiter, clock=fake.monotonic,
                                                                  sleep=fake.sleep))
    books.admin("/_sandbox/faults", {"scripted": [{"path": "/ManualJournals", "method": "PUT", "status": 429,
                                                   "count": 1, "headers": {"Retry-After": "30",
                                                                           "X-Rate-Limit-Problem": "minute"}}]})
    started = time.monotonic()
    result = books.run(_posting_day(books))
    assert result.success and not books.failed(result), books.failed(result)
    assert time.monotonic() - started < 10           # urllib3 would have slept 30 s, three times
    assert 30.0 in fake.slept                        # our retry waited Retry-After (on the fake clock)
    assert _puts(books) == 2                         # the refused PUT and ours: urllib3 sent nothing more
    assert books.stats()["by_status"]["429"] == 1
    _one_object_per_entry(books)


def test_an_access_token_expiring_mid_run_is_refreshed_and_the_rotation_stored(books, monkeypatch):
    before = books.store.load("xero", US_TENANT_ID)
    real = Outbox.begin_batch
    armed = {"left": 1}

    def late(self, records):
        if armed["left"]:  # half an hour passes between preflight and the post (Xero's tokens live 30 minutes)
            armed["left"] -= 1
            books.sandbox.advance(31 * 60)
        return real(self, records)

    monkeypatch.setattr(Outbox, "begin_batch", late)
    result = books.run(_posting_day(books))
    assert result.success and not books.failed(result), books.failed(result)
    stats = books.admin("/_sandbox/stats")
    assert stats["tenants"]["-"]["by_status"] == {"401": 1}        # refused once (before the tenant is known)
    assert stats["identity"].get("token:refresh_token") == 1       # refreshed once, then sent again
    after = books.store.load("xero", US_TENANT_ID)
    assert after.refresh_token != before.refresh_token and after.access_token != before.access_token
    _one_object_per_entry(books)


def test_one_record_xero_refuses_is_kept_with_its_message_and_the_rest_posts(books, monkeypatch):
    day = _posting_day(books)
    victim = books.query("SELECT max(entry_key) FROM journal.entries WHERE anchor_date = ?", [day])[0][0]
    real = adapter.journal_line

    def wrong_account(line, currency):
        out = real(line, currency)
        if line.entry_key == victim:
            out.account_code = "999"
        return out

    monkeypatch.setattr(adapter, "journal_line", wrong_account)
    result = books.run(day)
    assert result.success  # the run goes on; the check says what Xero refused and why
    check = books.checks(result)["every_record_posted"]
    assert not check.passed and victim in check.description and "999" in check.description
    [(message, fix)] = books.query("SELECT error_message, error_fix FROM sync.outbox WHERE record_key = ? "
                                   "AND status = 'failed'", [victim])
    assert "Account code '999' is not a valid code" in message and fix
    posted = books.query("SELECT record_key FROM sync.external_ids WHERE status = 'posted'")
    assert victim not in {k for (k,) in posted} and len(posted) >= 1  # the rest of the batch is in the books
    assert _puts(books) == 1                                           # one request for the batch

    monkeypatch.setattr(adapter, "journal_line", real)  # the mapping is fixed: the next run posts it
    again = books.run(day)
    assert again.success and not books.failed(again), books.failed(again)
    assert books.counts(again).get("created") == 1
    _one_object_per_entry(books)
