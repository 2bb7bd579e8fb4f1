"""Per-transaction mode: the same Stripe days as documents (sales receipts, invoices and their payments,
refund receipts, credit notes, fee expenses, payout transfers), with their customers, vendor and items,
posted to the QuickBooks sandbox; an invoice voided in Stripe after posting is voided there too."""

from __future__ import annotations

from decimal import Decimal

import stripe

from ledger_pipeline.defs.quickbooks.adapter import marker
from ledger_pipeline.money import to_decimal
from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.quickbooks import US_REALM
from ledger_pipeline.sandbox.stripe import StripeSandbox

from .conftest import NOON, STRIPE_KEY


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


def test_an_invoice_voided_in_stripe_after_posting_is_voided_in_quickbooks(document_books):
    books = document_books
    key, day, invoice_id = books.query(
        "SELECT e.entry_key, e.anchor_date, d.source_id FROM journal.entries e JOIN journal.documents d "
        "USING (entry_key) WHERE e.document_type = 'invoice' AND d.status = 'open' AND e.anchor_date < ? "
        "ORDER BY 1 LIMIT 1", [books.DAYS[-1]])[0]
    assert books.run(day).success  # the open invoice is posted on its day
    [(remote_id,)] = books.query("SELECT remote_id FROM sync.external_ids WHERE record_key = ?", [key])
    before = books.state()["objects"]["Invoice"][remote_id]
    assert Decimal(str(before["TotalAmt"])) > 0

    # Stripe voids the invoice (through the real client, on a sandbox of the same world whose clock stands
    # after its last event, still on the last day); that day's run extracts the change, books the void and
    # voids the QuickBooks invoice
    voided_at = max(o["created"] for o in books.world.seed["objects"] if o["object"] == "event") + 60
    assert voided_at < NOON + 12 * 3600, "the world's last event leaves no room for a void on its last day"
    sandbox = StripeSandbox(seed=books.world.seed, api_keys=(STRIPE_KEY,), clock=SandboxClock(frozen_at=voided_at),
                            requests_per_second=100_000, faults=Faults())
    with sandbox.serve() as server:
        client = stripe.StripeClient(STRIPE_KEY, base_addresses={"api": server.base_url}, max_network_retries=0)
        assert client.v1.invoices.void_invoice(invoice_id)["status"] == "void"
        result = books.run(books.DAYS[-1], books.ALL_ASSETS,
                           stripe=books.world.stripe_at(server.base_url))
    failed = {c.check_name: c.description for c in result.get_asset_check_evaluations() if not c.passed}
    assert result.success and not failed, failed
    assert books.query("SELECT status FROM staging.invoices WHERE id = ?", [invoice_id]) == [("void",)]
    assert books.query("SELECT status FROM journal.documents WHERE entry_key = ?", [key]) == [("void",)]
    assert books.counts(result).get("voided") == 1, books.counts(result)
    after = books.state()["objects"]["Invoice"][remote_id]
    assert Decimal(str(after["TotalAmt"])) == 0 and after["PrivateNote"].startswith("Voided")
    assert books.query("SELECT status FROM sync.external_ids WHERE record_key = ?", [key]) == [("voided",)]
    again = books.run(books.DAYS[-1])
    assert again.success and "voided" not in books.counts(again)
