"""Payments, allocations (credit notes and overpayments to invoices) and the Overpayments resource.

A payment goes only to a bank account or to an account with EnablePaymentsToAccount, only against an
AUTHORISED document, and never for more than is outstanding; paying an invoice in full makes it PAID.
Deleting a payment (POST /Payments/{id} with Status DELETED) puts the invoice back to AUTHORISED.
"""

from __future__ import annotations

import uuid

from . import contacts
from .batch import elements, write_many
from .context import Ctx
from .invoices import render_allocation
from .documents import render_lines
from .queries import list_rows
from .serialize import RATE, date_string, money, to_decimal, utc
from .settlement import invoice_amounts, link, live_allocations, live_payments, refresh, remaining_credit
from .store import Books
from .validation import Errors, Invalid, NotFound, is_guid, read_amount, read_date

PAYMENT_TYPE = {"ACCREC": "ACCRECPAYMENT", "ACCPAY": "ACCPAYPAYMENT", "ACCRECCREDIT": "ARCREDITPAYMENT",
                "ACCPAYCREDIT": "APCREDITPAYMENT", "RECEIVE-OVERPAYMENT": "AROVERPAYMENTPAYMENT",
                "SPEND-OVERPAYMENT": "APOVERPAYMENTPAYMENT"}
PAYMENT_FIELDS = {"Invoice", "CreditNote", "Overpayment", "Account", "Date", "CurrencyRate", "Amount", "BankAmount",
                  "Reference", "IsReconciled", "Status", "PaymentType", "UpdatedDateUTC", "PaymentID", "HasAccount",
                  "HasValidationErrors"}
ENUMS = {"Status": {"AUTHORISED", "DELETED"}}


def _find_doc(books: Books, collection: str, id_field: str, number_field: str | None, ref: dict,
              number: str | None) -> dict | None:
    if ref.get(id_field):
        return books.get(collection, ref[id_field]) if is_guid(ref[id_field]) else None
    wanted = (ref.get(number_field) if number_field else None) or number
    if wanted:
        wanted = str(wanted).strip().casefold()
        return next((d for d in books.all(collection) if d["Status"] != "DELETED"
                     and str(d.get(number_field) or "").casefold() == wanted), None)
    return None


def _target(books: Books, raw: dict) -> tuple[str, dict]:
    """The document being paid: Invoice, CreditNote (a refund) or Overpayment (a refund)."""
    if isinstance(raw.get("Invoice"), dict) or raw.get("InvoiceNumber"):
        doc = _find_doc(books, "invoices", "InvoiceID", "InvoiceNumber", raw.get("Invoice") or {}, raw.get("InvoiceNumber"))
        if doc is None:
            raise Invalid("Invoice could not be found")
        return "invoices", doc
    if isinstance(raw.get("CreditNote"), dict) or raw.get("CreditNoteNumber"):
        doc = _find_doc(books, "credit_notes", "CreditNoteID", "CreditNoteNumber", raw.get("CreditNote") or {},
                        raw.get("CreditNoteNumber"))
        if doc is None:
            raise Invalid("Credit note could not be found")
        return "credit_notes", doc
    if isinstance(raw.get("Overpayment"), dict):
        doc = _find_doc(books, "overpayments", "OverpaymentID", None, raw["Overpayment"], None)
        if doc is None:
            raise Invalid("Overpayment could not be found")
        return "overpayments", doc
    if isinstance(raw.get("Prepayment"), dict):
        raise Invalid("Prepayments are not supported by this sandbox")
    raise Invalid("You must specify an Invoice, CreditNote, Prepayment or Overpayment to apply the payment to")


