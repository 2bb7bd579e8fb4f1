"""The general ledger, derived from the documents every time (so voids and deletes simply drop out).

Each posting is (date, AccountID, amount in base currency, debit positive). Foreign amounts become base
amounts as amount / CurrencyRate rounded to the cent; the control account (AR, AP or the bank) takes
whatever keeps the document balanced, and a payment's rate difference goes to Realised Currency Gains.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterator

from .serialize import ZERO, money
from .store import Books


@dataclass(frozen=True)
class Posting:
    date: date
    account_id: str
    amount: Decimal          # base currency, debit positive
    source: str              # collection the document lives in
    source_id: str


def to_base(amount: Decimal, rate: Decimal) -> Decimal:
    return money(amount / rate) if rate and rate != 1 else amount


def _balanced(on: date, source: str, source_id: str, legs: list[tuple[str | None, Decimal]],
              control_id: str) -> list[Posting]:
    """Postings for `legs`, with the control account taking the balancing amount."""
    posts = [Posting(on, account_id, amount, source, source_id) for account_id, amount in legs if account_id and amount]
    rest = -sum((p.amount for p in posts), ZERO)
    if rest:
        posts.append(Posting(on, control_id, rest, source, source_id))
    return posts


def _document(books: Books, doc: dict, source: str, source_id: str, sign: int, control_id: str) -> list[Posting]:
    """Line documents: each line's net to its account, tax to the tax account; `sign` +1 debits the lines."""
    rate = doc.get("CurrencyRate") or Decimal(1)
    tax_id = books.system_account("GST")["AccountID"]
    legs: list[tuple[str | None, Decimal]] = []
    for line in doc["LineItems"]:
        legs.append((line.get("AccountID"), sign * to_base(line["_net"], rate)))
        legs.append((tax_id, sign * to_base(line["TaxAmount"], rate)))
    return _balanced(doc["Date"], source, source_id, legs, control_id)


def _settlement(books: Books, on: date, source: str, source_id: str, bank_id: str, bank_amount: Decimal,
                control_id: str, control_amount: Decimal) -> list[Posting]:
    """A payment or refund: bank and control at their own rates, the difference as realised FX."""
    fx_id = books.system_account("REALISEDCURRENCYGAIN")["AccountID"]
    posts = [Posting(on, bank_id, bank_amount, source, source_id),
             Posting(on, control_id, control_amount, source, source_id)]
    diff = -(bank_amount + control_amount)
    if diff:
        posts.append(Posting(on, fx_id, diff, source, source_id))
    return posts


