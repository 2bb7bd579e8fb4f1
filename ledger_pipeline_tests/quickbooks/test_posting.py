"""Payout summaries from the Stripe sandbox land in the QuickBooks sandbox as balanced JournalEntries whose
trial balance equals the warehouse; re-runs change nothing; the answers are python-quickbooks objects."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from quickbooks.objects.journalentry import JournalEntry

from ledger_pipeline.defs.quickbooks.adapter import marker, tenant_tag
from ledger_pipeline.money import to_decimal
from ledger_pipeline.sandbox.quickbooks import MULTICURRENCY_REALM, US_REALM


def _balance(journal: dict) -> tuple[Decimal, Decimal]:
    sides: dict[str, Decimal] = defaultdict(Decimal)
    for line in journal["Line"]:
        detail = line["JournalEntryLineDetail"]
        sides[detail["PostingType"]] += Decimal(str(line["Amount"]))
    return sides["Debit"], sides["Credit"]


def test_end_to_end_payout_summaries_balance_and_match_the_trial_balance(books):
    results = [books.run(day) for day in books.DAYS[:-1]]
    results.append(books.run(books.DAYS[-1], books.ALL_ASSETS))  # the last day all the way from the Stripe sandbox
    for result in results:
        failed = {e.check_name: e.description for e in result.get_asset_check_evaluations() if not e.passed}
        assert result.success and not failed, failed
    entries = books.query("SELECT entry_key, books_total_debit FROM journal.entries ORDER BY entry_key")
    assert len(entries) >= 2

    journals = books.journals()
    assert len(journals) == len(entries)
    by_marker = {j["DocNumber"]: j for j in journals}
    for key, total in entries:
        journal = by_marker[marker("demo", key)]
        debit, credit = _balance(journal)
        assert debit == credit == to_decimal(total, "usd")
        assert key in journal["PrivateNote"] and journal["DocNumber"].startswith(tenant_tag("demo") + "-")

    # every remote id is recorded, with the SyncToken QuickBooks gave
    recorded = dict(books.query("SELECT record_key, remote_id FROM sync.external_ids WHERE status = 'posted'"))
    assert recorded == {key: by_marker[marker("demo", key)]["Id"] for key, _ in entries}

    # the sandbox's own trial balance (straight from its ledger) equals the warehouse's lines, per account
    warehouse = {ref: to_decimal(int(amount), "usd") for ref, amount in books.query(
        "SELECT account_ref, sum(books_debit) - sum(books_credit) FROM journal.lines GROUP BY 1 "
        "HAVING sum(books_debit) - sum(books_credit) <> 0")}
    assert books.sandbox.trial_balance(US_REALM) == warehouse
    check = books.checks(results[-1])["trial_balance_matches"]
    assert check.passed and "equal the warehouse" in check.description

    meta = books.metadata(results[2])
    assert meta["counts"]["created"] >= 1 and meta["api_calls"] >= 1 and meta["objects_per_call"] > 0
    assert meta["remote_ids"] and meta["remote_ids"][0]["remote_id"]
    preflight = books.metadata(results[-1], "quickbooks/preflight")
    assert preflight["home_currency"] == "USD" and preflight["findings"] == []


def test_three_reruns_leave_identical_books(books):
    books.post_all()
    before = books.state()
    days = [day for (day,) in books.query("SELECT DISTINCT anchor_date FROM journal.entries ORDER BY 1")]
    assert days
    for _ in range(3):
        for day in days:
            result = books.run(day)
            assert result.success and set(books.counts(result)) <= {"skipped"}, books.counts(result)
    after = books.state()
    assert after["objects"] == before["objects"]
    assert after["ledger"] == before["ledger"]
    assert books.query("SELECT count(*) FROM sync.outbox WHERE action <> 'create' OR status <> 'posted'") == [(0,)]


def test_answers_parse_into_python_quickbooks_objects(books):
    books.post_all()
    client = books.quickbooks(realm_id=US_REALM).client()
    qb = client.connection.qb()
    key = books.query("SELECT min(entry_key) FROM journal.entries")[0][0]
    [journal] = JournalEntry.filter(DocNumber=marker("demo", key), qb=qb)
    assert isinstance(journal, JournalEntry) and journal.Id
    amounts = [line.Amount for line in journal.Line]
    assert all(isinstance(a, (Decimal, int)) for a in amounts)
    assert {line.JournalEntryLineDetail.PostingType for line in journal.Line} == {"Debit", "Credit"}
    assert journal.PrivateNote.endswith(f"(ledger_pipeline {key})")
    same = JournalEntry.get(journal.Id, qb=qb)
    assert same.DocNumber == journal.DocNumber and same.SyncToken == journal.SyncToken


def test_foreign_currency_books_post_in_their_currency(books):
    """The EUR seller's books live in the multicurrency company (home USD): entries go in EUR at QuickBooks'
    rate, and the read-back compares them object by object."""
    seller = books.world.seller
    results = books.post_all(seller)
    for result in results:
        failed = {e.check_name: e.description for e in result.get_asset_check_evaluations() if not e.passed}
        assert result.success and not failed, failed
    journals = books.journals(MULTICURRENCY_REALM)
    entries = books.query("SELECT entry_key, books_total_debit FROM journal.entries", tenant=seller)
    assert len(journals) == len(entries) >= 1
    for journal in journals:
        assert journal["CurrencyRef"]["value"] == "EUR" and Decimal(str(journal["ExchangeRate"])) == Decimal("1.08")
    check = books.checks(results[-1])
    assert "compared object by object" in check["trial_balance_matches"].description
    assert check["one_object_per_record"].passed
