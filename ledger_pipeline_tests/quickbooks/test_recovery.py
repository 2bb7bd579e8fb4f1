"""What goes wrong between the warehouse and QuickBooks, in real Dagster runs: a crash after a post but before
it was recorded, a SyncToken someone moved, a token that expires mid-run, a 429 storm, one bad record in a
batch. Each time the books end up with exactly one object per record."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger_pipeline.defs.quickbooks.company import PacedTarget
from ledger_pipeline.posting import Outbox
from ledger_pipeline.sandbox.quickbooks import US_REALM


def _day_with_entries(books):
    """The first day whose partition posts more than one entry (a payout and its summary)."""
    rows = books.query("SELECT anchor_date, count(*) FROM journal.entries GROUP BY 1 HAVING count(*) > 1 "
                       "ORDER BY 1 LIMIT 1")
    assert rows, "the world has no day with two entries"
    return rows[0][0]


def _one_object_per_entry(books):
    markers = [j["DocNumber"] for j in books.journals()]
    assert len(markers) == len(set(markers)) == books.query("SELECT count(*) FROM journal.entries")[0][0]


def test_crash_after_the_post_before_the_record_does_not_duplicate(books, monkeypatch):
    day = _day_with_entries(books)
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
    landed = books.journals()
    assert landed, "the batch reached the books before the crash"
    assert books.query("SELECT count(*) FROM sync.outbox WHERE status = 'pending'")[0][0] >= 1

    again = books.run(day)  # the next run settles the pending intents by their markers
    assert again.success
    assert books.counts(again).get("recovered", 0) >= 1
    assert {j["Id"] for j in books.journals()} == {j["Id"] for j in landed}
    assert books.query("SELECT count(*) FROM sync.outbox WHERE status = 'pending'") == [(0,)]
    assert all(c.passed for c in again.get_asset_check_evaluations())


def test_changed_entry_is_updated_after_a_stale_sync_token(books):
    day = _day_with_entries(books)
    books.post_all()
    # someone edits a posted journal in QuickBooks: its SyncToken moves on
    client = books.quickbooks(realm_id=US_REALM).client()
    key, remote_id, token = books.query("SELECT record_key, remote_id, sync_token FROM sync.external_ids "
                                        "ORDER BY record_key LIMIT 1")[0]
    edited = client.get("JournalEntry", remote_id)
    edited["PrivateNote"] += " (looked at by the bookkeeper)"
    from quickbooks.objects.journalentry import JournalEntry
    client.update(JournalEntry.from_json(edited), None)
    assert client.get("JournalEntry", remote_id)["SyncToken"] != token

    # the mapping moves Stripe's processing fees to Merchant Fees: every entry of the day changes
    books.edit_mapping('stripe_fee: {ref: "31", name: Stripe Fees}', 'stripe_fee: {ref: "32", name: Merchant Fees}')
    result = books.run(day, books.JOURNAL_ASSETS + books.QBO_ASSETS)
    assert result.success, books.checks(result)
    counts = books.counts(result)
    assert counts.get("updated", 0) >= 1 and "failed" not in counts, counts
    assert all(c.passed for c in result.get_asset_check_evaluations())
    journal = client.get("JournalEntry", remote_id)
    accounts = {line["JournalEntryLineDetail"]["AccountRef"]["value"] for line in journal["Line"]}
    if key.split("/")[2] == "summary":
        assert "32" in accounts and "31" not in accounts
    _one_object_per_entry(books)
    # the refusal is kept in the outbox, and the write after it settled the record
    assert books.query("SELECT count(*) FROM sync.outbox WHERE error_code = '5010'")[0][0] >= 1


def test_token_expiring_mid_run_is_refreshed_and_rotated(books, monkeypatch):
    day = _day_with_entries(books)
    before = books.store.load("quickbooks", US_REALM)
    real = PacedTarget.create_many

    def late(self, records, key):
        books.sandbox.move_clock(by=2 * 3600)  # the access token dies between preflight and the first batch
        return real(self, records, key)

    monkeypatch.setattr(PacedTarget, "create_many", late)
    result = books.run(day)
    assert result.success, books.checks(result)
    assert books.counts(result).get("created", 0) >= 2
    after = books.store.load("quickbooks", US_REALM)
    assert after.access_token != before.access_token and after.refresh_token != before.refresh_token
    oauth = books.admin("/_sandbox/stats")["oauth"]
    assert oauth.get("token_requests") == 1 and not oauth.get("invalid_grant")
    statuses = books.admin("/_sandbox/stats")["realms"][US_REALM]["statuses"]
    assert statuses.get("401") == 1  # refused once, refreshed, sent again
    _one_object_per_entry_of_day(books, day)


def _one_object_per_entry_of_day(books, day):
    keys = [k for (k,) in books.query("SELECT entry_key FROM journal.entries WHERE anchor_date = ?", [day])]
    assert len(books.journals()) == len(keys)


def test_429_storm_posts_everything_with_no_failures(books):
    # the realm allows 6 requests a (time-scaled, 0.1 s) minute, and the next 5 answers are 429s anyway
    books.admin("/_sandbox/clock", {"time_scale": 600})
    books.admin("/_sandbox/faults", {"requests_per_minute": 6,
                                     "scripted": [{"path": "/v3/company/", "status": 429, "count": 5}]})
    results = books.post_all()
    for result in results:
        failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
        assert result.success and not failed, failed
        assert "failed" not in books.counts(result)
    stats = books.admin("/_sandbox/stats")["realms"][US_REALM]
    assert stats["throttled"] + stats.get("faults_injected", 0) >= 5
    _one_object_per_entry(books)


def test_one_bad_record_in_a_batch_is_quarantined_and_the_rest_posted(books):
    day = _day_with_entries(books)
    assert books.run(day, [books.QBO_ASSETS[0]]).success  # preflight passes
    # then Checking (the payout's bank account) is made inactive in QuickBooks before the post
    client = books.quickbooks(realm_id=US_REALM).client()
    checking = client.get("Account", "1")
    checking["Active"] = False
    from quickbooks.objects.account import Account
    client.update(Account.from_json(checking), None)

    result = books.run(day, [books.QBO_ASSETS[1]])
    assert result.success  # the rest went on
    counts = books.counts(result)
    assert counts.get("failed") == 1 and counts.get("created", 0) >= 1, counts
    check = books.checks(result)["every_record_posted"]
    assert not check.passed
    [failure] = check.metadata["not_posted"].value
    assert "/payout/" in failure["record_key"] and failure["fix"] and failure["code"] == "610"
    assert failure["record_key"] in check.description
    [row] = books.query("SELECT record_key, error_code, error_message, error_fix FROM sync.outbox "
                        "WHERE status = 'failed'")
    assert row[0] == failure["record_key"] and row[2] and row[3]

    # reactivated: the next run posts it, and the books hold each entry once
    checking = client.get("Account", "1")
    checking["Active"] = True
    client.update(Account.from_json(checking), None)
    again = books.run(day, [books.QBO_ASSETS[1]])
    assert books.counts(again) == {"created": 1, "skipped": counts["created"]}
    assert all(c.passed for c in again.get_asset_check_evaluations())
    _one_object_per_entry_of_day(books, day)
    assert sum(Decimal(str(v)) for v in books.sandbox.trial_balance(US_REALM).values()) == 0


@pytest.mark.parametrize("throttle_body", ["xml"])
def test_throttling_in_xml_is_retried_too(books, throttle_body):
    books.admin("/_sandbox/faults", {"throttle_body": throttle_body,
                                     "scripted": [{"path": "/batch", "status": 429, "count": 2}]})
    day = _day_with_entries(books)
    result = books.run(day)
    assert result.success and "failed" not in books.counts(result)
    _one_object_per_entry_of_day(books, day)
