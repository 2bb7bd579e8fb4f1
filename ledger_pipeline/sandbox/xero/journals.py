"""ManualJournals: Narration required, lines must balance, positive LineAmount is a debit.

Xero's manual journals default to DRAFT (only POSTED ones reach the ledger) and to NoTax.
Statuses: create DRAFT | POSTED; DRAFT -> POSTED, DELETED; POSTED -> VOIDED; VOIDED/DELETED final.
"""

from __future__ import annotations

import uuid
from decimal import InvalidOperation

from .batch import elements, write_many
from .context import Ctx
from .documents import line_tax, read_line_amount_types, resolve_tracking
from .queries import list_rows
from .serialize import ZERO, money, to_decimal, utc
from .validation import Errors, Invalid, NotFound, is_guid, read_date

STATUSES = ("DRAFT", "POSTED", "DELETED", "VOIDED", "ARCHIVED")
ENUMS = {"Status": set(STATUSES), "LineAmountTypes": {"Exclusive", "Inclusive", "NoTax"}}
FIELDS = {"Narration", "JournalLines", "Date", "LineAmountTypes", "Status", "Url", "ShowOnCashBasisReports",
          "HasAttachments", "UpdatedDateUTC", "ManualJournalID"}


def _lines(ctx: Ctx, raw_lines, lat: str, errors: Errors) -> list[dict]:
    books = ctx.books
    if not isinstance(raw_lines, list):
        errors.append("JournalLines must be a list")
        return []
    lines = []
    for raw in raw_lines:
        if not isinstance(raw, dict):
            errors.append("Each journal line must be an object")
            continue
        try:
            amount = to_decimal(raw.get("LineAmount"))
        except (InvalidOperation, ValueError):
            errors.append("LineAmount must be a valid number")
            amount = None
        if amount is None:
            errors.append("Each journal line must have a LineAmount")
            amount = ZERO
        amount = money(amount)
        account = None
        if raw.get("AccountID"):
            account = books.get("accounts", raw["AccountID"]) if is_guid(raw["AccountID"]) else None
            if account is None:
                errors.append(f"Account ID '{raw['AccountID']}' is not valid")
        elif raw.get("AccountCode") not in (None, ""):
            account = books.account_by_code(str(raw["AccountCode"]))
            if account is None:
                errors.append(f"Account code '{raw['AccountCode']}' is not a valid code for this document.")
        else:
            errors.append("Each journal line must have an AccountCode")
        if account is not None and account["Status"] != "ACTIVE":
            errors.append(f"Account code '{account.get('Code')}' has been archived, or has been deleted. Each line "
                          "must reference a valid account.")
        # Xero keeps bank accounts to bank transactions and receivables/payables to invoices and bills
        if account is not None and account.get("Type") == "BANK":
            errors.append(f"Account code '{account.get('Code')}' is a bank account. You can't post a manual journal "
                          "to a bank account: use a bank transaction or a bank transfer.")
        elif account is not None and account.get("SystemAccount") in ("DEBTORS", "CREDITORS"):
            errors.append(f"Account code '{account.get('Code')}' ({account.get('Name')}) is a system account that "
                          "manual journals can't use: post invoices, bills, credit notes or payments instead.")
        tax_type = raw.get("TaxType") or ((account or {}).get("TaxType") if lat != "NoTax" else None) or "NONE"
        rate = books.tax_rate(tax_type)
        if rate is None:
            errors.append(f"The TaxType code '{tax_type}' does not exist or cannot be used with this type of "
                          "transaction.")
        percent = rate["EffectiveRate"] if rate else ZERO
        try:
            given_tax = to_decimal(raw.get("TaxAmount"))
        except (InvalidOperation, ValueError):
            errors.append("TaxAmount must be a valid number")
            given_tax = None
        if lat == "NoTax":
            tax = ZERO
        elif given_tax is not None:
            tax = money(given_tax)
        else:
            tax = line_tax(abs(amount), percent, lat) * (1 if amount >= 0 else -1)
        net = amount - tax if lat == "Inclusive" else amount
        gross = net + tax
        lines.append({
            "LineAmount": amount, "AccountCode": (account or {}).get("Code"),
            "AccountID": (account or {}).get("AccountID"), "Description": raw.get("Description"),
            "TaxType": tax_type, "TaxAmount": tax, "Tracking": resolve_tracking(books, raw.get("Tracking"), errors),
            "IsBlank": False, "_net": net, "_gross": gross,
        })
    return lines


