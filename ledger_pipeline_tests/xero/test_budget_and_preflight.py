"""The day's API budget running out mid-day (posted what fit, the rest waits, the next day finishes with no
duplicates), and preflight stopping what Xero would refuse before anything is posted."""

from __future__ import annotations

from collections import Counter

from ledger_pipeline.posting import limiter


def _markers(books) -> Counter:
    """Every live document or journal in the organisation carrying one of our markers, counted by marker."""
    state = books.state()
    found: Counter = Counter()
    for collection, field in (("manual_journals", "Narration"), ("invoices", "Reference"),
                              ("credit_notes", "Reference"), ("bank_transactions", "Reference"),
                              ("payments", "Reference"), ("bank_transfers", "Reference")):
        for row in state.get(collection, []):
            if row.get("Status") in ("VOIDED", "DELETED") or str(row.get("Type", "")).endswith("-TRANSFER"):
                continue
            text = str(row.get(field) or "")
            if "LP" in text:
                found[text[text.index("LP"):][:21]] += 1
    return found


def test_the_daily_budget_stops_posting_and_the_next_day_finishes_the_job(document_books, monkeypatch):
    books = document_books
    books.configure(batch_size=5)        # more requests for the day's documents than the budget holds
    books.sandbox.limits.calls_per_day = 25
    day = books.DAYS[0]
    first = books.run(day, min_calls_left=5)
    assert first.success                 # the partition materializes: nothing failed, part of it waits
    meta = books.metadata(first)
    assert meta["stopped_for_daily_limit"] is True and meta["waiting_for_budget"] > 0
    check = books.checks(first)["every_record_posted"]
    assert not check.passed and check.severity.value == "WARN"
    assert check.description.startswith(f"{meta['waiting_for_budget']} records wait for tomorrow's Xero budget")
    posted = books.query("SELECT count(*) FROM sync.external_ids WHERE status = 'posted'")[0][0]
    assert 0 < posted and books.query("SELECT count(*) FROM sync.outbox WHERE status = 'pending'") == [(0,)]
    assert books.stats()["calls"] <= 25 and books.stats()["by_status"].get("429") is None  # stopped in time
    assert set(_markers(books).values()) == {1}

    books.sandbox.advance(86_400)                    # Xero's next day; the next run is a new process
    monkeypatch.setattr(limiter, "_registry", {})
    second = books.run(day, min_calls_left=5)
    assert second.success and not books.failed(second), books.failed(second)
    assert books.metadata(second)["stopped_for_daily_limit"] is False
    assert books.counts(second).get("created", 0) > 0
    found = _markers(books)
    assert set(found.values()) == {1}                # no duplicates
    documents = books.query("SELECT count(*) FROM sync.external_ids WHERE status = 'posted' "
                            "AND remote_kind NOT IN ('Contacts', 'Items')")[0][0]
    assert len(found) == documents == books.query(
        "SELECT count(*) FROM journal.entries e LEFT JOIN journal.documents d USING (entry_key) "
        "WHERE e.anchor_date = ? AND NOT e.kind LIKE '%\\_void' ESCAPE '\\' "
        "AND NOT (d.status = 'void' AND e.document_type IN ('invoice', 'credit_note'))", [day])[0][0]


def test_preflight_stops_payments_to_an_account_that_takes_none(document_books):
    books = document_books
    books.edit_mapping('usd: {ref: "091", name: Stripe Clearing}', 'usd: {ref: "094", name: Stripe Reserve}')
    result = books.run(books.DAYS[0], books.JOURNAL_ASSETS + books.XERO_ASSETS)
    assert not result.success
    failed = books.failed(result)
    assert set(failed) == {"payment_accounts_ready"}, failed
    message = failed["payment_accounts_ready"]
    assert ("In Xero, open Accounting > Chart of accounts > 094 and tick 'Enable payments to this account', or map "
            "a bank account") in message
    assert "mappings/demo.yaml" in message and "accounts.clearing.usd" in message
    assert not books.metadata(result)  # xero/posted_entries did not run
    assert books.stats().get("operations", {}).keys() <= {"GET /Organisation", "GET /Accounts", "GET /TaxRates",
                                                           "GET /TrackingCategories", "GET /Currencies"}


def test_preflight_stops_manual_journals_on_a_bank_account(books):
    books.edit_mapping('usd: {ref: "093", name: Undeposited Funds}', 'usd: {ref: "091", name: Stripe Clearing}')
    result = books.run(books.DAYS[-1], books.JOURNAL_ASSETS + books.XERO_ASSETS)
    failed = books.failed(result)
    assert not result.success and set(failed) == {"accounts_ready"}, failed
    assert "091" in failed["accounts_ready"] and "no manual journal on a bank account" in failed["accounts_ready"]
    assert "accounts.clearing.usd" in failed["accounts_ready"]
    assert not books.live()