def _create_payment(ctx: Ctx, raw: dict) -> str:
    books = ctx.books
    if raw.get("PaymentID"):
        raise Invalid("A payment cannot be updated. Delete it and create a new one.")
    collection, doc = _target(books, raw)
    errors = Errors()
    ref = raw.get("Account") if isinstance(raw.get("Account"), dict) else {}
    if not ref and raw.get("Code"):
        ref = {"Code": raw["Code"]}
    account = books.account(ref)
    if account is None:
        errors.append("Account could not be found" if ref else "You must specify an Account for the payment")
    elif not (account["Type"] == "BANK" or account.get("EnablePaymentsToAccount")) or account["Status"] != "ACTIVE":
        errors.append("Account type is invalid for making a payment to/from")
    amount = read_amount(raw, "Amount", errors)
    if amount is not None:
        amount = money(amount)
    if amount is None or amount <= 0:
        errors.append("Payment amount must be greater than zero")
    on = read_date(raw, "Date", errors)
    if on is None and not raw.get("Date"):
        errors.append("Payment date must be specified")
    if collection == "invoices":
        if doc["Status"] == "PAID":
            errors.append("Payment amount exceeds the amount outstanding on this document")
        elif doc["Status"] != "AUTHORISED":
            errors.append("Payments can only be made against Authorised documents")
        elif amount is not None and amount > invoice_amounts(books, doc)[2]:
            errors.append("Payment amount exceeds the amount outstanding on this document")
    else:
        if doc["Status"] not in ("AUTHORISED",):
            errors.append("Payments can only be made against Authorised documents")
        elif amount is not None and amount > remaining_credit(books, doc):
            errors.append("Payment amount exceeds the amount outstanding on this document")
    currency = doc["CurrencyCode"]
    bank_currency = (account or {}).get("CurrencyCode") or books.base_currency
    if account is not None and bank_currency not in (currency, books.base_currency):
        errors.append(f"The payment account currency ({bank_currency}) must be the document currency ({currency}) "
                      "or the base currency")
    rate = read_amount(raw, "CurrencyRate", errors)
    if currency == books.base_currency:
        rate = to_decimal("1")
    elif rate is None or rate <= 0:
        rate = books.fx_rates.get(currency) or doc["CurrencyRate"]
    errors.raise_if_any()
    rate = rate.quantize(RATE)
    # BankAmount is in the bank account's currency.
    bank_amount = amount if bank_currency == currency else money(amount / rate)
    payment_id = str(uuid.uuid4())
    payment = {
        "PaymentID": payment_id, "Date": on, "Amount": amount, "BankAmount": bank_amount, "CurrencyRate": rate,
        "Reference": raw.get("Reference"), "IsReconciled": bool(raw.get("IsReconciled")), "Status": "AUTHORISED",
        "PaymentType": PAYMENT_TYPE[doc["Type"]], "UpdatedDateUTC": ctx.now_ms, "HasAccount": True,
        "HasValidationErrors": False, "_account_id": account["AccountID"], "_target": collection,
        "_target_id": _doc_id(collection, doc),
    }
    books.put("payments", payment_id, payment)
    link(books, collection, payment["_target_id"], "_payments", payment_id)
    refresh(books, collection, payment["_target_id"], ctx.now_ms)
    return payment_id


def _doc_id(collection: str, doc: dict) -> str:
    return doc[{"invoices": "InvoiceID", "credit_notes": "CreditNoteID", "overpayments": "OverpaymentID"}[collection]]


def render_payment(books: Books, payment: dict) -> dict:
    account = books.get("accounts", payment["_account_id"]) or {}
    doc = books.get(payment["_target"], payment["_target_id"]) or {}
    out = {k: v for k, v in payment.items() if not k.startswith("_")}
    out["UpdatedDateUTC"] = utc(payment["UpdatedDateUTC"])
    out["Account"] = {"AccountID": account.get("AccountID"), "Code": account.get("Code"), "Name": account.get("Name")}
    contact = contacts.summary(books, doc["_contact_id"]) if doc.get("_contact_id") else None
    if payment["_target"] == "invoices":
        out["Invoice"] = {"InvoiceID": doc.get("InvoiceID"), "InvoiceNumber": doc.get("InvoiceNumber"),
                          "Type": doc.get("Type"), "Contact": contact, "CurrencyCode": doc.get("CurrencyCode"),
                          "Payments": [], "CreditNotes": [], "Prepayments": [], "Overpayments": [],
                          "HasErrors": False, "IsDiscounted": False}
    elif payment["_target"] == "credit_notes":
        out["CreditNote"] = {"CreditNoteID": doc.get("CreditNoteID"), "CreditNoteNumber": doc.get("CreditNoteNumber"),
                             "Type": doc.get("Type"), "Contact": contact, "CurrencyCode": doc.get("CurrencyCode")}
    else:
        out["Overpayment"] = {"OverpaymentID": doc.get("OverpaymentID"), "Type": doc.get("Type"), "Contact": contact,
                              "CurrencyCode": doc.get("CurrencyCode")}
    return out


def _render(ctx: Ctx, payment_id: str) -> dict:
    return render_payment(ctx.books, ctx.books.get("payments", payment_id))


def put_payments(ctx: Ctx) -> dict:
    return {"Payments": write_many(ctx, elements(ctx, "Payments"), _create_payment, _render,
                                   error_flag="HasValidationErrors", enums=ENUMS)}


