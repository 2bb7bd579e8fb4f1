"""Preflight stops a bad mapping before anything is posted, saying what to change where; reading the books
back catches what people do in QuickBooks (a manual duplicate) and what the journal dropped."""

from __future__ import annotations

from quickbooks.objects.journalentry import JournalEntry

from ledger_pipeline.defs.quickbooks.adapter import marker
from ledger_pipeline.sandbox.quickbooks import US_REALM


def _posting_day(books):
    return books.query("SELECT max(anchor_date) FROM journal.entries")[0][0]


def test_unknown_account_is_caught_by_preflight_and_nothing_is_posted(books):
    books.edit_mapping('stripe_fee: {ref: "31", name: Stripe Fees}', 'stripe_fee: {ref: "999", name: Stripe Fees}')
    result = books.run(_posting_day(books), books.JOURNAL_ASSETS + books.QBO_ASSETS)
    assert not result.success
    checks = books.checks(result)
    accounts = checks["accounts_ready"]
    assert not accounts.passed and checks["connected"].passed
    assert "999" in accounts.description and "`fees.stripe_fee`" in accounts.description
    assert "demo.yaml" in accounts.description
    [finding] = [f for f in accounts.metadata["findings"].value if f["subject"] == "999"]
    assert "QuickBooks has no account with Id 999" in finding["problem"]
    # the loader never ran: nothing reached the books, nothing in the outbox
    assert not any(e.asset_key.to_user_string() == "quickbooks/posted_entries"
                   for e in result.get_asset_materialization_events())
    assert books.journals() == []
    assert books.query("SELECT count(*) FROM sync.outbox") == [(0,)]


def test_wrong_account_type_and_currency_say_what_to_change(books):
    """The EUR seller's mapping pointed at the US company: no multicurrency there, no EUR accounts."""
    seller = books.world.seller
    books.edit_mapping('company: "9130350000000002"', f'company: "{US_REALM}"', name="demo.connected.yaml")
    books.edit_mapping('disputes: {ref: "34", name: Chargebacks and Disputes}',
                       'disputes: {ref: "1", name: Checking}', name="demo.connected.yaml")
    result = books.run(books.world.posting_days[-1], books.JOURNAL_ASSETS + books.QBO_ASSETS, tenant=seller)
    assert not result.success
    checks = books.checks(result)
    currencies = checks["currencies_enabled"]
    assert not currencies.passed and "EUR" in currencies.description and "Multicurrency" in currencies.description
    assert "`books.company`" in currencies.description
    accounts = checks["accounts_ready"]
    problems = " ".join(f["problem"] + " " + f["fix"] for f in accounts.metadata["findings"].value)
    assert "no account with Id 50" in problems and "`accounts.clearing.eur`" in problems
    assert "is of type Bank, but `accounts.disputes` needs" in problems
    assert books.journals() == []


def test_an_entry_the_journal_dropped_is_deleted_from_the_books(books):
    books.post_all()
    key, remote_id = books.query("SELECT record_key, remote_id FROM sync.external_ids ORDER BY record_key LIMIT 1")[0]
    # a rebuild dropped it (its transactions moved elsewhere): the journal no longer has it
    books.query("DELETE FROM journal.line_sources WHERE entry_key = ?", [key])
    books.query("DELETE FROM journal.lines WHERE entry_key = ?", [key])
    books.query("DELETE FROM journal.entries WHERE entry_key = ?", [key])
    result = books.run(_posting_day(books))
    assert result.success and books.counts(result).get("deleted") == 1
    assert remote_id not in {j["Id"] for j in books.journals()}
    assert books.query("SELECT status FROM sync.external_ids WHERE record_key = ?", [key]) == [("deleted",)]
    assert all(c.passed for c in result.get_asset_check_evaluations())


def test_a_manual_duplicate_carrying_our_marker_is_reported(books):
    day = _posting_day(books)
    books.post_all()
    key, remote_id = books.query("SELECT record_key, remote_id FROM sync.external_ids ORDER BY record_key LIMIT 1")[0]
    client = books.quickbooks(realm_id=US_REALM).client()
    copy = JournalEntry.from_json(client.get("JournalEntry", remote_id))
    copy.Id = copy.SyncToken = None
    copy.MetaData = None
    client.create(copy, None)  # someone copied the journal in QuickBooks, number and all
    stray = JournalEntry.from_json(client.get("JournalEntry", remote_id))
    stray.Id = stray.SyncToken = stray.MetaData = None
    stray.DocNumber = marker("demo", "demo/payout_summary/summary/po_nobody/2026-01")
    client.create(stray, None)  # and typed one of our numbers on another

    result = books.run(day)
    check = books.checks(result)["one_object_per_record"]
    assert not check.passed
    problems = check.metadata["problems"].value
    assert any(p["record_key"] == key and "2 JournalEntry objects carry its marker" in p["problem"] for p in problems)
    strays = check.metadata["marked_without_record"].value
    assert [s["marker"] for s in strays] == [stray.DocNumber]
    assert "no record" in check.description
    # nothing was posted twice by us: the run itself only skipped
    assert set(books.counts(result)) == {"skipped"}
