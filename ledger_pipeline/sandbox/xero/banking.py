"""BankTransactions (RECEIVE, SPEND, and the *-OVERPAYMENT kinds that create Overpayments) and BankTransfers.

A transfer between two bank accounts also appears as a SPEND-TRANSFER and a RECEIVE-TRANSFER bank
transaction, as in Xero; those cannot be created directly.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from . import contacts
from .batch import elements, write_many
from .context import Ctx
from .documents import build_lines, read_currency, read_line_amount_types, render_lines, totals
from .queries import list_rows
from .serialize import RATE, date_string, money, utc
from .settlement import live_allocations, live_payments
from .store import Books
from .validation import Errors, Invalid, NotFound, is_guid, read_amount, read_date

TYPES = ("RECEIVE", "SPEND", "RECEIVE-OVERPAYMENT", "SPEND-OVERPAYMENT", "RECEIVE-PREPAYMENT", "SPEND-PREPAYMENT",
         "RECEIVE-TRANSFER", "SPEND-TRANSFER")
ENUMS = {"Type": set(TYPES), "Status": {"AUTHORISED", "DELETED", "VOIDED"},
         "LineAmountTypes": {"Exclusive", "Inclusive", "NoTax"}}
FIELDS = {"Type", "Contact", "LineItems", "BankAccount", "IsReconciled", "Date", "Reference", "CurrencyCode",
          "CurrencyRate", "Url", "Status", "LineAmountTypes", "SubTotal", "TotalTax", "Total", "BankTransactionID",
          "PrepaymentID", "OverpaymentID", "UpdatedDateUTC", "HasAttachments"}


def _bank_account(books: Books, ref, errors: Errors, label: str) -> dict | None:
    account = books.account(ref if isinstance(ref, dict) else None)
    if account is None:
        errors.append(f"{label} could not be found" if ref else f"{label} must be specified")
        return None
    if account["Type"] != "BANK":
        errors.append(f"{label} must be a bank account")
        return None
    if account["Status"] != "ACTIVE":
        errors.append(f"{label} has been archived")
        return None
    return account


def _stage(ctx: Ctx, raw: dict, existing: dict | None) -> dict:
    books = ctx.books
    errors = Errors()
    type_ = raw.get("Type") or (existing["Type"] if existing else None)
    if type_ not in TYPES:
        raise Invalid(f"Bank transaction Type must be one of {', '.join(TYPES[:4])}")
    if existing is None and type_.endswith("-TRANSFER"):
        raise Invalid("Transfer bank transactions are created with BankTransfers")
    if type_.endswith("-PREPAYMENT"):
        raise Invalid("Prepayments are not supported by this sandbox")
    if existing and type_ != existing["Type"]:
        raise Invalid("The Type of an existing bank transaction cannot be changed")
    doc = dict(existing) if existing else {"BankTransactionID": str(uuid.uuid4()), "Type": type_, "Status": "AUTHORISED",
                                           "IsReconciled": False, "HasAttachments": False}
    if existing is None or "BankAccount" in raw:
        account = _bank_account(books, raw.get("BankAccount"), errors, "BankAccount")
        if account:
            doc["_bank_account_id"] = account["AccountID"]
    account = books.get("accounts", doc.get("_bank_account_id"))
    if existing is None or "Contact" in raw:
        contact = contacts.resolve(books, raw.get("Contact"), errors, ctx.now_ms)
        if contact:
            doc["_contact_id"] = contact["ContactID"]
    if "Date" in raw or existing is None:
        doc["Date"] = read_date(raw, "Date", errors) or ctx.today
    bank_currency = (account or {}).get("CurrencyCode") or books.base_currency
    if raw.get("CurrencyCode") and str(raw["CurrencyCode"]).upper() != bank_currency:
        errors.append("The currency of a bank transaction must be the currency of its bank account")
    doc["CurrencyCode"], doc["CurrencyRate"] = read_currency(books, dict(raw, CurrencyCode=bank_currency), errors)
    lat = read_line_amount_types(raw, errors, doc.get("LineAmountTypes", "Exclusive"))
    if existing is None or "LineItems" in raw or lat != doc.get("LineAmountTypes"):
        raw_lines = raw["LineItems"] if "LineItems" in raw else doc.get("_raw_lines", [])
        overpayment = type_.endswith("-OVERPAYMENT")
        doc["LineAmountTypes"] = "NoTax" if overpayment else lat
        doc["_raw_lines"] = raw_lines
        doc["LineItems"] = build_lines(books, raw_lines, doc["LineAmountTypes"], type_, errors, unitdp4=ctx.unitdp4,
                                       require_account=True, account_optional=overpayment)
        doc.update(totals(doc["LineItems"], doc["LineAmountTypes"]))
        doc.pop("TotalDiscount", None)
    if not doc.get("LineItems"):
        errors.append("At least one line item must be specified")
    elif doc["Total"] <= 0 and type_.endswith("-OVERPAYMENT"):
        errors.append("An overpayment must be for a positive amount")
    elif doc["Total"] < 0:
        errors.append("The bank transaction total cannot be negative")
    for key in ("Reference", "Url"):
        if key in raw:
            doc[key] = raw[key]
    if "IsReconciled" in raw:
        doc["IsReconciled"] = bool(raw["IsReconciled"])
    errors.raise_if_any()
    doc["UpdatedDateUTC"] = ctx.now_ms
    return doc


def _overpayment_for(ctx: Ctx, txn: dict) -> None:
    """RECEIVE-OVERPAYMENT / SPEND-OVERPAYMENT bank transactions carry an Overpayment, as in Xero."""
    books = ctx.books
    op_id = txn.get("OverpaymentID") or str(uuid.uuid4())
    existing = books.get("overpayments", op_id) or {"_allocations": [], "_payments": []}
    overpayment = dict(existing, OverpaymentID=op_id, Type=txn["Type"], _contact_id=txn["_contact_id"], Date=txn["Date"],
                       Status="AUTHORISED", LineAmountTypes=txn["LineAmountTypes"], LineItems=txn["LineItems"],
                       SubTotal=txn["SubTotal"], TotalTax=txn["TotalTax"], Total=txn["Total"],
                       CurrencyCode=txn["CurrencyCode"], CurrencyRate=txn["CurrencyRate"],
                       Reference=txn.get("Reference"), UpdatedDateUTC=ctx.now_ms,
                       _bank_transaction_id=txn["BankTransactionID"])
    books.put("overpayments", op_id, overpayment)
    if txn.get("OverpaymentID") != op_id:
        books.put("bank_transactions", txn["BankTransactionID"], dict(txn, OverpaymentID=op_id))


def _save(ctx: Ctx, raw: dict, existing: dict | None) -> str:
    books = ctx.books
    if existing is not None:
        if existing["Status"] != "AUTHORISED":
            raise Invalid("This bank transaction cannot be edited as it has been deleted or voided")
        if existing["Type"].endswith("-TRANSFER"):
            raise Invalid("Transfer bank transactions are changed through BankTransfers")
        target = raw.get("Status") or "AUTHORISED"
        overpayment = books.get("overpayments", existing.get("OverpaymentID"))
        if target in ("DELETED", "VOIDED"):
            if existing.get("IsReconciled"):
                raise Invalid("This bank transaction has been reconciled and cannot be deleted")
            if overpayment and (live_allocations(books, overpayment) or live_payments(books, overpayment)):
                raise Invalid("This overpayment has been allocated or refunded and cannot be deleted")
            books.put("bank_transactions", existing["BankTransactionID"],
                      dict(existing, Status=target, UpdatedDateUTC=ctx.now_ms))
            if overpayment:
                books.put("overpayments", overpayment["OverpaymentID"],
                          dict(overpayment, Status="VOIDED", UpdatedDateUTC=ctx.now_ms))
            return existing["BankTransactionID"]
        if target != "AUTHORISED":
            raise Invalid(f"Bank transaction Status '{target}' is not valid")
        if existing.get("IsReconciled") and set(raw) - {"BankTransactionID", "Status", "IsReconciled"}:
            raise Invalid("This bank transaction has been reconciled and cannot be edited")
        if overpayment and (live_allocations(books, overpayment) or live_payments(books, overpayment)):
            raise Invalid("This overpayment has been allocated or refunded and cannot be edited")
    elif raw.get("Status") not in (None, "AUTHORISED"):
        raise Invalid("A new bank transaction must be AUTHORISED")
    doc = _stage(ctx, raw, existing)
    books.put("bank_transactions", doc["BankTransactionID"], doc)
    if doc["Type"].endswith("-OVERPAYMENT"):
        _overpayment_for(ctx, doc)
    return doc["BankTransactionID"]


def render(ctx: Ctx, doc: dict) -> dict:
    books = ctx.books
    account = books.get("accounts", doc["_bank_account_id"]) or {}
    return {
        "BankTransactionID": doc["BankTransactionID"], "Type": doc["Type"],
        "Contact": contacts.summary(books, doc["_contact_id"]) if doc.get("_contact_id") else None,
        "BankAccount": {"AccountID": account.get("AccountID"), "Code": account.get("Code"), "Name": account.get("Name")},
        "IsReconciled": doc.get("IsReconciled", False), "Date": doc["Date"], "DateString": date_string(doc["Date"]),
        "Reference": doc.get("Reference"), "CurrencyCode": doc["CurrencyCode"], "CurrencyRate": doc["CurrencyRate"],
        "Url": doc.get("Url"), "Status": doc["Status"], "LineAmountTypes": doc["LineAmountTypes"],
        "LineItems": render_lines(doc["LineItems"], ctx.unitdp4), "SubTotal": doc["SubTotal"],
        "TotalTax": doc["TotalTax"], "Total": doc["Total"], "OverpaymentID": doc.get("OverpaymentID"),
        "UpdatedDateUTC": utc(doc["UpdatedDateUTC"]), "HasAttachments": False,
    }


def _render(ctx: Ctx, txn_id: str) -> dict:
    return render(ctx, ctx.books.get("bank_transactions", txn_id))


def _find(books: Books, raw: dict) -> dict | None:
    if raw.get("BankTransactionID"):
        found = books.get("bank_transactions", raw["BankTransactionID"]) if is_guid(raw["BankTransactionID"]) else None
        if found is None:
            raise Invalid("Bank transaction could not be found")
        return found
    return None


def put_transactions(ctx: Ctx) -> dict:
    def save(ctx: Ctx, raw: dict) -> str:
        if raw.get("BankTransactionID") and ctx.books.get("bank_transactions", raw["BankTransactionID"]):
            raise Invalid("This bank transaction already exists. Use POST to update it.")
        return _save(ctx, raw, None)
    return {"BankTransactions": write_many(ctx, elements(ctx, "BankTransactions"), save, _render, enums=ENUMS)}


def post_transactions(ctx: Ctx) -> dict:
    def save(ctx: Ctx, raw: dict) -> str:
        return _save(ctx, raw, _find(ctx.books, raw))
    return {"BankTransactions": write_many(ctx, elements(ctx, "BankTransactions"), save, _render, enums=ENUMS)}


def _lookup(ctx: Ctx) -> dict:
    doc = ctx.books.get("bank_transactions", ctx.params["id"]) if is_guid(ctx.params["id"]) else None
    if doc is None:
        raise NotFound()
    return doc


def get_transaction(ctx: Ctx) -> dict:
    return {"BankTransactions": [render(ctx, _lookup(ctx))]}


def post_transaction(ctx: Ctx) -> dict:
    existing = _lookup(ctx)
    items = elements(ctx, "BankTransactions", single_ok=True)[:1]

    def save(ctx: Ctx, raw: dict) -> str:
        return _save(ctx, raw, ctx.books.get("bank_transactions", existing["BankTransactionID"]))
    return {"BankTransactions": write_many(ctx, items, save, _render, enums=ENUMS)}


def list_transactions(ctx: Ctx) -> dict:
    rows = [render(ctx, d) for d in ctx.books.all("bank_transactions")]
    refs = {r.strip().casefold() for r in (ctx.query.get("references") or "").split(",") if r.strip()}
    if refs:
        rows = [r for r in rows if str(r.get("Reference") or "").casefold() in refs]
    rows, pagination = list_rows(ctx, rows, type_name="BankTransaction", id_field="BankTransactionID", fields=FIELDS,
                                 pageable=True)
    out: dict = {"BankTransactions": rows}
    if pagination:
        out["pagination"] = pagination
    return out


# ---------------------------------------------------------------- bank transfers

TRANSFER_FIELDS = {"FromBankAccount", "ToBankAccount", "Amount", "Date", "BankTransferID", "CurrencyRate",
                   "FromBankTransactionID", "ToBankTransactionID", "FromIsReconciled", "ToIsReconciled", "Reference",
                   "HasAttachments", "CreatedDateUTC", "Status"}


def _transfer_leg(ctx: Ctx, transfer: dict, account: dict, type_: str, txn_id: str, amount, rate) -> None:
    leg = {"BankTransactionID": txn_id, "Type": type_, "Status": "AUTHORISED", "IsReconciled": False,
           "HasAttachments": False, "_bank_account_id": account["AccountID"], "Date": transfer["Date"],
           "Reference": transfer.get("Reference"), "CurrencyCode": account.get("CurrencyCode") or ctx.books.base_currency,
           "CurrencyRate": rate, "LineAmountTypes": "NoTax", "LineItems": [], "SubTotal": amount, "TotalTax": Decimal("0.00"),
           "Total": amount, "UpdatedDateUTC": ctx.now_ms, "_transfer_id": transfer["BankTransferID"]}
    ctx.books.put("bank_transactions", txn_id, leg)


def _create_transfer(ctx: Ctx, raw: dict) -> str:
    books = ctx.books
    errors = Errors()
    source = _bank_account(books, raw.get("FromBankAccount"), errors, "FromBankAccount")
    target = _bank_account(books, raw.get("ToBankAccount"), errors, "ToBankAccount")
    if source and target and source["AccountID"] == target["AccountID"]:
        errors.append("The From and To bank accounts must be different")
    amount = read_amount(raw, "Amount", errors)
    if amount is None or amount <= 0:
        errors.append("The transfer amount must be greater than zero")
    on = read_date(raw, "Date", errors) or ctx.today
    errors.raise_if_any()
    amount = money(amount)
    base = books.base_currency
    from_cur = source.get("CurrencyCode") or base
    to_cur = target.get("CurrencyCode") or base
    from_rate = _rate(books, from_cur)
    to_rate = _rate(books, to_cur)
    to_amount = amount if from_cur == to_cur else money(amount / from_rate * to_rate)
    transfer_id = str(uuid.uuid4())
    transfer = {
        "BankTransferID": transfer_id, "_from_id": source["AccountID"], "_to_id": target["AccountID"],
        "Amount": amount, "_to_amount": to_amount, "Date": on, "Reference": raw.get("Reference"),
        "CurrencyRate": (to_rate / from_rate).quantize(RATE), "_from_rate": from_rate, "_to_rate": to_rate,
        "FromBankTransactionID": str(uuid.uuid4()), "ToBankTransactionID": str(uuid.uuid4()),
        "FromIsReconciled": bool(raw.get("FromIsReconciled")), "ToIsReconciled": bool(raw.get("ToIsReconciled")),
        "HasAttachments": False, "CreatedDateUTC": ctx.now_ms, "Status": "AUTHORISED",
    }
    books.put("bank_transfers", transfer_id, transfer)
    _transfer_leg(ctx, transfer, source, "SPEND-TRANSFER", transfer["FromBankTransactionID"], amount, from_rate)
    _transfer_leg(ctx, transfer, target, "RECEIVE-TRANSFER", transfer["ToBankTransactionID"], to_amount, to_rate)
    return transfer_id


def _rate(books: Books, currency: str) -> Decimal:
    if currency == books.base_currency:
        return Decimal(1).quantize(RATE)
    return books.fx_rates.get(currency, Decimal(1)).quantize(RATE)


def render_transfer(books: Books, transfer: dict) -> dict:
    def ref(account_id: str) -> dict:
        acc = books.get("accounts", account_id) or {}
        return {"AccountID": acc.get("AccountID"), "Code": acc.get("Code"), "Name": acc.get("Name")}
    out = {k: v for k, v in transfer.items() if not k.startswith("_")}
    out.update(FromBankAccount=ref(transfer["_from_id"]), ToBankAccount=ref(transfer["_to_id"]),
               CreatedDateUTC=utc(transfer["CreatedDateUTC"]), DateString=date_string(transfer["Date"]))
    return out


def put_transfers(ctx: Ctx) -> dict:
    render = lambda ctx, tid: render_transfer(ctx.books, ctx.books.get("bank_transfers", tid))  # noqa: E731
    return {"BankTransfers": write_many(ctx, elements(ctx, "BankTransfers", single_ok=True), _create_transfer, render)}


def _transfer(ctx: Ctx) -> dict:
    transfer = ctx.books.get("bank_transfers", ctx.params["id"]) if is_guid(ctx.params["id"]) else None
    if transfer is None:
        raise NotFound()
    return transfer


def get_transfer(ctx: Ctx) -> dict:
    return {"BankTransfers": [render_transfer(ctx.books, _transfer(ctx))]}


def _delete_transfer(ctx: Ctx, transfer: dict) -> str:
    books = ctx.books
    if transfer["Status"] == "DELETED":
        raise Invalid("This bank transfer has already been deleted")
    if transfer.get("FromIsReconciled") or transfer.get("ToIsReconciled"):
        raise Invalid("This bank transfer has been reconciled and cannot be deleted")
    books.put("bank_transfers", transfer["BankTransferID"], dict(transfer, Status="DELETED"))
    for txn_id in (transfer["FromBankTransactionID"], transfer["ToBankTransactionID"]):
        txn = books.get("bank_transactions", txn_id)
        if txn:
            books.put("bank_transactions", txn_id, dict(txn, Status="DELETED", UpdatedDateUTC=ctx.now_ms))
    return transfer["BankTransferID"]


def delete_transfer(ctx: Ctx) -> dict:
    """POST /BankTransfers/{id} with `{"Status": "DELETED"}` (deleteBankTransfer): a transfer can only be deleted."""
    transfer = _transfer(ctx)
    body = ctx.body if isinstance(ctx.body, dict) else {}
    if isinstance(body.get("BankTransfers"), list) and body["BankTransfers"]:
        body = body["BankTransfers"][0]
    if body.get("Status") != "DELETED":
        raise Invalid("A bank transfer can only be deleted: send Status DELETED")
    with ctx.books.savepoint():
        _delete_transfer(ctx, transfer)
    return {"BankTransfers": [render_transfer(ctx.books, ctx.books.get("bank_transfers", transfer["BankTransferID"]))]}


def delete_transfers(ctx: Ctx) -> dict:
    def save(ctx: Ctx, raw: dict) -> str:
        transfer = ctx.books.get("bank_transfers", raw.get("BankTransferID")) if is_guid(raw.get("BankTransferID")) else None
        if transfer is None:
            raise Invalid("Bank transfer could not be found")
        return _delete_transfer(ctx, transfer)
    render = lambda ctx, tid: render_transfer(ctx.books, ctx.books.get("bank_transfers", tid))  # noqa: E731
    return {"BankTransfers": write_many(ctx, elements(ctx, "BankTransfers"), save, render)}


def list_transfers(ctx: Ctx) -> dict:
    rows = [render_transfer(ctx.books, t) for t in ctx.books.all("bank_transfers")
            if t["Status"] != "DELETED" or ctx.flag("includeDeleted")]
    rows, _ = list_rows(ctx, rows, type_name="BankTransfer", id_field="BankTransferID", fields=TRANSFER_FIELDS)
    return {"BankTransfers": rows}