def post_payment(ctx: Ctx) -> dict:
    """`create_payment`: one Payment, bare or wrapped; errors are never summarised away."""
    items = elements(ctx, "Payments", single_ok=True)
    return {"Payments": write_many(ctx, items, _create_payment, _render, error_flag="HasValidationErrors",
                                   enums=ENUMS, summarize=True)}


def _payment(ctx: Ctx) -> dict:
    payment = ctx.books.get("payments", ctx.params["id"]) if is_guid(ctx.params["id"]) else None
    if payment is None:
        raise NotFound()
    return payment


def get_payment(ctx: Ctx) -> dict:
    return {"Payments": [render_payment(ctx.books, _payment(ctx))]}


def delete_payment(ctx: Ctx) -> dict:
    """POST /Payments/{id} with `{"Status": "DELETED"}`: the only change Xero allows to a payment."""
    payment = _payment(ctx)
    body = ctx.body if isinstance(ctx.body, dict) else {}
    if isinstance(body.get("Payments"), list) and body["Payments"]:
        body = body["Payments"][0]
    if body.get("Status") != "DELETED":
        raise Invalid("A payment can only be deleted: send Status DELETED")
    if payment["Status"] == "DELETED":
        raise Invalid("This payment has already been deleted")
    if payment.get("IsReconciled"):
        raise Invalid("This payment has been reconciled and cannot be deleted")
    with ctx.books.savepoint():
        ctx.books.put("payments", payment["PaymentID"], dict(payment, Status="DELETED", UpdatedDateUTC=ctx.now_ms))
        refresh(ctx.books, payment["_target"], payment["_target_id"], ctx.now_ms)
    return {"Payments": [render_payment(ctx.books, ctx.books.get("payments", payment["PaymentID"]))]}


def list_payments(ctx: Ctx) -> dict:
    rows = [render_payment(ctx.books, p) for p in ctx.books.all("payments")]
    rows, pagination = list_rows(ctx, rows, type_name="Payment", id_field="PaymentID", fields=PAYMENT_FIELDS,
                                 pageable=True)
    out: dict = {"Payments": rows}
    if pagination:
        out["pagination"] = pagination
    return out


# ---------------------------------------------------------------- allocations

_SOURCE_TYPES = {"credit_notes": {"ACCRECCREDIT": "ACCREC", "ACCPAYCREDIT": "ACCPAY"},
                 "overpayments": {"RECEIVE-OVERPAYMENT": "ACCREC", "SPEND-OVERPAYMENT": "ACCPAY"}}
_SOURCE_ID = {"credit_notes": "CreditNoteID", "overpayments": "OverpaymentID"}


def _source(ctx: Ctx, collection: str) -> dict:
    doc = ctx.books.get(collection, ctx.params["id"]) if is_guid(ctx.params["id"]) else None
    if doc is None:
        raise NotFound()
    return doc


def _allocate(ctx: Ctx, collection: str, source_id: str, raw: dict) -> str:
    books = ctx.books
    source = books.get(collection, source_id)
    errors = Errors()
    ref = raw.get("Invoice") if isinstance(raw.get("Invoice"), dict) else {}
    invoice = _find_doc(books, "invoices", "InvoiceID", "InvoiceNumber", ref, None)
    if invoice is None:
        raise Invalid("Invoice could not be found" if ref else "You must specify an Invoice for the allocation")
    amount = read_amount(raw, "Amount", errors)
    amount = money(amount) if amount is not None else None
    on = read_date(raw, "Date", errors) or max(source["Date"], invoice["Date"])
    if amount is None or amount <= 0:
        errors.append("Allocation amount must be greater than zero")
    if source["Status"] != "AUTHORISED":
        errors.append("Only authorised documents with remaining credit can be allocated")
    if invoice["Status"] != "AUTHORISED":
        errors.append("Credit can only be allocated to an authorised invoice with an amount due")
    if _SOURCE_TYPES[collection].get(source["Type"]) != invoice["Type"]:
        errors.append(f"A {source['Type']} can only be allocated to an {_SOURCE_TYPES[collection].get(source['Type'])} "
                      "invoice")
    if source["CurrencyCode"] != invoice["CurrencyCode"]:
        errors.append("The invoice and the credit must be in the same currency")
    if amount is not None and amount > 0:
        if amount > remaining_credit(books, source):
            errors.append("The amount allocated exceeds the remaining credit")
        if invoice["Status"] == "AUTHORISED" and amount > invoice_amounts(books, invoice)[2]:
            errors.append("The amount allocated exceeds the amount due on the invoice")
    errors.raise_if_any()
    allocation_id = str(uuid.uuid4())
    books.put("allocations", allocation_id, {
        "AllocationID": allocation_id, "Amount": amount, "Date": on, "IsDeleted": False,
        "_invoice_id": invoice["InvoiceID"], "_source": collection, "_source_id": source[_SOURCE_ID[collection]],
        "UpdatedDateUTC": ctx.now_ms,
    })
    link(books, "invoices", invoice["InvoiceID"], "_allocations", allocation_id)
    link(books, collection, source_id, "_allocations", allocation_id)
    refresh(books, "invoices", invoice["InvoiceID"], ctx.now_ms)
    refresh(books, collection, source_id, ctx.now_ms)
    return allocation_id


