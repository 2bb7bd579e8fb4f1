"""Both posting modes end to end: payout summaries as ManualJournals, per-transaction documents, read back;
three runs of every day leave identical books; the QuickBooks loader passes over a Xero tenant."""

from __future__ import annotations

from decimal import Decimal

from ledger_pipeline.defs.xero.adapter import marker
from ledger_pipeline.sandbox.xero import US_TENANT_ID

MASTER_DATA = ("Contacts", "Items")


def _warehouse_balances(books) -> dict[str, Decimal]:
    """Debit-positive balance per account code of the journal lines of every record live in the books."""
    return {code: Decimal(amount).scaleb(-2) for code, amount in books.query(
        "SELECT l.account_ref, sum(l.books_debit) - sum(l.books_credit) FROM journal.lines l "
        "JOIN sync.external_ids x ON x.record_key = l.entry_key AND x.status = 'posted' "
        "GROUP BY 1 HAVING sum(l.books_debit) - sum(l.books_credit) <> 0")}


def test_payout_summaries_post_as_manual_journals_and_three_runs_leave_identical_books(books):
    first = books.post_all(books.QUICKBOOKS_ASSETS + books.XERO_ASSETS)
    for result in first:
        assert result.success and not books.failed(result), books.failed(result)
    # the QuickBooks loader passed over this Xero tenant, saying so
    quickbooks = [c for r in first for c in r.get_asset_check_evaluations() if c.asset_key.path[0] == "quickbooks"]
    assert quickbooks and all(c.passed and c.metadata["not_applicable"].value for c in quickbooks)
    assert books.metadata(first[-1], "quickbooks/posted_entries")["skipped"].endswith("posts to xero")

    journals = books.live()
    posted = books.query("SELECT record_key, remote_id, remote_kind FROM sync.external_ids")
    assert len(journals) == len(posted) == books.query("SELECT count(*) FROM journal.entries")[0][0] > 0
    by_id = {j["ManualJournalID"]: j for j in journals}
    for key, remote_id, kind in posted:
        journal = by_id[remote_id]
        assert kind == "ManualJournals" and journal["Status"] == "POSTED" and journal["LineAmountTypes"] == "NoTax"
        assert journal["Narration"].endswith(" " + marker("demo", key)) and key in journal["Narration"]
        lines = books.query("SELECT account_ref, books_debit - books_credit FROM journal.lines "
                            "WHERE entry_key = ? AND books_debit + books_credit <> 0", [key])
        ours = sorted((code, Decimal(amount).scaleb(-2)) for code, amount in lines)  # debit +, credit -
        assert sorted((l["AccountCode"], Decimal(l["LineAmount"])) for l in journal["JournalLines"]) == ours
    assert {k: v for k, v in books.sandbox.balances(US_TENANT_ID).items() if v} == _warehouse_balances(books)
    checks = books.checks(first[-1])
    assert "equal the warehouse" in checks["trial_balance_matches"].description
    assert "exactly one object" in checks["one_object_per_record"].description
    meta = books.metadata(first[-1])
    assert meta["stopped_for_daily_limit"] is False and meta["tenant_id"] == US_TENANT_ID
    assert books.query("SELECT count(*) FROM sync.outbox WHERE status <> 'posted'") == [(0,)]

    before = books.state()
    for _ in range(2):  # runs two and three of every day: nothing to build, nothing sent, the same books
        for day in books.DAYS:
            again = books.run(day)
            assert again.success and not books.failed(again), books.failed(again)
            assert set(books.counts(again)) <= {"skipped"}, books.counts(again)
            assert books.metadata(again)["api_calls"] == 0
    assert books.state() == before
    assert books.query("SELECT count(*) FROM sync.outbox") == books.query("SELECT count(*) FROM sync.external_ids")


def test_per_transaction_documents_post_and_the_books_match(document_books):
    books = document_books
    results = books.post_all()
    for result in results:
        assert result.success and not books.failed(result), books.failed(result)
    kinds = dict(books.query("SELECT remote_kind, count(*) FROM sync.external_ids WHERE status = 'posted' "
                             "GROUP BY 1"))
    documents = {k: n for k, n in kinds.items() if k not in MASTER_DATA}
    # a payment that applies part of its money and leaves the rest as credit or an exchange difference posts as
    # more than one object: the Payment, then a part of its own for each (payment_parts.py)
    parts = dict(books.query(
        "SELECT CASE WHEN l.role = 'exchange_gain_loss' THEN 'exchange_difference' ELSE 'overpayment' END, count(*) "
        "FROM journal.lines l JOIN journal.entries e USING (entry_key) WHERE e.document_type = 'payment' "
        "AND (l.role = 'exchange_gain_loss' OR (l.role = 'receivables' AND l.role_key = 'unapplied')) "
        "AND EXISTS (SELECT 1 FROM journal.lines a WHERE a.entry_key = l.entry_key AND a.role_key = 'applied') "
        "GROUP BY 1"))
    assert parts, "the world should hold payments against invoices booked at another rate"
    assert sum(documents.values()) == sum(parts.values()) + books.query(  # every document, but reversals and
        "SELECT count(*) FROM journal.entries e LEFT JOIN journal.documents d USING (entry_key) "  # ones voided
        "WHERE NOT e.kind LIKE '%\\_void' ESCAPE '\\' "                                            # before posting
        "AND NOT (d.status = 'void' AND e.document_type IN ('invoice', 'credit_note'))")[0][0]
    assert dict(books.query("SELECT split_part(record_key, '#', 2), count(*) FROM sync.external_ids "
                            "WHERE record_key LIKE '%#%' AND remote_kind = 'BankTransactions' AND status = 'posted' "
                            "GROUP BY 1")) == parts
    assert not books.query("SELECT remote_kind FROM sync.external_ids WHERE record_key LIKE '%/payment/%' "
                           "AND record_key NOT LIKE '%#%' AND remote_kind <> 'Payments'")  # no journal on receivables
    assert len(documents) >= 3, documents  # documents of their own kinds, not only journals
    assert {k: v for k, v in books.sandbox.balances(US_TENANT_ID).items() if v} == _warehouse_balances(books)
    meta = [books.metadata(r) for r in results]
    assert sum(m["batch_requests"] for m in meta) >= 3 and max(m["objects_per_call"] for m in meta) > 1.5
    assert all(not m.get("failures") for m in meta)
    for check in ("trial_balance_matches", "one_object_per_record"):
        assert books.checks(results[-1])[check].passed, books.checks(results[-1])[check].description

    before = books.state()
    for _ in range(2):  # runs two and three: the payments and their parts are skipped, the books stay as they are
        for day in books.DAYS:
            again = books.run(day)
            assert again.success and not books.failed(again), books.failed(again)
            assert set(books.counts(again)) <= {"skipped"}, books.counts(again)
    assert books.state() == before
    assert books.query("SELECT count(*) FROM sync.outbox WHERE status <> 'posted'") == [(0,)]
