"""Timestamps, the deliberate midnight case, events, invoices and credit notes, catalog, Connect accounts."""

from __future__ import annotations

from collections import Counter, defaultdict

from ledger_pipeline.sandbox.stripe.factories import API_VERSION

DAY = 86400
_UPDATES = {"customer.updated", "product.updated", "price.updated", "tax_rate.updated", "charge.refunded",
            "charge.dispute.updated", "charge.dispute.closed", "payout.paid", "payout.failed",
            "payout.reconciliation_completed", "invoice.finalized", "invoice.paid", "invoice.updated",
            "invoice.voided", "invoice.marked_uncollectible"}


def test_created_inside_the_window_and_one_deliberate_midnight(idx):
    midnight_family = set()
    charge = next(o for o in idx.cases("midnight_boundary") if o["object"] == "charge")
    midnight_family |= {charge["id"], charge["payment_intent"], charge["balance_transaction"]}
    assert charge["created"] % DAY == 0 and idx.start <= charge["created"] < idx.end
    at_midnight = []
    for obj in idx.objects:
        if obj["object"] == "account":
            assert obj["created"] < idx.start
            continue
        assert idx.start <= obj["created"] < idx.end, obj["id"]
        if obj["created"] % DAY == 0:
            at_midnight.append(obj)
    for obj in at_midnight:
        subject = obj["data"]["object"]["id"] if obj["object"] == "event" else obj["id"]
        assert subject in midnight_family, obj["id"]
    assert {o["id"] for o in at_midnight if o["object"] != "event"} == midnight_family
    txn = idx.by_id[charge["balance_transaction"]]
    assert txn["available_on"] == charge["created"] + 2 * DAY


def test_events_are_well_formed(idx):
    types = Counter()
    for event in idx.of("event"):
        types[event["type"]] += 1
        assert event["api_version"] == API_VERSION and event["livemode"] is False
        assert isinstance(event["pending_webhooks"], int) and set(event["request"]) == {"id", "idempotency_key"}
        subject = event["data"]["object"]
        assert "account" not in subject or subject["object"] in ("application_fee", "bank_account")
        assert subject["id"] in idx.by_id, event["type"]
        assert idx.owner[subject["id"]] == event.get("account"), event["id"]
        assert event["created"] >= subject["created"]
        if event["type"] in _UPDATES:
            previous = event["data"]["previous_attributes"]
            assert previous and all(previous[k] != subject.get(k) for k in previous), event["id"]
    for kind in ("charge.succeeded", "charge.failed", "charge.refunded", "refund.created", "charge.dispute.created",
                 "charge.dispute.closed", "payout.created", "payout.paid", "payout.failed",
                 "payout.reconciliation_completed", "customer.created", "customer.updated", "customer.deleted",
                 "product.created", "product.updated", "product.deleted", "price.created", "price.updated",
                 "invoice.created", "invoice.finalized", "invoice.paid", "invoice.voided",
                 "invoice.marked_uncollectible", "invoice.updated", "credit_note.created",
                 "application_fee.created", "transfer.created", "tax_rate.created", "payment_intent.succeeded"):
        assert types[kind], kind


def test_events_show_objects_as_they_were(idx):
    """charge.succeeded shows an unrefunded charge even when the charge was refunded later."""
    refunded = {c["id"] for c in idx.of("charge") if c["amount_refunded"]}
    seen = 0
    for event in idx.of("event"):
        if event["type"] == "charge.succeeded" and event["data"]["object"]["id"] in refunded:
            assert event["data"]["object"]["amount_refunded"] == 0
            seen += 1
        if event["type"] == "invoice.created":
            assert event["data"]["object"]["status"] == "draft"
    assert seen


