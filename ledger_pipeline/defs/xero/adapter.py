"""Payout-summary journal entries -> xero-python ManualJournal objects, and the markers every record carries
(documents.py builds the per-transaction documents on the same pieces).

    journal.entries / journal.lines            Xero ManualJournal (POSTED, NoTax)
    entry_date                                 Date
    memo + entry_key + marker                  Narration, the marker at its end (ManualJournals have no
                                               Reference: found again with Narration.Contains)
    line books_debit - books_credit            JournalLines[].LineAmount (Decimal): debit positive, credit
                                               negative, books currency = the organisation's base currency
    line account_ref                           JournalLines[].AccountCode
    line description                           JournalLines[].Description
    line tracking (a Xero tracking category)   JournalLines[].Tracking (category name + option)

Xero keeps manual journals in the base currency only, so an entry whose books currency is another one is
not built (preflight stops such a tenant first). Tax travels as its own line on the tax account, so every
line is NoTax. Markers are QuickBooks' (tenant tag + record digest, 21 characters): one scheme, and two
tenants posting to one organisation never take each other's objects for their own.
"""

from __future__ import annotations

import re

from xero_python.accounting import LineAmountTypes, ManualJournal, ManualJournalLine, TrackingCategory

from ledger_pipeline.defs.quickbooks.adapter import MARKER_LENGTH, marker, removal, tenant_tag
from ledger_pipeline.defs.quickbooks.entries import Entry, Line
from ledger_pipeline.money import to_decimal
from ledger_pipeline.targets.xero.kinds import KINDS as XERO_KINDS

__all__ = ["ADAPTER_VERSION", "KINDS", "MARKER_LENGTH", "TRANSACTION_KINDS", "NotInBaseCurrency", "adapter_key",
           "manual_journal", "marker", "narration", "removal", "tenant_tag"]

# Part of every record's hash: bump it when the objects built here change, so the books are updated.
ADAPTER_VERSION = "xero-adapter-1"
NARRATION_LIMIT = 1000   # the memo is cut, never the marker at the end
DESCRIPTION_LIMIT = 4000
MANUAL_JOURNALS = "ManualJournals"
MASTER_DATA = frozenset({"Contacts", "Items"})   # linked once, never removed by the loader
# Every kind of object the loader writes for a journal entry: what a record whose entry is gone can be
TRANSACTION_KINDS = sorted(kind for kind in XERO_KINDS if kind not in MASTER_DATA)
KINDS = {"journal_entry": MANUAL_JOURNALS}   # documents.py says what the other document types become
NOT_TRACKING = frozenset({"class", "department", "location"})   # QuickBooks' dimensions
_UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


class NotInBaseCurrency(ValueError):
    """The entry's books are not kept in the organisation's base currency: a manual journal cannot hold it."""


def adapter_key(base_currency: str) -> str:
    """What besides the journal decides the objects' content (goes into every record's hash)."""
    return f"{ADAPTER_VERSION}|{base_currency.upper()}"


def narration(entry: Entry, mark: str) -> str:
    """`<memo> (ledger_pipeline <entry key>) <marker>`: the way back to the journal, the marker last."""
    text = f"{entry.memo} (ledger_pipeline {entry.entry_key})"
    return f"{text[:NARRATION_LIMIT - len(mark) - 1]} {mark}"


def manual_journal(entry: Entry, mark: str, base_currency: str) -> ManualJournal:
    if entry.books_currency.upper() != base_currency.upper():
        raise NotInBaseCurrency(
            f"{entry.entry_key}: its books are in {entry.books_currency.upper()}, the organisation's base currency "
            f"is {base_currency.upper()}, and Xero keeps manual journals in the base currency only")
    return ManualJournal(narration=narration(entry, mark), date=entry.entry_date, status="POSTED",
                         line_amount_types=LineAmountTypes.NOTAX,
                         journal_lines=[journal_line(line, entry.books_currency) for line in entry.lines])


def journal_line(line: Line, currency: str) -> ManualJournalLine:
    out = ManualJournalLine(line_amount=to_decimal(line.amount, currency), account_code=line.account_ref,
                            description=line.description[:DESCRIPTION_LIMIT])
    category = tracking(line)
    if category is not None:
        out.tracking = [category]
    return out


def tracking(line: Line) -> TrackingCategory | None:
    """The line's tracking option in its Xero tracking category (named by option name or TrackingOptionID)."""
    dimension = (line.tracking_dimension or "").strip()
    if not line.tracking_ref or not dimension or dimension.lower() in NOT_TRACKING:
        return None
    if _UUID.match(line.tracking_ref):
        return TrackingCategory(name=dimension, tracking_option_id=line.tracking_ref)
    return TrackingCategory(name=dimension, option=line.tracking_ref)
