"""Payout-summary journal entries -> python-quickbooks JournalEntry objects, and the markers every record
carries (documents.py builds the per-transaction documents on the same pieces).

    journal.entries / journal.lines            QuickBooks JournalEntry
    entry_date                                 TxnDate
    marker (tenant tag + hash of entry_key)    DocNumber (21 characters: QuickBooks' limit)
    memo + entry_key                           PrivateNote (the way back from the books to the journal)
    books_currency (if not the home currency)  CurrencyRef; ExchangeRate left to QuickBooks (its daily rate)
    line books_debit / books_credit            Line.Amount (Decimal) + PostingType Debit / Credit
    line account_ref / account_name            JournalEntryLineDetail.AccountRef
    line description                           Line.Description
    line tracking (dimension class)            JournalEntryLineDetail.ClassRef (department/location: DepartmentRef)

Tax travels as its own line on the tax payable account, so journal lines carry no TaxCodeRef (a US
company refuses tax codes on journal lines). The marker names the tenant as well as the record, so two
tenants posting to one company never take each other's objects for their own.
"""

from __future__ import annotations

import hashlib

from quickbooks.objects.base import Ref
from quickbooks.objects.journalentry import JournalEntry, JournalEntryLine, JournalEntryLineDetail

from ledger_pipeline.defs.quickbooks.entries import Entry, Gone, Line
from ledger_pipeline.money import to_decimal
from ledger_pipeline.posting import PostRecord

# Part of every record's hash: bump it when the objects built here change, so the books are updated.
ADAPTER_VERSION = "quickbooks-adapter-2"
MARKER_DIGITS = 14
MARKER_LENGTH = 21  # LP + 4 + - + 14
NOTE_LIMIT = 4000
DESCRIPTION_LIMIT = 4000

# journal.entries.document_type -> the QuickBooks object it becomes
KINDS = {"journal_entry": "JournalEntry", "sales_receipt": "SalesReceipt", "invoice": "Invoice",
         "payment": "Payment", "refund_receipt": "RefundReceipt", "credit_note": "CreditMemo",
         "expense": "Purchase", "transfer": "Transfer"}
TRANSACTION_KINDS = sorted(set(KINDS.values()))


def adapter_key(home_currency: str) -> str:
    """What besides the journal decides the objects' content (goes into every record's hash)."""
    return f"{ADAPTER_VERSION}|{home_currency.upper()}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest().upper()


def tenant_tag(tenant: str) -> str:
    """`LP` + 4 hex digits of the tenant: the prefix of every marker this tenant writes."""
    return "LP" + _digest(tenant)[:4]


def marker(tenant: str, record_key: str) -> str:
    """`LPxxxx-` + 14 hex digits of the record key: 21 characters, what QuickBooks' DocNumber holds."""
    return f"{tenant_tag(tenant)}-{_digest(record_key)[:MARKER_DIGITS]}"


def ref(value: str, name: str | None = None) -> Ref:
    out = Ref()
    out.value = value
    if name:
        out.name = name
    return out


def private_note(entry: Entry) -> str:
    return f"{entry.memo} (ledger_pipeline {entry.entry_key})"[:NOTE_LIMIT]


def journal_entry(entry: Entry, doc_number: str, home_currency: str) -> JournalEntry:
    obj = JournalEntry()
    obj.TxnDate = entry.entry_date.isoformat()
    obj.DocNumber = doc_number
    obj.PrivateNote = private_note(entry)
    if entry.books_currency.upper() != home_currency.upper():
        obj.CurrencyRef = ref(entry.books_currency.upper())
        obj.ExchangeRate = None  # QuickBooks books it at its own rate for the day
    obj.Line = [_journal_line(line, entry.books_currency) for line in entry.lines]
    return obj


def _journal_line(line: Line, currency: str) -> JournalEntryLine:
    out = JournalEntryLine()
    out.Amount = to_decimal(abs(line.amount), currency)
    out.Description = line.description[:DESCRIPTION_LIMIT]
    detail = out.JournalEntryLineDetail = JournalEntryLineDetail()
    detail.PostingType = "Debit" if line.amount > 0 else "Credit"
    detail.AccountRef = ref(line.account_ref, line.account_name)
    if line.tracking_ref and (line.tracking_dimension or "").lower() == "class":
        detail.ClassRef = ref(line.tracking_ref, line.tracking_name)
    elif line.tracking_ref and (line.tracking_dimension or "").lower() in ("department", "location"):
        detail.DepartmentRef = ref(line.tracking_ref, line.tracking_name)
    return out


def removal(gone: Gone) -> PostRecord:
    """The record whose entry is gone: void it (or delete it, for the kinds QuickBooks cannot void)."""
    return PostRecord(gone.record_key, gone.remote_kind, gone.content_hash, gone.marker, None, voided=True)