def put_allocations(collection: str):
    def handler(ctx: Ctx) -> dict:
        source = _source(ctx, collection)
        source_id = source[_SOURCE_ID[collection]]
        render = lambda ctx, aid: render_allocation(ctx.books, ctx.books.get("allocations", aid))  # noqa: E731
        return {"Allocations": write_many(ctx, elements(ctx, "Allocations", single_ok=True),
                                          lambda ctx, raw: _allocate(ctx, collection, source_id, raw), render)}
    return handler


def delete_allocation(collection: str):
    def handler(ctx: Ctx) -> dict:
        source = _source(ctx, collection)
        allocation = ctx.books.get("allocations", ctx.params["allocation"]) if is_guid(ctx.params["allocation"]) else None
        if allocation is None or allocation["_source_id"] != source[_SOURCE_ID[collection]]:
            raise NotFound()
        if not allocation.get("IsDeleted"):
            with ctx.books.savepoint():
                ctx.books.put("allocations", allocation["AllocationID"], dict(allocation, IsDeleted=True,
                                                                              UpdatedDateUTC=ctx.now_ms))
                refresh(ctx.books, "invoices", allocation["_invoice_id"], ctx.now_ms)
                refresh(ctx.books, collection, allocation["_source_id"], ctx.now_ms)
        # Xero answers a single Allocation here, not a list.
        return render_allocation(ctx.books, ctx.books.get("allocations", allocation["AllocationID"]))
    return handler


# ---------------------------------------------------------------- overpayments (created by bank transactions)

OVERPAYMENT_FIELDS = {"Type", "Contact", "Date", "Status", "LineAmountTypes", "LineItems", "SubTotal", "TotalTax",
                      "Total", "UpdatedDateUTC", "CurrencyCode", "OverpaymentID", "CurrencyRate", "RemainingCredit",
                      "Allocations", "Payments", "Reference", "HasAttachments"}


def render_overpayment(ctx: Ctx, doc: dict) -> dict:
    books = ctx.books
    return {
        "Type": doc["Type"], "OverpaymentID": doc["OverpaymentID"],
        "Contact": contacts.summary(books, doc["_contact_id"]), "Date": doc["Date"],
        "DateString": date_string(doc["Date"]), "Status": doc["Status"], "LineAmountTypes": doc["LineAmountTypes"],
        "LineItems": render_lines(doc["LineItems"], ctx.unitdp4), "SubTotal": doc["SubTotal"],
        "TotalTax": doc["TotalTax"], "Total": doc["Total"], "UpdatedDateUTC": utc(doc["UpdatedDateUTC"]),
        "CurrencyCode": doc["CurrencyCode"], "CurrencyRate": doc["CurrencyRate"],
        "RemainingCredit": remaining_credit(books, doc), "Reference": doc.get("Reference"),
        "Allocations": [render_allocation(books, a) for a in live_allocations(books, doc)],
        "Payments": [{"PaymentID": p["PaymentID"], "Date": p["Date"], "Amount": p["Amount"],
                      "Reference": p.get("Reference"), "CurrencyRate": p["CurrencyRate"], "HasAccount": False,
                      "HasValidationErrors": False} for p in live_payments(books, doc)],
        "HasAttachments": False,
    }


def get_overpayment(ctx: Ctx) -> dict:
    return {"Overpayments": [render_overpayment(ctx, _source(ctx, "overpayments"))]}


def list_overpayments(ctx: Ctx) -> dict:
    rows = [render_overpayment(ctx, d) for d in ctx.books.all("overpayments")]
    refs = {r.strip().casefold() for r in (ctx.query.get("references") or "").split(",") if r.strip()}
    if refs:
        rows = [r for r in rows if str(r.get("Reference") or "").casefold() in refs]
    rows, pagination = list_rows(ctx, rows, type_name="Overpayment", id_field="OverpaymentID",
                                 fields=OVERPAYMENT_FIELDS, pageable=True)
    out: dict = {"Overpayments": rows}
    if pagination:
        out["pagination"] = pagination
    return out