def postings(books: Books) -> Iterator[Posting]:
    ar = books.system_account("DEBTORS")["AccountID"]
    ap = books.system_account("CREDITORS")["AccountID"]
    live = ("AUTHORISED", "PAID")
    control = {"ACCREC": (ar, -1), "ACCPAY": (ap, 1), "ACCRECCREDIT": (ar, 1), "ACCPAYCREDIT": (ap, -1)}

    for inv in books.all("invoices"):
        if inv["Status"] in live:
            control_id, sign = control[inv["Type"]]
            yield from _document(books, inv, "invoices", inv["InvoiceID"], sign, control_id)
    for note in books.all("credit_notes"):
        if note["Status"] in live:
            control_id, sign = control[note["Type"]]
            yield from _document(books, note, "credit_notes", note["CreditNoteID"], sign, control_id)

    for pay in books.all("payments"):
        if pay["Status"] != "AUTHORISED":
            continue
        doc = books.get(pay["_target"], pay["_target_id"])
        if doc is None:
            continue
        # Money in: customer pays an invoice, supplier refunds a credit note or an overpayment.
        money_in = doc["Type"] in ("ACCREC", "ACCPAYCREDIT", "SPEND-OVERPAYMENT")
        control_id = ar if doc["Type"] in ("ACCREC", "ACCRECCREDIT", "RECEIVE-OVERPAYMENT") else ap
        bank = to_base(pay["Amount"], pay["CurrencyRate"])
        held = to_base(pay["Amount"], doc.get("CurrencyRate") or Decimal(1))
        sign = 1 if money_in else -1
        yield from _settlement(books, pay["Date"], "payments", pay["PaymentID"], pay["_account_id"], sign * bank,
                               control_id, -sign * held)

    for alloc in books.all("allocations"):
        if alloc.get("IsDeleted"):
            continue
        invoice = books.get("invoices", alloc["_invoice_id"])
        source = books.get(alloc["_source"], alloc["_source_id"])
        if invoice is None or source is None:
            continue
        inv_rate, src_rate = invoice.get("CurrencyRate") or Decimal(1), source.get("CurrencyRate") or Decimal(1)
        if inv_rate == src_rate:
            continue  # both sides sit in the same control account at the same rate: no ledger effect
        control_id = ar if invoice["Type"] == "ACCREC" else ap
        sign = -1 if invoice["Type"] == "ACCREC" else 1
        fx_id = books.system_account("REALISEDCURRENCYGAIN")["AccountID"]
        inv_side = sign * to_base(alloc["Amount"], inv_rate)
        src_side = -sign * to_base(alloc["Amount"], src_rate)
        for account_id, amount in ((control_id, inv_side + src_side), (fx_id, -(inv_side + src_side))):
            if amount:
                yield Posting(alloc["Date"], account_id, amount, "allocations", alloc["AllocationID"])

    for txn in books.all("bank_transactions"):
        if txn["Status"] != "AUTHORISED" or txn["Type"].endswith("-TRANSFER"):
            continue
        receive = txn["Type"].startswith("RECEIVE")
        if txn["Type"].endswith("-OVERPAYMENT"):
            amount = to_base(txn["Total"], txn["CurrencyRate"])
            other = ar if receive else ap
            sign = 1 if receive else -1
            yield Posting(txn["Date"], txn["_bank_account_id"], sign * amount, "bank_transactions", txn["BankTransactionID"])
            yield Posting(txn["Date"], other, -sign * amount, "bank_transactions", txn["BankTransactionID"])
            continue
        yield from _document(books, txn, "bank_transactions", txn["BankTransactionID"], -1 if receive else 1,
                             txn["_bank_account_id"])

    for transfer in books.all("bank_transfers"):
        if transfer["Status"] != "AUTHORISED":
            continue
        out_amount = to_base(transfer["Amount"], transfer["_from_rate"])
        in_amount = to_base(transfer["_to_amount"], transfer["_to_rate"])
        yield from _settlement(books, transfer["Date"], "bank_transfers", transfer["BankTransferID"],
                               transfer["_to_id"], in_amount, transfer["_from_id"], -out_amount)

    for journal in books.all("manual_journals"):
        if journal["Status"] != "POSTED":
            continue
        tax_id = books.system_account("GST")["AccountID"]
        for line in journal["JournalLines"]:
            for account_id, amount in ((line["AccountID"], line["_net"]), (tax_id, line["TaxAmount"])):
                if account_id and amount:
                    yield Posting(journal["Date"], account_id, amount, "manual_journals", journal["ManualJournalID"])


def balances(books: Books, to_date: date | None = None, from_date: date | None = None) -> dict[str, Decimal]:
    """Net debit balance per AccountID for postings dated in [from_date, to_date]."""
    out: dict[str, Decimal] = {}
    for post in postings(books):
        if (to_date and post.date > to_date) or (from_date and post.date < from_date):
            continue
        out[post.account_id] = out.get(post.account_id, ZERO) + post.amount
    return out


def balances_by_code(books: Books, to_date: date | None = None) -> dict[str, Decimal]:
    """Debit-positive balances keyed by account Code (what tests and mappings talk about)."""
    out = {}
    for account_id, amount in balances(books, to_date).items():
        account = books.get("accounts", account_id)
        out[(account or {}).get("Code") or account_id] = amount
    return out
