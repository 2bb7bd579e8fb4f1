"""Refusals reported per item (QuickBooks batch Faults, Xero ValidationErrors), classified by code, recorded
in the outbox with the target's message and the fix; the good items of the same batch are kept."""

from __future__ import annotations

import pytest
from quickbooks.objects import Account, Customer

from ledger_pipeline.posting import ErrorKind, Remote, TargetError
from ledger_pipeline.sandbox.quickbooks import MULTICURRENCY_REALM
from ledger_pipeline.targets.quickbooks import BatchItem


def test_quickbooks_batch_faults_per_item(qbo, conn, h, qbo_server):
    good = h.qbo_journal("G1", "10.00")
    unknown_account = h.qbo_journal("G2", "10.00", credit="999")
    results = qbo.batch([BatchItem("create", good), BatchItem("create", unknown_account),
                         BatchItem("create", h.qbo_journal("G3", "1.00"))])
    assert [type(r) for r in results] == [Remote, TargetError, Remote]
    assert results[1].kind is ErrorKind.INVALID and results[1].code == "2500"
    assert "999" in results[1].message and "mapping" in results[1].fix

    poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    records = [h.qbo_record("ok:1", "5.00"), h.qbo_record("bad:1", "5.00", credit="999"), h.qbo_record("ok:2", "6.00")]
    report = poster.post(records, batch=True)
    assert report.counts() == {"created": 2, "failed": 1}
    [failure] = poster.outbox.failures()
    assert failure["record_key"] == "bad:1" and failure["error_code"] == "2500"
    assert failure["error_kind"] == "invalid" and "fix the mapping" in failure["error_fix"]
    assert report.metadata()["failures"][0]["code"] == "2500"

    fixed = h.qbo_record("bad:1", "5.00", credit="32")  # the mapping is fixed: new content, a new request
    assert poster.post(records[:1] + [fixed], batch=True).counts() == {"skipped": 1, "created": 1}
    assert poster.outbox.failures() == []


def test_quickbooks_fault_codes_classified(qbo, qbo_sandbox, qbo_server, conn, h):
    first = Customer()
    first.DisplayName = "Acme Ltd"
    qbo.create(first, "cust-1")
    twin = Customer()
    twin.DisplayName = "Acme Ltd"
    with pytest.raises(TargetError) as duplicate:
        qbo.create(twin, "cust-2")
    assert duplicate.value.kind is ErrorKind.DUPLICATE_NAME and duplicate.value.code == "6240"

    account = Account.get(31, qb=qbo.connection.qb())
    account.Active = False
    qbo.update(account, "deactivate-31")
    with pytest.raises(TargetError) as inactive:
        qbo.create(h.qbo_journal("N1", "1.00", credit="31"), "uses-inactive")
    assert inactive.value.kind is ErrorKind.NOT_FOUND and inactive.value.code == "610"
    assert inactive.value.definitive

    with pytest.raises(TargetError) as gone:
        qbo.get("JournalEntry", "4242")
    assert gone.value.kind is ErrorKind.NOT_FOUND


def test_quickbooks_token_for_another_company_stops_posting(qbo_resource, token_store, conn, h):
    token_store.save("quickbooks", MULTICURRENCY_REALM, token_store.load("quickbooks", h.US_REALM))
    other = qbo_resource.model_copy(update={"realm_id": MULTICURRENCY_REALM}).client()
    poster = h.poster_for(conn, h.QuickBooksTarget(other))
    with pytest.raises(TargetError) as forbidden:
        poster.post([h.qbo_record("x:1", "1.00"), h.qbo_record("x:2", "1.00")])
    assert forbidden.value.kind is ErrorKind.FORBIDDEN and forbidden.value.code == "3100"
    assert [i.record_key for i in poster.outbox.pending()] == ["x:1"]  # stopped at the first; nothing failed


def test_quickbooks_stale_sync_token_is_read_again(qbo, conn, h, qbo_server):
    poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    poster.post([h.qbo_record("je:1", "10.00")])
    current = poster.outbox.current("je:1")
    # someone edits the entry in QuickBooks: its SyncToken moves on
    edited = h.qbo_journal(current.marker, "10.00", note="edited by the bookkeeper")
    edited.Id, edited.SyncToken = current.remote_id, current.sync_token
    qbo.update(edited, "someone-else")
    with pytest.raises(TargetError) as stale:
        qbo.update(edited, "stale-again")
    assert stale.value.kind is ErrorKind.STALE and stale.value.code == "5010"

    assert poster.post([h.qbo_record("je:1", "12.00")]).counts() == {"updated": 1}
    after = poster.outbox.current("je:1")
    assert after.sync_token == "2" and after.remote_id == current.remote_id
    statuses = conn.execute("SELECT action, status, error_kind FROM sync.outbox ORDER BY created_at").fetchall()
    assert statuses == [("create", "posted", None), ("update", "failed", "stale"), ("update", "posted", None)]


def test_xero_validation_errors_per_item(xero, conn, h, xero_sandbox):
    results = xero.put_many("ManualJournals", [h.xero_journal("X1", "5.00"),
                                               h.xero_journal("X2", "5.00", credit="999"),
                                               h.xero_journal("X3", "7.00")], "batch-x")
    assert [type(r) for r in results] == [Remote, TargetError, Remote]
    assert results[1].kind is ErrorKind.INVALID and results[1].details
    assert "999" in results[1].message
    assert len(xero_sandbox.organisations[h.US_TENANT_ID]["manual_journals"]) == 2

    poster = h.poster_for(conn, h.XeroTarget(xero))
    records = [h.xero_record("ok:1", "1.00"), h.xero_record("bad:1", "1.00", credit="999")]
    assert poster.post(records, batch=True).counts() == {"created": 1, "failed": 1}
    [failure] = poster.outbox.failures()
    assert failure["record_key"] == "bad:1" and "999" in failure["error_message"]

    with pytest.raises(TargetError) as summarised:  # Xero's default: one 400 for the whole request, nothing kept
        xero.put_many("ManualJournals", [h.xero_journal("X4", "1.00"), h.xero_journal("X5", "1.00", credit="999")],
                      "batch-y", summarize_errors=True)
    assert summarised.value.kind is ErrorKind.INVALID and summarised.value.details
    assert len(xero_sandbox.organisations[h.US_TENANT_ID]["manual_journals"]) == 3


def test_xero_idempotency_key_replays_the_first_answer(xero, h, xero_sandbox):
    batch = [h.xero_journal(f"I{n}", "2.00") for n in range(3)]
    first = xero.put_many("ManualJournals", batch, "replay-me")
    again = xero.put_many("ManualJournals", batch, "replay-me")
    assert [r.remote_id for r in again] == [r.remote_id for r in first]
    assert len(xero_sandbox.organisations[h.US_TENANT_ID]["manual_journals"]) == 3
    with pytest.raises(ValueError, match="128"):
        xero.put_many("ManualJournals", batch, "k" * 129)


def test_quickbooks_requestid_replays_the_first_answer(qbo, h, qbo_server):
    entry = h.qbo_journal("Q1", "3.00")
    first = qbo.create(entry, "same-request")
    again = qbo.create(entry, "same-request")
    assert again.remote_id == first.remote_id and len(h.qbo_journals(qbo_server)) == 1
    with pytest.raises(ValueError, match="50"):
        qbo.create(entry, "r" * 51)