def _stage(ctx: Ctx, raw: dict, existing: dict | None) -> dict:
    errors = Errors()
    doc = dict(existing) if existing else {"ManualJournalID": str(uuid.uuid4()), "Status": "DRAFT",
                                           "ShowOnCashBasisReports": True, "HasAttachments": False}
    if "Narration" in raw or existing is None:
        narration = str(raw.get("Narration") or "").strip()
        if not narration:
            errors.append("Narration must be specified")
        doc["Narration"] = narration
    status = raw.get("Status") or doc["Status"]
    if status not in STATUSES:
        errors.append(f"Manual journal Status '{status}' is not valid")
    doc["Status"] = status
    if "Date" in raw or existing is None:
        doc["Date"] = read_date(raw, "Date", errors) or ctx.today
    lat = read_line_amount_types(raw, errors, doc.get("LineAmountTypes", "NoTax"))
    if existing is None or "JournalLines" in raw or lat != doc.get("LineAmountTypes"):
        doc["LineAmountTypes"] = lat
        doc["_raw_lines"] = raw.get("JournalLines", doc.get("_raw_lines", []))
        doc["JournalLines"] = _lines(ctx, doc["_raw_lines"] or [], lat, errors)
    for key in ("Url", "ShowOnCashBasisReports"):
        if key in raw and raw[key] is not None:
            doc[key] = raw[key]
    lines = doc["JournalLines"]
    if len(lines) < 2:
        errors.append("A manual journal must have at least two journal lines")
    debits = sum((line["_gross"] for line in lines if line["_gross"] > 0), ZERO)
    credits = -sum((line["_gross"] for line in lines if line["_gross"] < 0), ZERO)
    if debits != credits:
        errors.append(f"The total debits ({money(debits)}) must equal total credits ({money(credits)})")
    errors.raise_if_any()
    doc["UpdatedDateUTC"] = ctx.now_ms
    return doc


def _save(ctx: Ctx, raw: dict, existing: dict | None) -> str:
    if existing is None:
        if raw.get("Status") not in (None, "DRAFT", "POSTED"):
            raise Invalid("A new manual journal must be DRAFT or POSTED")
    else:
        current, target = existing["Status"], raw.get("Status") or existing["Status"]
        allowed = {"DRAFT": {"DRAFT", "POSTED", "DELETED"}, "POSTED": {"POSTED", "VOIDED"}}.get(current, {current})
        edits = set(raw) - {"ManualJournalID", "Status"}
        if target not in allowed or (current in ("VOIDED", "DELETED", "ARCHIVED") and edits):
            raise Invalid("Manual journal not of valid status for modification")
        if target in ("VOIDED", "DELETED") and target != current:
            ctx.books.put("manual_journals", existing["ManualJournalID"],
                          dict(existing, Status=target, UpdatedDateUTC=ctx.now_ms))
            return existing["ManualJournalID"]
    doc = _stage(ctx, raw, existing)
    ctx.books.put("manual_journals", doc["ManualJournalID"], doc)
    return doc["ManualJournalID"]


def render(doc: dict) -> dict:
    out = {k: v for k, v in doc.items() if not k.startswith("_")}
    out["UpdatedDateUTC"] = utc(doc["UpdatedDateUTC"])
    out["JournalLines"] = [{k: v for k, v in line.items() if not k.startswith("_")} for line in doc["JournalLines"]]
    return out


def _render(ctx: Ctx, journal_id: str) -> dict:
    return render(ctx.books.get("manual_journals", journal_id))


def _find(ctx: Ctx, raw: dict) -> dict | None:
    if raw.get("ManualJournalID"):
        found = ctx.books.get("manual_journals", raw["ManualJournalID"]) if is_guid(raw["ManualJournalID"]) else None
        if found is None:
            raise Invalid("Manual journal could not be found")
        return found
    return None


def put_journals(ctx: Ctx) -> dict:
    def save(ctx: Ctx, raw: dict) -> str:
        if raw.get("ManualJournalID") and ctx.books.get("manual_journals", raw["ManualJournalID"]):
            raise Invalid("This manual journal already exists. Use POST to update it.")
        return _save(ctx, raw, None)
    return {"ManualJournals": write_many(ctx, elements(ctx, "ManualJournals"), save, _render, enums=ENUMS)}


def post_journals(ctx: Ctx) -> dict:
    return {"ManualJournals": write_many(ctx, elements(ctx, "ManualJournals"),
                                         lambda ctx, raw: _save(ctx, raw, _find(ctx, raw)), _render, enums=ENUMS)}


def _lookup(ctx: Ctx) -> dict:
    doc = ctx.books.get("manual_journals", ctx.params["id"]) if is_guid(ctx.params["id"]) else None
    if doc is None:
        raise NotFound()
    return doc


def get_journal(ctx: Ctx) -> dict:
    return {"ManualJournals": [render(_lookup(ctx))]}


def post_journal(ctx: Ctx) -> dict:
    existing = _lookup(ctx)
    items = elements(ctx, "ManualJournals", single_ok=True)[:1]

    def save(ctx: Ctx, raw: dict) -> str:
        return _save(ctx, raw, ctx.books.get("manual_journals", existing["ManualJournalID"]))
    return {"ManualJournals": write_many(ctx, items, save, _render, enums=ENUMS)}


def list_journals(ctx: Ctx) -> dict:
    rows = [render(d) for d in ctx.books.all("manual_journals")]
    rows, pagination = list_rows(ctx, rows, type_name="ManualJournal", id_field="ManualJournalID", fields=FIELDS,
                                 pageable=True)
    out: dict = {"ManualJournals": rows}
    if pagination:
        out["pagination"] = pagination
    return out
