"""How much of a document is settled: payments and allocations against invoices, credit notes, overpayments.

Documents keep the ids of their payments (`_payments`) and allocations (`_allocations`); amounts are summed
from those, skipping deleted ones. An AUTHORISED invoice with nothing left to pay reads PAID, and goes
back to AUTHORISED when a payment or allocation is removed, as in Xero.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .serialize import ZERO
from .store import Books

SETTLEABLE = {"invoices", "credit_notes", "overpayments"}


def live_payments(books: Books, doc: dict) -> list[dict]:
    return [p for p in (books.get("payments", pid) for pid in doc.get("_payments", [])) if p and p["Status"] != "DELETED"]


def live_allocations(books: Books, doc: dict) -> list[dict]:
    return [a for a in (books.get("allocations", aid) for aid in doc.get("_allocations", []))
            if a and not a.get("IsDeleted")]


def invoice_amounts(books: Books, invoice: dict) -> tuple[Decimal, Decimal, Decimal]:
    """(AmountPaid, AmountCredited, AmountDue)."""
    paid = sum((p["Amount"] for p in live_payments(books, invoice)), ZERO)
    credited = sum((a["Amount"] for a in live_allocations(books, invoice)), ZERO)
    if invoice["Status"] in ("VOIDED", "DELETED"):
        return paid, credited, ZERO
    return paid, credited, invoice["Total"] - paid - credited


def remaining_credit(books: Books, doc: dict) -> Decimal:
    """Credit left on a credit note or overpayment: Total less allocations and refunds."""
    used = sum((a["Amount"] for a in live_allocations(books, doc)), ZERO)
    refunded = sum((p["Amount"] for p in live_payments(books, doc)), ZERO)
    if doc["Status"] in ("VOIDED", "DELETED", "DRAFT", "SUBMITTED"):
        return ZERO if doc["Status"] in ("VOIDED", "DELETED") else doc["Total"]
    return doc["Total"] - used - refunded


def _last_settled_on(books: Books, doc: dict) -> date | None:
    dates = [p["Date"] for p in live_payments(books, doc)] + [a["Date"] for a in live_allocations(books, doc)]
    return max(dates) if dates else None


def refresh(books: Books, collection: str, doc_id: str, now_ms: int) -> dict:
    """Recompute PAID/AUTHORISED and FullyPaidOnDate after a payment or allocation changed."""
    doc = books.get(collection, doc_id)
    if doc is None or doc["Status"] not in ("AUTHORISED", "PAID"):
        return doc
    if collection == "invoices":
        left = invoice_amounts(books, doc)[2]
    else:
        left = remaining_credit(books, dict(doc, Status="AUTHORISED"))
    status = "PAID" if left <= 0 else "AUTHORISED"
    new = dict(doc, Status=status, UpdatedDateUTC=now_ms)
    if status == "PAID":
        new["FullyPaidOnDate"] = _last_settled_on(books, doc) or doc.get("Date")
    else:
        new.pop("FullyPaidOnDate", None)
    return books.put(collection, doc_id, new)


def link(books: Books, collection: str, doc_id: str, key: str, child_id: str) -> None:
    """Record a payment (`_payments`) or allocation (`_allocations`) on its document."""
    doc = books.get(collection, doc_id)
    books.put(collection, doc_id, dict(doc, **{key: list(doc.get(key, [])) + [child_id]}))
