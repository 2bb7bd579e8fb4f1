"""A crash between "the target did it" and "we recorded it" leaves a pending outbox row; the next run settles
it without a second object: found by its marker, or sent again with the same key (the target replays)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger_pipeline.posting import Outbox


class Crash(BaseException):
    """The process dies (BaseException: nothing in the protocol may swallow it)."""


@pytest.fixture
def crash_on_record(monkeypatch):
    """Make Outbox.posted die the first `n` times, after the request went out."""
    def arm(n: int = 1):
        real = Outbox.posted
        left = {"n": n}

        def dying(self, *args, **kwargs):
            if left["n"] > 0:
                left["n"] -= 1
                raise Crash()
            return real(self, *args, **kwargs)
        monkeypatch.setattr(Outbox, "posted", dying)
    return arm


def test_quickbooks_single_crash_found_by_marker(qbo, conn, h, qbo_server, crash_on_record):
    poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    record = h.qbo_record("payout:po_9", "50.00")
    crash_on_record()
    with pytest.raises(Crash):
        poster.post([record])
    assert len(h.qbo_journals(qbo_server)) == 1  # it reached the books...
    [pending] = poster.outbox.pending()           # ...but we never recorded it
    assert poster.outbox.current(record.record_key) is None

    report = h.poster_for(conn, h.QuickBooksTarget(qbo)).post([record])  # the next run
    assert report.counts() == {"recovered": 1}
    assert len(h.qbo_journals(qbo_server)) == 1
    current = poster.outbox.current(record.record_key)
    assert current.idempotency_key == pending.idempotency_key and current.status == "posted"


def test_quickbooks_single_crash_replayed_by_requestid(qbo, conn, h, qbo_server, crash_on_record, monkeypatch):
    """Without the marker lookup the same requestid goes again and QuickBooks answers with the first object."""
    target = h.QuickBooksTarget(qbo)
    monkeypatch.setattr(target, "find_by_marker", lambda kind, marker: None)
    poster = h.poster_for(conn, target)
    record = h.qbo_record("payout:po_10", "50.00")
    crash_on_record()
    with pytest.raises(Crash):
        poster.post([record])
    first_id = h.qbo_journals(qbo_server)[0]["Id"]
    assert poster.post([record]).counts() == {"recovered": 1}
    assert [j["Id"] for j in h.qbo_journals(qbo_server)] == [first_id]
    assert poster.outbox.current(record.record_key).remote_id == first_id
    assert h.admin(qbo_server, "/_sandbox/stats")["realms"][h.US_REALM]["replayed"] == 1


def test_quickbooks_pending_with_changed_content_is_found_then_updated(qbo, conn, h, qbo_server, crash_on_record):
    poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    crash_on_record()
    with pytest.raises(Crash):
        poster.post([h.qbo_record("payout:po_11", "10.00")])
    changed = h.qbo_record("payout:po_11", "11.00")  # the source moved on before the next run
    assert poster.post([changed]).counts() == {"updated": 1}
    [journal] = h.qbo_journals(qbo_server)
    assert Decimal(str(journal["Line"][0]["Amount"])) == Decimal("11.00")


def test_quickbooks_batch_crash_recovered_by_marker(qbo, conn, h, qbo_server, crash_on_record):
    """python-quickbooks' batch path sends no requestid: the items are found by DocNumber before re-sending."""
    poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    records = [h.qbo_record(f"charge:ch_{n}", f"{n}.00") for n in range(1, 6)]
    crash_on_record()
    with pytest.raises(Crash):
        poster.post(records, batch=True)
    assert len(h.qbo_journals(qbo_server)) == 5 and len(poster.outbox.pending()) == 5
    batch_keys = {i.batch_key for i in poster.outbox.pending()}
    assert len(batch_keys) == 1 and len(batch_keys.pop()) <= 36

    extra = h.qbo_record("charge:ch_6", "6.00")
    report = h.poster_for(conn, h.QuickBooksTarget(qbo)).post(records + [extra], batch=True)
    assert report.counts() == {"recovered": 5, "created": 1}
    assert len(h.qbo_journals(qbo_server)) == 6
    markers = sorted(j["DocNumber"] for j in h.qbo_journals(qbo_server))
    assert markers == sorted(r.marker for r in records + [extra])


def test_xero_crash_found_by_reference(xero, conn, h, xero_sandbox, crash_on_record):
    poster = h.poster_for(conn, h.XeroTarget(xero))
    record = h.xero_record("payout:po_9", "50.00")
    crash_on_record()
    with pytest.raises(Crash):
        poster.post([record])
    books = xero_sandbox.organisations[h.US_TENANT_ID]
    assert len(books["manual_journals"]) == 1
    assert poster.post([record]).counts() == {"recovered": 1}
    assert len(books["manual_journals"]) == 1
    assert poster.outbox.current(record.record_key).remote_id == next(iter(books["manual_journals"]))


def test_xero_crash_replayed_by_idempotency_key(xero, conn, h, xero_sandbox, crash_on_record, monkeypatch):
    """Without the marker lookup the same Idempotency-Key goes again and Xero replays the first answer."""
    target = h.XeroTarget(xero)
    monkeypatch.setattr(target, "find_by_marker", lambda kind, marker: None)
    record = h.xero_record("refund:re_1", "1.00")
    crash_on_record()
    with pytest.raises(Crash):
        h.poster_for(conn, target).post([record])
    books = xero_sandbox.organisations[h.US_TENANT_ID]
    [first_id] = list(books["manual_journals"])
    assert h.poster_for(conn, target).post([record]).counts() == {"recovered": 1}
    assert list(books["manual_journals"]) == [first_id]
    assert xero_sandbox.stats.snapshot()["tenants"][h.US_TENANT_ID]["idempotent_replays"] == 1


def test_two_objects_with_one_marker_fail_the_record_and_stay_pending(qbo, conn, h, qbo_server, crash_on_record):
    poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    record = h.qbo_record("payout:po_12", "4.00")
    crash_on_record()
    with pytest.raises(Crash):
        poster.post([record])
    qbo.create(h.qbo_journal(record.marker, "4.00"), "someone-copied-it")  # a second object with our marker
    report = poster.post([record, h.qbo_record("payout:po_13", "1.00")])
    assert report.counts() == {"failed": 1, "created": 1}
    assert "2 JournalEntry objects carry marker" in report.failures[0].error.message
    assert [i.record_key for i in poster.outbox.pending()] == ["payout:po_12"]  # until a person fixes the books
