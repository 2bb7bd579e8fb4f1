"""Per-transaction mode: the same Stripe days as documents (sales receipts, invoices and their payments,
refund receipts, credit notes, fee expenses, payout transfers), with their customers, vendor and items,
posted to the QuickBooks sandbox; a Stripe invoice voided after posting is voided there too."""

from __future__ import annotations

from decimal import Decimal

from ledger_pipeline.defs.quickbooks.adapter import marker
from ledger_pipeline.money import to_decimal
from ledger_pipeline.sandbox.quickbooks import US_REALM


def test_documents_post_as_their_quickbooks_kinds_and_the_books_match(document_books):
    books = document_books
    results = books.post_all()
    for result in results:
        failed = {e.check_name: e.description for e in result.get_asset_check_evaluations() if not e.passed}
        assert result.success and not failed, failed
    objects = books.state()["objects"]
    kinds = dict(books.query("SELECT remote_kind, count(*) FROM sync.external_ids WHERE status = 'posted' GROUP BY 1"))
    # every document type of the journal lands as its own QuickBooks object
    assert {"SalesReceipt", "Invoice", "Payment", "RefundReceipt", "Purchase", "Transfer"} <= set(kinds), kinds
    for kind in ("SalesReceipt", "Invoice", "Payment", "RefundReceipt", "Purchase", "Transfer"):
        ours = [o for o in objects[kind].values() if o.get("DocNumber", "").startswith("LP")
                or str(o.get("PrivateNote", "")).startswith("LP")]
        assert len(ours) == kinds[kind], kind
    # customers matched or created once each (by email), the Stripe vendor found, not created
    customers = books.query("SELECT count(*) FROM sync.external_ids WHERE remote_kind = 'Customer'")[0][0]
    assert customers == len(objects["Customer"]) >= 5
    stripe = [v for v in objects["Vendor"].values() if v["DisplayName"] == "Stripe"]
    assert [v["Id"] for v in stripe] == ["1"]  # the company's own Stripe vendor, matched by name
    assert books.query("SELECT remote_id FROM sync.external_ids WHERE record_key = 'vendor/stripe'") == [("1",)]
    assert kinds["Vendor"] == len(objects["Vendor"])  # and the connected accounts paid fees or transfers
    emails = [c["PrimaryEmailAddr"]["Address"] for c in objects["Customer"].values()]
    assert len(emails) == len(set(emails))

    # the sandbox's ledger equals the warehouse's lines of everything posted (voided ones out)
    warehouse = {ref: to_decimal(int(amount), "usd") for ref, amount in books.query(
        "SELECT l.account_ref, sum(l.books_debit) - sum(l.books_credit) FROM journal.lines l "
        "JOIN sync.external_ids x ON x.record_key = l.entry_key AND x.status = 'posted' "
        "GROUP BY 1 HAVING sum(l.books_debit) - sum(l.books_credit) <> 0")}
    assert books.sandbox.trial_balance(US_REALM) == warehouse

    # a payment points at the invoice it pays
    payment_key, invoice_key = books.query(
        "SELECT d.entry_key, d.applies_to FROM journal.documents d JOIN journal.entries e USING (entry_key) "
        "WHERE e.document_type = 'payment' AND d.applies_to IS NOT NULL ORDER BY 1 LIMIT 1")[0]
    ids = dict(books.query("SELECT record_key, remote_id FROM sync.external_ids"))
    payment = objects["Payment"][ids[payment_key]]
    assert payment["Line"][0]["LinkedTxn"][0] == {"TxnId": ids[invoice_key], "TxnType": "Invoice"}
    assert payment["PrivateNote"].startswith(marker("demo", payment_key))

    # many objects per call: customers and documents go 30 to a batch request
    meta = [books.metadata(r) for r in results]
    assert sum(m["batch_requests"] for m in meta) >= 4 and max(m["objects_per_call"] for m in meta) > 1.5

    # and a re-run of every day changes nothing, without a single call to build or post
    before = books.state()
    for day in books.DAYS:
        again = books.run(day)
        assert again.success and set(books.counts(again)) <= {"skipped"}, books.counts(again)
        assert books.metadata(again)["api_calls"] == 0
    after = books.state()
    assert after["objects"] == before["objects"] and after["ledger"] == before["ledger"]


def test_an_invoice_voided_after_posting_is_voided_in_quickbooks(document_books):
    books = document_books
    key, day = books.query("SELECT e.entry_key, e.anchor_date FROM journal.entries e JOIN journal.documents d "
                           "USING (entry_key) WHERE e.document_type = 'invoice' AND d.status = 'open' "
                           "ORDER BY 1 LIMIT 1")[0]
    assert books.run(day).success  # the open invoice is posted on its day
    [(remote_id,)] = books.query("SELECT remote_id FROM sync.external_ids WHERE record_key = ?", [key])
    before = books.state()["objects"]["Invoice"][remote_id]
    assert Decimal(str(before["TotalAmt"])) > 0
    # Stripe voids the invoice; the journal says so on its document (and books the reversal beside it)
    books.query("UPDATE journal.documents SET status = 'void' WHERE entry_key = ?", [key])

    result = books.run(books.DAYS[-1])  # any later day's run voids it
    assert result.success and books.counts(result).get("voided") == 1, books.counts(result)
    after = books.state()["objects"]["Invoice"][remote_id]
    assert Decimal(str(after["TotalAmt"])) == 0 and after["PrivateNote"].startswith("Voided")
    assert books.query("SELECT status FROM sync.external_ids WHERE record_key = ?", [key]) == [("voided",)]
    assert all(c.passed for c in result.get_asset_check_evaluations()), books.checks(result)
    again = books.run(books.DAYS[-1])
    assert "voided" not in books.counts(again)
