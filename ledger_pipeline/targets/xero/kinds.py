"""The Xero document kinds the loaders post, and how each is created, found by marker and voided.

Markers: Reference on invoices, credit notes, bank transactions, bank transfers and payments;
ContactNumber on contacts; ManualJournals have no Reference, so the marker goes at the end of the Narration
(found with Contains). Items are found by their Code (master data matches them; the loader never voids one).
Voiding: drafts are DELETED, posted/authorised documents VOIDED; bank transactions, bank transfers and
payments can only be DELETED; contacts are ARCHIVED.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    collection: str              # URL segment and JSON key: ManualJournals
    attr: str                    # list attribute of the xero-python wrapper model: manual_journals
    id_attr: str                 # the object's id attribute: manual_journal_id
    id_field: str                # ... and its JSON name: ManualJournalID
    create: str                  # AccountingApi method, PUT on the collection
    upsert: str | None           # AccountingApi method, POST on the collection (create or update)
    get_one: str                 # AccountingApi method reading one object
    get_many: str                # AccountingApi method listing with `where`
    marker_field: str            # where the marker is written
    marker_attr: str
    marker_exact: bool           # == (True) or .Contains (False)
    void_status: dict[str, str] = field(default_factory=dict)  # current status -> new status; "*" otherwise
    status_field: str = "Status"
    dead: frozenset[str] = frozenset({"VOIDED", "DELETED", "ARCHIVED"})
    summarizes: bool = True      # the create method takes summarizeErrors (create_bank_transfer does not)

    def void_to(self, current_status: str | None) -> str:
        return self.void_status.get(current_status or "", self.void_status["*"])


KINDS: dict[str, Kind] = {k.collection: k for k in [
    Kind("ManualJournals", "manual_journals", "manual_journal_id", "ManualJournalID", "create_manual_journals",
         "update_or_create_manual_journals", "get_manual_journal", "get_manual_journals", "Narration",
         "narration", False, {"DRAFT": "DELETED", "*": "VOIDED"}),
    Kind("Invoices", "invoices", "invoice_id", "InvoiceID", "create_invoices", "update_or_create_invoices",
         "get_invoice", "get_invoices", "Reference", "reference", True,
         {"DRAFT": "DELETED", "SUBMITTED": "DELETED", "*": "VOIDED"}),
    Kind("CreditNotes", "credit_notes", "credit_note_id", "CreditNoteID", "create_credit_notes",
         "update_or_create_credit_notes", "get_credit_note", "get_credit_notes", "Reference", "reference", True,
         {"DRAFT": "DELETED", "SUBMITTED": "DELETED", "*": "VOIDED"}),
    Kind("BankTransactions", "bank_transactions", "bank_transaction_id", "BankTransactionID",
         "create_bank_transactions", "update_or_create_bank_transactions", "get_bank_transaction",
         "get_bank_transactions", "Reference", "reference", True, {"*": "DELETED"}),
    Kind("Payments", "payments", "payment_id", "PaymentID", "create_payments", None, "get_payment", "get_payments",
         "Reference", "reference", True, {"*": "DELETED"}),
    Kind("BankTransfers", "bank_transfers", "bank_transfer_id", "BankTransferID", "create_bank_transfer", None,
         "get_bank_transfer", "get_bank_transfers", "Reference", "reference", True, {"*": "DELETED"},
         summarizes=False),
    Kind("Items", "items", "item_id", "ItemID", "create_items", "update_or_create_items", "get_item", "get_items",
         "Code", "code", True, {"*": "DELETED"}),
    Kind("Contacts", "contacts", "contact_id", "ContactID", "create_contacts", "update_or_create_contacts",
         "get_contact", "get_contacts", "ContactNumber", "contact_number", True, {"*": "ARCHIVED"},
         status_field="ContactStatus"),
]}


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown Xero kind {name!r}; one of {', '.join(sorted(KINDS))}") from None


def status_of(obj: object, kind: Kind) -> str | None:
    value = getattr(obj, "contact_status" if kind.status_field == "ContactStatus" else "status", None)
    return None if value is None else str(getattr(value, "value", value))
