"""The built documents posted through our Xero client (XeroTarget, the Poster, batches of one kind) to the Xero
sandbox, then read back: the trial balance holds exactly each entry's lines per account, contacts are matched
before they are created, and a re-run sends nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xero_python.accounting.models import Allocations, Contact

from ledger_pipeline.defs.xero import adapter, documents, master_data, payment_parts, post
from ledger_pipeline.posting import Poster, PostRecord


def day_of_documents(books) -> list:
    customer = books.customer("cus_ada", "Ada Lovelace", "ada@example.test")
    return [
        books.entry("sr1", "sales_receipt", [
            books.line("clearing", 9653),
            books.line("revenue", -10000, tax_code="TAX001", item="PLAN-PRO", item_name="Pro plan", quantity=4,
                       unit_amount=2500, dimension="Region", option="Europe"),
            books.line("discounts", 1000, tax_code="NONE"),
            books.line("tax", -653, tax_code="TAX001", account="820")], **customer),
        books.entry("in1", "invoice", [
            books.line("receivables", 10825, role_key="invoice"), books.line("revenue", -10000, tax_code="OUTPUT"),
            books.line("tax", -825, tax_code="OUTPUT", account="820")],
            number="ACME-0001", due_date=dt.date(2024, 5, 15), **books.customer("cus_bo", "Bo Diddley", "bo@x.test")),
        books.entry("in2", "invoice", [books.line("receivables", 5000), books.line("revenue", -5000, tax_code="NONE")],
                    number="ACME-0002", **books.customer("cus_bo", "Bo Diddley", "bo@x.test")),
        books.entry("pay1", "payment", [books.line("clearing", 10825),
                                        books.line("receivables", -10825, role_key="applied")], applies_to="in1"),
        books.entry("cn1", "credit_note", [books.line("receivables", -2000), books.line("refunds", 2000,
                                                                                       tax_code="NONE")],
                    applies_to="in2", number="ACME-CN-1", **books.customer("cus_bo", "Bo Diddley", "bo@x.test")),
        books.entry("re1", "refund_receipt", [books.line("clearing", -1083),
                                              books.line("refunds", 1000, tax_code="OUTPUT"),
                                              books.line("tax", 83, tax_code="OUTPUT", account="820")], **customer),
        books.entry("fees1", "expense", [books.line("clearing", -612), books.line("fee", 600, role_key="stripe_fee"),
                                         books.line("fee", 12, account="404", role_key="tax")],
                    counterparty_type="stripe"),
        books.entry("dp1", "expense", [books.line("clearing", -2500), books.line("disputes", 2500)], **customer),
        books.entry("po1", "transfer", [books.line("bank", 5000), books.line("clearing", -5000)]),
        books.entry("rs1", "journal_entry", [books.line("reserves", 300), books.line("clearing", -300)]),
        books.entry("ob1", "journal_entry", [books.line("clearing", 20000),
                                             books.line("opening_balance_equity", -20000)]),
        books.entry("je1", "journal_entry", [books.line("fee", 150), books.line("disputes", -150)]),
    ]


def test_a_day_of_documents_lands_as_its_xero_objects_and_the_books_hold_its_lines(org, books):
    entries = day_of_documents(books)
    outcomes, shapes, links = org.post(entries)
    assert {o.result for o in outcomes} == {"created"}, [o for o in outcomes if o.result != "created"]
    kinds = {key: how.kind for key, how in shapes.items()}
    assert kinds == {"sr1": "BankTransactions", "in1": "Invoices", "in2": "Invoices", "pay1": "Payments",
                     "cn1": "CreditNotes", "re1": "BankTransactions", "fees1": "BankTransactions",
                     "dp1": "BankTransactions", "po1": "BankTransfers", "rs1": "BankTransactions",
                     "ob1": "BankTransactions", "je1": "ManualJournals"}
    # the credit note is allocated to the invoice it credits (one call after it is posted)
    allocation = documents.allocation(entries[4], shapes["cn1"], links)
    credit_note_id = org.outbox.current("cn1").remote_id
    org.client.call(lambda acc: acc.create_credit_note_allocation(
        org.client.tenant_id, credit_note_id, Allocations(allocations=[allocation])), idempotent=False)

    assert org.balances() == books.expected(entries)  # every account, to the cent

    invoices = {i["Reference"]: i for i in org.state("invoices")}
    paid = invoices[next(r for r in invoices if r.endswith(_tail(org, "in1")))]
    credited = invoices[next(r for r in invoices if r.endswith(_tail(org, "in2")))]
    assert (paid["Status"], paid["InvoiceNumber"]) == ("PAID", "ACME-0001")
    assert (credited["Status"], credited["InvoiceNumber"]) == ("AUTHORISED", "ACME-0002")
    assert org.client.get("Invoices", credited["InvoiceID"]).amount_due == 30  # 50.00 less the credit note's 20.00
    receipt = next(t for t in org.state("bank_transactions") if t.get("Reference") == org.outbox.current("sr1").marker)
    sale = receipt["LineItems"][0]
    assert (sale["ItemCode"], sale["Tracking"][0]["Option"]) == ("PLAN-PRO", "Europe")
    # contacts: one per customer (Bo's three documents share one), and Stripe for the fees
    contacts = {c["Name"]: c for c in org.state("contacts")}
    assert set(contacts) == {"Ada Lovelace", "Bo Diddley", "Stripe"}
    assert contacts["Ada Lovelace"]["ContactNumber"] == org.outbox.current("contact/cus_ada").marker
    items = org.state("items")
    assert [(i["Code"], i["Name"], i["SalesDetails"]["AccountCode"]) for i in items] == [
        ("PLAN-PRO", "Pro plan", "200")]

    # a re-run finds everything posted: nothing sent, the books as they were
    before = org.sandbox.stats.snapshot()["calls"]
    again, _, _ = org.post(entries)
    assert {o.result for o in again} == {"skipped"} and org.sandbox.stats.snapshot()["calls"] == before
    assert org.balances() == books.expected(entries)


def test_contacts_are_matched_by_email_then_name_and_a_namesake_is_not_taken_for_them(org, books):
    org.client.put_many("Contacts", [Contact(name="ACME Limited", email_address="ap@acme.test"),
                                     Contact(name="Jo Bloggs", email_address="jo@one.test"),
                                     Contact(name="Stripe")], None)
    entries = [
        books.entry("s1", "sales_receipt", [books.line("clearing", 100), books.line("revenue", -100)],
                    **books.customer("cus_acme", "Acme Ltd", "AP@acme.test")),      # same email, other name
        books.entry("s2", "sales_receipt", [books.line("clearing", 200), books.line("revenue", -200)],
                    **books.customer("cus_jo2", "Jo Bloggs", "jo@two.test")),       # same name, someone else
        books.entry("s3", "sales_receipt", [books.line("clearing", 300), books.line("revenue", -300)],
                    **books.customer("cus_jo3", "Jo Bloggs", "jo@three.test")),     # and another one
        books.entry("f1", "expense", [books.line("clearing", -30), books.line("fee", 30)], counterparty_type="stripe"),
    ]
    outcomes, shapes, links = org.post(entries)
    assert {o.result for o in outcomes} == {"created"}
    names = sorted(c["Name"] for c in org.state("contacts"))
    assert names == ["ACME Limited", "Jo Bloggs", "Jo Bloggs (cus_jo2)", "Jo Bloggs (cus_jo3)", "Stripe"]
    assert org.linked == 2  # ACME by its email, Stripe by its name
    by_id = {c["ContactID"]: c["Name"] for c in org.state("contacts")}
    paid_by = {t["Reference"]: by_id[t["_contact_id"]] for t in org.state("bank_transactions")}
    assert sorted(paid_by.values()) == ["ACME Limited", "Jo Bloggs (cus_jo2)", "Jo Bloggs (cus_jo3)", "Stripe"]
    assert org.balances() == books.expected(entries)


def test_master_data_asks_only_for_the_contacts_the_xero_objects_take(books):
    customer = books.customer("cus_1", "Ada", "ada@example.test")
    receipt = books.entry("a", "sales_receipt", [books.line("clearing", 1), books.line("revenue", -1)], **customer)
    payment = books.entry("b", "payment", [books.line("clearing", 1), books.line("receivables", -1,
                                                                                 role_key="applied")], **customer)
    payout = books.entry("c", "transfer", [books.line("bank", 1), books.line("clearing", -1)])
    opening = books.entry("d", "journal_entry", [books.line("clearing", 1), books.line("opening_balance_equity", -1)])
    assert master_data.wanted_for(receipt, "USD").key == "contact/cus_1"
    assert master_data.wanted_for(payment, "USD") is None and master_data.wanted_for(payout, "USD") is None
    assert master_data.wanted_for(opening, "USD") == master_data.STRIPE  # receive money needs a contact
    line = books.entry("e", "sales_receipt", [books.line("clearing", 1),
                                              books.line("revenue", -1, item="X" * 40)]).lines[1]
    assert master_data.item_wanted(line).code == "X" * 30 and master_data.item_wanted(opening.lines[0]) is None


def test_missing_tracking_options_are_added_and_a_missing_category_is_reported(org, books):
    entry = books.entry("t1", "sales_receipt", [
        books.line("clearing", 300), books.line("revenue", -100, dimension="Region", option="Europe"),
        books.line("revenue", -100, dimension="Region", option="Antarctica"),
        books.line("revenue", -100, dimension="Colour", option="Blue")])
    wanted = master_data.tracking_wanted(entry.lines)
    assert wanted == {"Region": {"Europe", "Antarctica"}, "Colour": {"Blue"}}
    report = master_data.ensure_tracking(org.client, wanted)
    assert report.created == ["Region: Antarctica"]
    assert len(report.problems) == 1 and "'Colour' is not an active category" in report.problems[0]
    assert master_data.ensure_tracking(org.client, {"Region": {"Antarctica"}}).created == []


def _tail(org, key: str) -> str:
    return org.outbox.current(key).marker


def test_a_payout_transfer_gone_from_the_journal_is_deleted_from_xero(org, books):
    payout = books.entry("po9", "transfer", [books.line("bank", 7000), books.line("clearing", -7000)])
    sale = books.entry("sr9", "sales_receipt", [books.line("clearing", 7000), books.line("revenue", -7000)],
                       **books.customer("cus_9", "Nine", "nine@x.test"))
    outcomes, _, _ = org.post([sale, payout])
    assert {o.result for o in outcomes} == {"created"} and org.balances()["090"] == 70
    current = org.outbox.current("po9")
    gone = PostRecord("po9", current.remote_kind, current.content_hash, current.marker, None, voided=True)
    assert Poster(org.outbox, org.target).post([gone]).outcomes[0].result == "deleted"
    assert org.client.get("BankTransfers", current.remote_id).status == "DELETED"
    assert org.balances() == books.expected([sale])  # the money is back on Stripe Clearing


def _paid_at_another_rate(books, clearing: int, record_hash: str | None = None) -> list:
    """An invoice booked at 288.36 (EUR at the mapping's rate) and its payment: Stripe's conversion paid
    `clearing`; the difference is the exchange gain or loss."""
    bo = books.customer("cus_bo", "Bo Diddley", "bo@x.test")
    lines = [books.line("clearing", clearing), books.line("receivables", -28836, role_key="applied")]
    if clearing != 28836:
        lines.append(books.line("exchange_gain_loss", 28836 - clearing, account="499"))
    extra = {"record_hash": record_hash} if record_hash else {}
    return [books.entry("in7", "invoice", [books.line("receivables", 28836, role_key="invoice"),
                                           books.line("revenue", -28836, tax_code="NONE")], number="ACME-0007", **bo),
            books.entry("pay7", "payment", lines, applies_to="in7", **bo, **extra)]


def test_a_payment_with_credit_and_an_exchange_difference_posts_as_its_parts_and_the_books_hold_its_lines(org,
                                                                                                          books):
    bo = books.customer("cus_bo", "Bo Diddley", "bo@x.test")
    entries = _paid_at_another_rate(books, 28507) + [  # 3.29 lost on the conversion
        books.entry("in8", "invoice", [books.line("receivables", 5000, role_key="invoice"),
                                       books.line("revenue", -5000, tax_code="NONE")], number="ACME-0008", **bo),
        books.entry("pay8", "payment", [books.line("clearing", 5500),  # 5.00 more than the invoice owed
                                        books.line("receivables", -5000, role_key="applied"),
                                        books.line("receivables", -500, role_key="unapplied")],
                    applies_to="in8", **bo)]
    outcomes, shapes, _ = org.post(entries)
    assert {o.result for o in outcomes} == {"created"}, [o for o in outcomes if o.result != "created"]
    assert {k: v.kind for k, v in shapes.items() if k.startswith("pay")} == {
        "pay7": "Payments", "pay7#exchange_difference": "BankTransactions",
        "pay8": "Payments", "pay8#overpayment": "BankTransactions"}
    assert org.balances() == books.expected(entries)  # 091, 610, 499 and sales, each to the cent
    assert {i["InvoiceNumber"]: i["Status"] for i in org.state("invoices")} == {"ACME-0007": "PAID",
                                                                                "ACME-0008": "PAID"}
    [credit] = org.state("overpayments")
    assert (credit["Type"], credit["Total"], credit["Reference"]) == (
        "RECEIVE-OVERPAYMENT", Decimal("5.00"), org.outbox.current("pay8#overpayment").marker)
    loss = next(t for t in org.state("bank_transactions")
                if t["Reference"] == org.outbox.current("pay7#exchange_difference").marker)
    assert (loss["Type"], loss["Total"], loss["LineItems"][0]["AccountCode"]) == ("SPEND", Decimal("3.29"), "499")

    again, _, _ = org.post(entries)  # the same journal again: every part is in the books as built
    assert {o.result for o in again} == {"skipped"}

    # the journal is rebuilt: Stripe's conversion now matches the invoice, so the difference is gone from Xero
    rebuilt = _paid_at_another_rate(books, 28836, record_hash="hash-pay7-rebuilt")
    [payment] = payment_parts.split(rebuilt[1])
    gone = post._parts_gone(org.outbox, rebuilt[1], [payment])
    assert [g.record_key for g in gone] == ["pay7#exchange_difference"]
    removed = Poster(org.outbox, org.target).post([adapter.removal(g) for g in gone]).outcomes
    assert [o.result for o in removed] == ["deleted"]
    outcomes, _, _ = org.post(rebuilt)
    assert {o.record_key: o.result for o in outcomes} == {"in7": "skipped", "pay7": "created"}  # void + repost
    assert org.balances() == books.expected(rebuilt + entries[2:])
