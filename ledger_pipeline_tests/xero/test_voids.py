"""An invoice voided in Stripe after it was posted (per-transaction mode) ends VOIDED in Xero."""

from __future__ import annotations

import stripe

from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.stripe import StripeSandbox

from .conftest import NOON, STRIPE_KEY


def test_an_invoice_voided_in_stripe_after_posting_is_voided_in_xero(document_books):
    books = document_books
    for day in books.DAYS[:-1]:
        assert books.run(day).success
    open_invoices = books.query(
        "SELECT e.entry_key, x.remote_id, d.source_id FROM journal.entries e JOIN journal.documents d "
        "USING (entry_key) JOIN sync.external_ids x ON x.record_key = e.entry_key "
        "WHERE e.document_type = 'invoice' AND d.status = 'open' AND x.remote_kind = 'Invoices' "
        "AND x.status = 'posted' ORDER BY 1 LIMIT 1")
    assert open_invoices, "no open invoice was posted as a Xero invoice before the last day"
    [(key, remote_id, invoice_id)] = open_invoices
    before = next(i for i in books.state()["invoices"] if i["InvoiceID"] == remote_id)
    assert before["Status"] == "AUTHORISED"

    # Stripe voids the invoice (the real client, on a sandbox of the same world whose clock stands after its
    # last event, still on the last day); that day's run extracts the change, books it and voids the Xero invoice
    voided_at = max(o["created"] for o in books.world.seed["objects"] if o["object"] == "event") + 60
    assert voided_at < NOON + 12 * 3600, "the world's last event leaves no room for a void on its last day"
    sandbox = StripeSandbox(seed=books.world.seed, api_keys=(STRIPE_KEY,), clock=SandboxClock(frozen_at=voided_at),
                            requests_per_second=100_000, faults=Faults())
    with sandbox.serve() as server:
        client = stripe.StripeClient(STRIPE_KEY, base_addresses={"api": server.base_url}, max_network_retries=0)
        assert client.v1.invoices.void_invoice(invoice_id)["status"] == "void"
        result = books.run(books.DAYS[-1], books.ALL_ASSETS, stripe=books.world.stripe_at(server.base_url))
    assert result.success and not books.failed(result), books.failed(result)
    assert books.query("SELECT status FROM journal.documents WHERE entry_key = ?", [key]) == [("void",)]
    assert books.counts(result).get("voided") == 1, books.counts(result)
    after = next(i for i in books.state()["invoices"] if i["InvoiceID"] == remote_id)
    assert after["Status"] == "VOIDED"
    assert books.query("SELECT status FROM sync.external_ids WHERE record_key = ?", [key]) == [("voided",)]
    again = books.run(books.DAYS[-1])
    assert again.success and "voided" not in books.counts(again)
