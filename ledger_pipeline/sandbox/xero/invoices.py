"""Invoices (ACCREC, ACCPAY) and CreditNotes (ACCRECCREDIT, ACCPAYCREDIT): one set of rules for both.

Statuses, as Xero allows them:
  create          DRAFT | SUBMITTED | AUTHORISED (default DRAFT)
  DRAFT/SUBMITTED -> DRAFT, SUBMITTED, AUTHORISED, DELETED
  AUTHORISED      -> VOIDED (only with nothing paid or allocated); editable while nothing is paid
  PAID            reached by payments/allocations only; nothing can be changed
  VOIDED/DELETED  final
ACCREC invoice numbers (and ACCRECCREDIT credit note numbers) are unique and generated when missing.
ACCPAY bills have no Reference in Xero (the supplier's number is the InvoiceNumber), so it is ignored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from . import contacts
from .batch import elements, write_many
from .context import Ctx
from .documents import build_lines, read_currency, read_line_amount_types, render_lines, totals
from .queries import list_rows
from .serialize import ZERO, date_string, utc
from .settlement import invoice_amounts, live_allocations, live_payments, remaining_credit
from .store import Books
from .validation import Errors, Invalid, NotFound, is_guid, read_date


@dataclass(frozen=True)
class Kind:
    collection: str
    wrapper: str
    id_field: str
    number_field: str
    types: tuple[str, ...]
    sales_type: str
    label: str
    prefix: str
    type_name: str


INVOICE = Kind("invoices", "Invoices", "InvoiceID", "InvoiceNumber", ("ACCREC", "ACCPAY"), "ACCREC",
               "Invoice", "INV-", "Invoice")
CREDIT_NOTE = Kind("credit_notes", "CreditNotes", "CreditNoteID", "CreditNoteNumber", ("ACCRECCREDIT", "ACCPAYCREDIT"),
                   "ACCRECCREDIT", "Credit Note", "CN-", "CreditNote")
STATUSES = ("DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED")
ENUMS = {"Status": set(STATUSES), "Type": {"ACCREC", "ACCPAY", "ACCRECCREDIT", "ACCPAYCREDIT"},
         "LineAmountTypes": {"Exclusive", "Inclusive", "NoTax"}}
FIELDS = {"Type", "Contact", "LineItems", "Date", "DueDate", "LineAmountTypes", "InvoiceNumber", "CreditNoteNumber",
          "Reference", "BrandingThemeID", "Url", "CurrencyCode", "CurrencyRate", "Status", "SentToContact",
          "ExpectedPaymentDate", "PlannedPaymentDate", "SubTotal", "TotalTax", "Total", "TotalDiscount",
          "InvoiceID", "CreditNoteID", "HasAttachments", "IsDiscounted", "Payments", "Overpayments", "AmountDue",
          "AmountPaid", "FullyPaidOnDate", "AmountCredited", "UpdatedDateUTC", "CreditNotes", "RemainingCredit",
          "Allocations", "HasErrors"}


def _settled(books: Books, doc: dict) -> bool:
    return bool(live_payments(books, doc) or live_allocations(books, doc))


def _number_taken(books: Books, kind: Kind, doc_type: str, number: str, own_id: str | None) -> bool:
    wanted = number.strip().casefold()
    return any(d["Type"] == doc_type and d["Status"] != "DELETED" and str(d.get(kind.number_field) or "").casefold()
               == wanted and d[kind.id_field] != own_id for d in books.all(kind.collection))


def _stage(ctx: Ctx, kind: Kind, raw: dict, existing: dict | None) -> dict:
    """Validate `raw` as a new document or as changes to `existing`; returns the document to store."""
    books = ctx.books
    errors = Errors()
    doc_type = raw.get("Type") or (existing["Type"] if existing else None)
    if doc_type not in kind.types:
        raise Invalid(f"{kind.label} Type must be one of {', '.join(kind.types)}")
    if existing and doc_type != existing["Type"]:
        raise Invalid(f"The Type of an existing {kind.label.lower()} cannot be changed")
    status = raw.get("Status") or (existing["Status"] if existing else "DRAFT")
    if status not in STATUSES:
        errors.append(f"{kind.label} Status '{status}' is not valid")
        status = "DRAFT"
    doc = dict(existing) if existing else {
        kind.id_field: str(uuid.uuid4()), "Type": doc_type, "SentToContact": False, "HasAttachments": False,
        "_payments": [], "_allocations": [],
    }
    doc["Status"] = status
    if existing is None or "Contact" in raw:
        contact = contacts.resolve(books, raw.get("Contact"), errors, ctx.now_ms)
        if contact:
            doc["_contact_id"] = contact["ContactID"]
    for key, label in (("Date", "Date"), ("DueDate", "Due Date"), ("ExpectedPaymentDate", "Expected Payment Date"),
                       ("PlannedPaymentDate", "Planned Payment Date")):
        if key in raw:
            doc[key] = read_date(raw, key, errors, label)
    if not doc.get("Date"):
        doc["Date"] = ctx.today
    if existing is None or "CurrencyCode" in raw or "CurrencyRate" in raw:
        doc["CurrencyCode"], doc["CurrencyRate"] = read_currency(books, raw, errors, doc.get("CurrencyCode"))
    lat = read_line_amount_types(raw, errors, doc.get("LineAmountTypes", "Exclusive"))
    if existing is None or "LineItems" in raw or lat != doc.get("LineAmountTypes"):
        raw_lines = raw["LineItems"] if "LineItems" in raw else doc.get("_raw_lines", [])
        doc["LineAmountTypes"] = lat
        doc["_raw_lines"] = raw_lines
        doc["LineItems"] = build_lines(books, raw_lines, lat, doc_type, errors, unitdp4=ctx.unitdp4,
                                       require_account=status == "AUTHORISED",
                                       allow_discounts=doc_type == "ACCREC")
        doc.update(totals(doc["LineItems"], lat))
    elif status == "AUTHORISED" and any(not line.get("AccountID") for line in doc["LineItems"]):
        errors.append("Account code must be specified")
    if status == "AUTHORISED" and not doc["LineItems"]:
        errors.append("At least one line item is required to approve a document")
    if status == "AUTHORISED" and doc["Total"] < 0:
        errors.append("The document total cannot be negative")

    number = raw.get(kind.number_field)
    if number is not None or existing is None:
        number = str(number or "").strip()
        if len(number) > 255:
            errors.append(f"{kind.label} number must be 255 characters or fewer")
        if doc_type == kind.sales_type:
            if not number:
                taken = {str(d.get(kind.number_field) or "").casefold() for d in books.all(kind.collection)
                         if d["Type"] == doc_type}
                number = books.next_number(doc_type, kind.prefix, taken)
            elif _number_taken(books, kind, doc_type, number, doc[kind.id_field]):
                errors.append("Invoice # must be unique." if kind is INVOICE else "Credit Note # must be unique.")
        doc[kind.number_field] = number or None
    if "Reference" in raw and doc_type != "ACCPAY":
        doc["Reference"] = None if raw["Reference"] is None else str(raw["Reference"])
        if doc["Reference"] and len(doc["Reference"]) > 255:
            errors.append("Reference must be 255 characters or fewer")
    for key in ("BrandingThemeID", "Url", "SentToContact"):
        if key in raw and raw[key] is not None:
            doc[key] = raw[key]
    errors.raise_if_any()
    doc["UpdatedDateUTC"] = ctx.now_ms
    return doc


def _transition(books: Books, kind: Kind, existing: dict, raw: dict) -> None:
    """Refuse the status changes and edits Xero refuses."""
    current = existing["Status"]
    target = raw.get("Status") or current
    edits = set(raw) - {kind.id_field, "Status", "Type", "HasErrors", "ValidationErrors", "StatusAttributeString",
                        "HasAttachments", "Warnings"}
    not_valid = f"{kind.label} not of valid status for modification"
    if current in ("VOIDED", "DELETED"):
        if target != current or edits:
            raise Invalid(not_valid)
        return
    settled = _settled(books, existing)
    if current == "PAID" or (current == "AUTHORISED" and settled):
        if edits or target not in (current, "AUTHORISED", "PAID"):
            if target == "VOIDED":
                raise Invalid("This document cannot be voided as it has a payment or credit note allocated to it. "
                              "Remove the payments and allocations first.")
            raise Invalid("This document cannot be edited as it has a payment or credit note allocated to it.")
        return
    if current == "AUTHORISED":
        if target in ("DRAFT", "SUBMITTED", "DELETED", "PAID"):
            raise Invalid(not_valid)
        if target == "VOIDED" and edits:
            raise Invalid(not_valid)
        return
    # DRAFT / SUBMITTED
    if target in ("VOIDED", "PAID"):
        raise Invalid(not_valid)


def save(ctx: Ctx, kind: Kind, raw: dict, existing: dict | None) -> str:
    books = ctx.books
    if existing is not None:
        _transition(books, kind, existing, raw)
        target = raw.get("Status") or existing["Status"]
        if target in ("VOIDED", "DELETED") and target != existing["Status"]:
            # Voiding or deleting keeps the document as it was, with the new status.
            doc = dict(existing, Status=target, UpdatedDateUTC=ctx.now_ms)
            books.put(kind.collection, doc[kind.id_field], doc)
            return doc[kind.id_field]
        if existing["Status"] in ("PAID", "VOIDED", "DELETED") or _settled(books, existing):
            return existing[kind.id_field]  # nothing to change (edits were refused above)
    doc = _stage(ctx, kind, raw, existing)
    books.put(kind.collection, doc[kind.id_field], doc)
    if doc.get("_contact_id") and doc["Status"] != "DELETED":
        contacts.mark_role(books, doc["_contact_id"], customer=doc["Type"] in ("ACCREC", "ACCRECCREDIT"))
    if doc["Status"] == "AUTHORISED" and doc["Total"] == 0 and kind is INVOICE:
        books.put(kind.collection, doc[kind.id_field], dict(doc, Status="PAID", FullyPaidOnDate=doc["Date"]))
    return doc[kind.id_field]


# ---------------------------------------------------------------- rendering

def _payment_stub(payment: dict) -> dict:
    return {"PaymentID": payment["PaymentID"], "Date": payment["Date"], "Amount": payment["Amount"],
            "Reference": payment.get("Reference"), "CurrencyRate": payment["CurrencyRate"],
            "HasAccount": False, "HasValidationErrors": False}


def render(ctx: Ctx, kind: Kind, doc: dict, *, lines: bool = True) -> dict:
    books = ctx.books
    out = {
        "Type": doc["Type"], kind.id_field: doc[kind.id_field], kind.number_field: doc.get(kind.number_field),
        "Reference": doc.get("Reference") if doc["Type"] != "ACCPAY" else None,
        "Contact": contacts.summary(books, doc["_contact_id"]) if doc.get("_contact_id") else None,
        "Date": doc["Date"], "DateString": date_string(doc["Date"]),
        "DueDate": doc.get("DueDate"), "DueDateString": date_string(doc.get("DueDate")),
        "ExpectedPaymentDate": doc.get("ExpectedPaymentDate"), "PlannedPaymentDate": doc.get("PlannedPaymentDate"),
        "Status": doc["Status"], "LineAmountTypes": doc["LineAmountTypes"],
        "SubTotal": doc["SubTotal"], "TotalTax": doc["TotalTax"], "Total": doc["Total"],
        "UpdatedDateUTC": utc(doc["UpdatedDateUTC"]), "CurrencyCode": doc["CurrencyCode"],
        "CurrencyRate": doc["CurrencyRate"], "FullyPaidOnDate": doc.get("FullyPaidOnDate"),
        "BrandingThemeID": doc.get("BrandingThemeID"), "Url": doc.get("Url"),
        "SentToContact": doc.get("SentToContact", False), "HasAttachments": False, "HasErrors": False,
        "Payments": [_payment_stub(p) for p in live_payments(books, doc)],
    }
    if lines:
        out["LineItems"] = render_lines(doc["LineItems"], ctx.unitdp4)
    allocations = live_allocations(books, doc)
    if kind is INVOICE:
        paid, credited, due = invoice_amounts(books, doc)
        out.update(AmountDue=due, AmountPaid=paid, AmountCredited=credited, TotalDiscount=doc.get("TotalDiscount", ZERO),
                   IsDiscounted=bool(doc.get("TotalDiscount")), Prepayments=[])
        out["CreditNotes"] = [_source_stub(books, a, "credit_notes") for a in allocations if a["_source"] == "credit_notes"]
        out["Overpayments"] = [_source_stub(books, a, "overpayments") for a in allocations
                               if a["_source"] == "overpayments"]
    else:
        out["RemainingCredit"] = remaining_credit(books, doc)
        out["Allocations"] = [render_allocation(books, a) for a in allocations]
    return out


def _source_stub(books: Books, allocation: dict, collection: str) -> dict:
    source = books.get(collection, allocation["_source_id"]) or {}
    if collection == "credit_notes":
        return {"CreditNoteID": source.get("CreditNoteID"), "CreditNoteNumber": source.get("CreditNoteNumber"),
                "AppliedAmount": allocation["Amount"], "Date": allocation["Date"], "Total": source.get("Total")}
    return {"OverpaymentID": source.get("OverpaymentID"), "AppliedAmount": allocation["Amount"],
            "Date": allocation["Date"], "Total": source.get("Total")}


def render_allocation(books: Books, allocation: dict) -> dict:
    invoice = books.get("invoices", allocation["_invoice_id"]) or {}
    out = {"AllocationID": allocation["AllocationID"], "Amount": allocation["Amount"], "Date": allocation["Date"],
           "IsDeleted": bool(allocation.get("IsDeleted")),
           "Invoice": {"InvoiceID": invoice.get("InvoiceID"), "InvoiceNumber": invoice.get("InvoiceNumber"),
                       "Type": invoice.get("Type"), "Payments": [], "CreditNotes": [], "Prepayments": [],
                       "Overpayments": [], "HasErrors": False, "IsDiscounted": False}}
    source = books.get(allocation["_source"], allocation["_source_id"]) or {}
    if allocation["_source"] == "credit_notes":
        out["CreditNote"] = {"CreditNoteID": source.get("CreditNoteID"), "CreditNoteNumber": source.get("CreditNoteNumber"),
                             "Type": source.get("Type")}
    else:
        out["Overpayment"] = {"OverpaymentID": source.get("OverpaymentID"), "Type": source.get("Type")}
    return out


# ---------------------------------------------------------------- handlers

def _find_for_post(books: Books, kind: Kind, raw: dict) -> dict | None:
    """POST updates the document named by its ID, or (for sales documents) by its number, as Xero does."""
    if raw.get(kind.id_field):
        found = books.get(kind.collection, raw[kind.id_field]) if is_guid(raw[kind.id_field]) else None
        if found is None:
            raise Invalid(f"{kind.label} could not be found")
        return found
    number = raw.get(kind.number_field)
    if number and raw.get("Type", kind.sales_type) == kind.sales_type:
        wanted = str(number).strip().casefold()
        return next((d for d in books.all(kind.collection) if d["Type"] == kind.sales_type and d["Status"] != "DELETED"
                     and str(d.get(kind.number_field) or "").casefold() == wanted), None)
    return None


def _renderer(kind: Kind):
    return lambda ctx, doc_id: render(ctx, kind, ctx.books.get(kind.collection, doc_id))


def put_documents(kind: Kind):
    def handler(ctx: Ctx) -> dict:
        def save_new(ctx: Ctx, raw: dict) -> str:
            if raw.get(kind.id_field) and ctx.books.get(kind.collection, raw[kind.id_field]):
                raise Invalid(f"This {kind.label.lower()} already exists. Use POST to update it.")
            return save(ctx, kind, raw, None)
        return {kind.wrapper: write_many(ctx, elements(ctx, kind.wrapper), save_new, _renderer(kind), enums=ENUMS)}
    return handler


def post_documents(kind: Kind):
    def handler(ctx: Ctx) -> dict:
        def save_any(ctx: Ctx, raw: dict) -> str:
            return save(ctx, kind, raw, _find_for_post(ctx.books, kind, raw))
        return {kind.wrapper: write_many(ctx, elements(ctx, kind.wrapper), save_any, _renderer(kind), enums=ENUMS)}
    return handler


def _lookup(ctx: Ctx, kind: Kind) -> dict:
    key = ctx.params["id"]
    if is_guid(key):
        doc = ctx.books.get(kind.collection, key)
    else:
        wanted = key.casefold()
        doc = next((d for d in ctx.books.all(kind.collection)
                    if str(d.get(kind.number_field) or "").casefold() == wanted), None)
    if doc is None:
        raise NotFound()
    return doc


def get_document(kind: Kind):
    def handler(ctx: Ctx) -> dict:
        return {kind.wrapper: [render(ctx, kind, _lookup(ctx, kind))]}
    return handler


def post_document(kind: Kind):
    def handler(ctx: Ctx) -> dict:
        existing = _lookup(ctx, kind)
        items = elements(ctx, kind.wrapper, single_ok=True)[:1]

        def save_one(ctx: Ctx, raw: dict) -> str:
            return save(ctx, kind, raw, ctx.books.get(kind.collection, existing[kind.id_field]))
        return {kind.wrapper: write_many(ctx, items, save_one, _renderer(kind), enums=ENUMS)}
    return handler


def _csv(ctx: Ctx, name: str) -> set[str]:
    return {v.strip().casefold() for v in (ctx.query.get(name.lower()) or "").split(",") if v.strip()}


def list_documents(kind: Kind):
    def handler(ctx: Ctx) -> dict:
        # Xero leaves LineItems out of unpaged invoice lists.
        with_lines = (kind is not INVOICE or bool(ctx.query.get("page"))) and not ctx.flag("summaryOnly")
        docs = ctx.books.all(kind.collection)
        numbers, contact_ids, statuses = _csv(ctx, kind.number_field + "s"), _csv(ctx, "ContactIDs"), _csv(ctx, "Statuses")
        if numbers:
            docs = [d for d in docs if str(d.get(kind.number_field) or "").casefold() in numbers]
        if contact_ids:
            docs = [d for d in docs if str(d.get("_contact_id") or "").casefold() in contact_ids]
        if statuses:
            docs = [d for d in docs if d["Status"].casefold() in statuses]
        rows = [render(ctx, kind, d, lines=with_lines) for d in docs]
        term = (ctx.query.get("searchterm") or "").strip().casefold()
        if term:
            rows = [r for r in rows if term in str(r.get(kind.number_field) or "").casefold()
                    or term in str(r.get("Reference") or "").casefold()]
        rows, pagination = list_rows(ctx, rows, type_name=kind.type_name, id_field=kind.id_field, fields=FIELDS,
                                     pageable=True)
        out: dict = {kind.wrapper: rows}
        if pagination:
            out["pagination"] = pagination
        return out
    return handler
