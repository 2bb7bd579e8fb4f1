"""The posting protocol end to end on both targets: create, skip the same hash, update a changed hash,
void, repost after a void, and what the outbox and external-id tables hold at each step."""

from __future__ import annotations

from decimal import Decimal

from ledger_pipeline.posting import PostRecord


def _rows(conn, sql: str) -> list[tuple]:
    return conn.execute(sql).fetchall()


def test_quickbooks_create_skip_update_void(qbo, conn, h, qbo_server):
    target = h.QuickBooksTarget(qbo)
    poster = h.poster_for(conn, target)
    first = h.qbo_record("payout:po_1", "97.10")
    second = h.qbo_record("payout:po_2", "12.00")

    report = poster.post([first, second])
    assert report.counts() == {"created": 2}
    current = poster.outbox.current("payout:po_1")
    assert current.status == "posted" and current.sync_token == "0" and current.content_hash == first.content_hash
    journals = {j["Id"]: j for j in h.qbo_journals(qbo_server)}
    assert journals[current.remote_id]["DocNumber"] == first.marker
    # every intent was pending before its request and is posted now, keyed by a <= 50 character requestid
    intents = _rows(conn, "SELECT idempotency_key, status, action FROM sync.outbox ORDER BY created_at")
    assert [(s, a) for _, s, a in intents] == [("posted", "create"), ("posted", "create")]
    assert all(len(k) <= 50 for k, *_ in intents)
    stats = h.admin(qbo_server, "/_sandbox/stats")["realms"][h.US_REALM]
    writes = stats["requests"]

    assert poster.post([first, second]).counts() == {"skipped": 2}  # same hash: no call at all
    assert h.admin(qbo_server, "/_sandbox/stats")["realms"][h.US_REALM]["requests"] == writes

    changed = h.qbo_record("payout:po_1", "98.10")
    assert poster.post([changed, second]).counts() == {"updated": 1, "skipped": 1}
    after = poster.outbox.current("payout:po_1")
    assert after.remote_id == current.remote_id and after.sync_token == "1"
    assert after.content_hash == changed.content_hash
    updated = {j["Id"]: j for j in h.qbo_journals(qbo_server)}[current.remote_id]
    assert [Decimal(str(line["Amount"])) for line in updated["Line"]] == [Decimal("98.10")] * 2

    voided = PostRecord("payout:po_2", "JournalEntry", second.content_hash, second.marker, voided=True)
    assert poster.post([voided]).counts() == {"deleted": 1}  # a JournalEntry cannot be voided: deleted
    assert poster.outbox.current("payout:po_2").status == "deleted"
    assert len(h.qbo_journals(qbo_server)) == 1
    assert poster.post([voided]).counts() == {"skipped": 1}

    # the source comes back: a new object, with a new requestid (the old key's answer is spent)
    assert poster.post([second]).counts() == {"created": 1}
    assert len(h.qbo_journals(qbo_server)) == 2
    assert not poster.outbox.pending() and not poster.outbox.failures()


def test_quickbooks_repost_when_asked(qbo, conn, h, qbo_server):
    poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    record = h.qbo_record("fee:txn_1", "3.20")
    poster.post([record])
    old = poster.outbox.current("fee:txn_1").remote_id
    closed_period = h.qbo_record("fee:txn_1", "3.30")
    repost = PostRecord(closed_period.record_key, closed_period.kind, closed_period.content_hash,
                        closed_period.marker, closed_period.payload, repost=True)
    assert poster.post([repost]).counts() == {"created": 1}
    new = poster.outbox.current("fee:txn_1")
    assert new.remote_id != old and new.status == "posted"
    assert [j["Id"] for j in h.qbo_journals(qbo_server)] == [new.remote_id]
    actions = _rows(conn, "SELECT action, status FROM sync.outbox ORDER BY created_at")
    assert actions == [("create", "posted"), ("void", "posted"), ("create", "posted")]


def test_xero_create_skip_update_void(xero, conn, h, xero_sandbox):
    poster = h.poster_for(conn, h.XeroTarget(xero))
    first = h.xero_record("payout:po_1", "97.10")
    assert poster.post([first]).counts() == {"created": 1}
    current = poster.outbox.current("payout:po_1")
    books = xero_sandbox.organisations[h.US_TENANT_ID]
    assert books["manual_journals"][current.remote_id]["Narration"].endswith(first.marker)
    assert current.sync_token is None and len(poster.outbox.pending()) == 0

    assert poster.post([first]).counts() == {"skipped": 1}

    changed = h.xero_record("payout:po_1", "97.20")
    assert poster.post([changed]).counts() == {"updated": 1}
    lines = books["manual_journals"][current.remote_id]["JournalLines"]
    assert sorted(Decimal(str(line["LineAmount"])) for line in lines) == [Decimal("-97.20"), Decimal("97.20")]

    gone = PostRecord("payout:po_1", "ManualJournals", changed.content_hash, changed.marker, voided=True)
    assert poster.post([gone]).counts() == {"voided": 1}
    assert books["manual_journals"][current.remote_id]["Status"] == "VOIDED"
    assert poster.outbox.current("payout:po_1").status == "voided"
    assert len(books["manual_journals"]) == 1