def test_invoices_add_up(idx):
    statuses = Counter(inv["status"] for inv in idx.of("invoice"))
    assert {"draft", "open", "paid", "void", "uncollectible"} <= set(statuses)
    charge_by_intent = {c["payment_intent"]: c for c in idx.of("charge") if c.get("payment_intent")}
    for inv in idx.of("invoice"):
        lines = inv["lines"]["data"]
        assert inv["subtotal"] == sum(line["amount"] for line in lines)
        discount = sum(d["amount"] for d in inv["total_discount_amounts"])
        exclusive = sum(t["amount"] for t in inv["total_taxes"] if t["tax_behavior"] == "exclusive")
        taxes = sum(t["amount"] for t in inv["total_taxes"])
        assert taxes == sum(t["amount"] for line in lines for t in line["taxes"])
        assert inv["total"] == inv["subtotal"] - discount + exclusive
        assert inv["total_excluding_tax"] == inv["total"] - taxes
        assert inv["amount_due"] == inv["total"]
        assert inv["amount_remaining"] == inv["amount_due"] - inv["amount_paid"]
        payments = inv["payments"]["data"]
        assert inv["amount_paid"] == sum(p["amount_paid"] for p in payments)
        for payment in payments:
            charge = charge_by_intent[payment["payment"]["payment_intent"]]
            assert charge["amount"] == payment["amount_paid"] and charge["customer"] == inv["customer"]
        if inv["status"] == "paid":
            assert inv["amount_remaining"] == 0 and inv["status_transitions"]["paid_at"]
        if inv["status"] != "draft":
            assert inv["number"] and inv["status_transitions"]["finalized_at"]
        else:
            assert inv["number"] is None
    zero = idx.cases("invoice_zero")[0]
    assert zero["total"] == 0 and zero["status"] == "paid" and not zero["payments"]["data"]
    partial = idx.cases("invoice_partial_payments")[0]
    assert len(partial["payments"]["data"]) == 2 and partial["status"] == "paid"
    assert any(line["taxes"] and line["taxes"][0]["tax_behavior"] == "inclusive"
               for inv in idx.of("invoice") for line in inv["lines"]["data"])


def test_credit_note_refunds_part_of_a_paid_invoice(idx):
    notes = idx.of("credit_note")
    assert len(notes) == 1
    note = notes[0]
    inv = idx.by_id[note["invoice"]]
    assert inv["status"] == "paid" and inv["post_payment_credit_notes_amount"] == note["total"]
    refund = idx.by_id[note["refunds"][0]["refund"]]
    assert refund["amount"] == note["total"] == note["subtotal"] + sum(
        t["amount"] for t in note["total_taxes"] if t["tax_behavior"] == "exclusive")
    assert note["total"] < inv["total"]


def test_catalog_and_customers(idx):
    customers = idx.of("customer")
    deleted = [c for c in customers if c.get("deleted")]
    assert len(deleted) == 1
    assert any(len(c["metadata"]) == 50 and max(len(v) for v in c["metadata"].values()) == 500
               for c in customers)
    names = [c["name"] or "" for c in customers]
    assert any(not n.isascii() for n in names) and any(ord(ch) > 0xFFFF for n in names for ch in n)
    products = idx.of("product")
    assert [p for p in products if p.get("deleted")]
    prices = idx.of("price")
    assert {p["type"] for p in prices} == {"one_time", "recurring"}
    assert {t["inclusive"] for t in idx.of("tax_rate")} == {True, False}
    for price in prices:
        assert price["product"] in idx.by_id
    updated = defaultdict(int)
    for event in idx.of("event"):
        if event["type"] in ("customer.updated", "product.updated"):
            updated[event["type"]] += 1
    assert updated["customer.updated"] >= 2 and updated["product.updated"] >= 2


def test_connect_accounts(idx, settings):
    accounts = list(idx.accounts.values())
    assert len(accounts) == settings.connected_accounts
    assert {a["type"] for a in accounts} == {"standard", "express"}
    for account in accounts:
        assert account["settings"]["dashboard"]["display_name"]
        assert account["external_accounts"]["data"][0]["currency"] == account["default_currency"]
    owners = {idx.owner[o["id"]] for o in idx.objects}
    assert owners == {None, *idx.accounts}
    assert "eur" in {a["default_currency"] for a in accounts}
