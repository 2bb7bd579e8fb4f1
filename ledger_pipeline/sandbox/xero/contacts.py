"""Contacts: PUT creates, POST creates or updates (matched by ContactID, then ContactNumber, then Name).

Names are unique among active contacts, as in Xero. Documents that name a contact Xero does not know
(by Name only) create it, as Xero does.
"""

from __future__ import annotations

import re
import uuid

from .batch import elements, write_many
from .context import Ctx
from .queries import list_rows
from .serialize import utc
from .store import Books
from .validation import Errors, Invalid, NotFound, is_guid

WRITABLE = (
    "ContactNumber", "AccountNumber", "Name", "FirstName", "LastName", "CompanyNumber", "EmailAddress",
    "ContactPersons", "BankAccountDetails", "TaxNumber", "TaxNumberType", "AccountsReceivableTaxType",
    "AccountsPayableTaxType", "Addresses", "Phones", "SalesDefaultLineAmountType",
    "PurchasesDefaultLineAmountType", "DefaultCurrency", "SalesDefaultAccountCode", "PurchasesDefaultAccountCode",
    "PaymentTerms", "XeroNetworkKey", "Website", "IsSupplier", "IsCustomer",
)
FIELDS = set(WRITABLE) | {"ContactID", "ContactStatus", "UpdatedDateUTC", "ContactGroups", "HasAttachments",
                          "HasValidationErrors", "Balances", "MergedToContactID"}
ENUMS = {"ContactStatus": {"ACTIVE", "ARCHIVED", "GDPRREQUEST"}}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def render(books: Books, contact: dict) -> dict:
    out = {k: v for k, v in contact.items() if not k.startswith("_")}
    out["UpdatedDateUTC"] = utc(contact["UpdatedDateUTC"])
    out.setdefault("DefaultCurrency", books.base_currency)
    return out


def summary(books: Books, contact_id: str) -> dict:
    """The contact as embedded in documents."""
    contact = books.get("contacts", contact_id) or {}
    out = {"ContactID": contact.get("ContactID", contact_id), "Name": contact.get("Name"),
           "ContactStatus": contact.get("ContactStatus"), "HasValidationErrors": False}
    for key in ("ContactNumber", "EmailAddress"):
        if contact.get(key):
            out[key] = contact[key]
    return out


def _check(books: Books, fields: dict, errors: Errors, existing: dict | None) -> None:
    name = fields.get("Name", existing.get("Name") if existing else None)
    if not name or not str(name).strip():
        errors.append("The contact name must be specified.")
    elif len(str(name)) > 255:
        errors.append("The contact name must be 255 characters or fewer.")
    else:
        clash = books.contact_by("Name", str(name))
        if clash and (existing is None or clash["ContactID"] != existing["ContactID"]) \
                and fields.get("ContactStatus", "ACTIVE") != "ARCHIVED":
            errors.append(f"The contact name {name} is already assigned to another contact. The contact name must "
                          "be unique across all active contacts.")
    email = fields.get("EmailAddress")
    if email and not _EMAIL.match(str(email)):
        errors.append("Email address must be valid.")
    if fields.get("ContactNumber") and len(str(fields["ContactNumber"])) > 50:
        errors.append("The ContactNumber must be 50 characters or fewer.")
    currency = fields.get("DefaultCurrency")
    if currency and not books.currency_enabled(str(currency)):
        errors.append(f"The currency '{currency}' is not enabled for this organisation.")
    status = fields.get("ContactStatus")
    if status and status not in ("ACTIVE", "ARCHIVED"):
        errors.append(f"ContactStatus '{status}' is not valid")


def create(books: Books, raw: dict, now_ms: int) -> dict:
    errors = Errors()
    fields = {k: raw[k] for k in WRITABLE if raw.get(k) is not None}
    if raw.get("ContactStatus"):
        fields["ContactStatus"] = raw["ContactStatus"]
    _check(books, fields, errors, None)
    errors.raise_if_any()
    contact_id = str(uuid.uuid4())
    contact = {"ContactID": contact_id, "ContactStatus": "ACTIVE", "Addresses": [], "Phones": [],
               "ContactGroups": [], "ContactPersons": [], "IsSupplier": False, "IsCustomer": False,
               "HasAttachments": False, "HasValidationErrors": False}
    contact.update(fields)
    contact["Name"] = str(contact["Name"]).strip()
    contact["UpdatedDateUTC"] = now_ms
    return books.put("contacts", contact_id, contact)


def update(books: Books, existing: dict, raw: dict, now_ms: int) -> dict:
    errors = Errors()
    fields = {k: raw[k] for k in WRITABLE if k in raw and raw[k] is not None}
    if raw.get("ContactStatus"):
        fields["ContactStatus"] = raw["ContactStatus"]
    _check(books, fields, errors, existing)
    errors.raise_if_any()
    contact = dict(existing)
    contact.update(fields)
    contact["UpdatedDateUTC"] = now_ms
    return books.put("contacts", contact["ContactID"], contact)


def find(books: Books, raw: dict) -> dict | None:
    """POST matching: ContactID, then ContactNumber, then Name."""
    if raw.get("ContactID"):
        return books.get("contacts", raw["ContactID"])
    if raw.get("ContactNumber"):
        found = books.contact_by("ContactNumber", str(raw["ContactNumber"]))
        if found:
            return found
    if raw.get("Name"):
        return books.contact_by("Name", str(raw["Name"]))
    return None


def resolve(books: Books, raw, errors: Errors, now_ms: int, *, required: bool = True) -> dict | None:
    """The contact a document names; a new Name creates the contact, as Xero does."""
    if not isinstance(raw, dict) or not any(raw.get(k) for k in ("ContactID", "ContactNumber", "Name")):
        if required:
            errors.append("A Contact must be specified for this type of transaction")
        return None
    if raw.get("ContactID"):
        contact = books.get("contacts", raw["ContactID"]) if is_guid(raw["ContactID"]) else None
        if contact is None:
            errors.append(f"The contact with ContactID '{raw['ContactID']}' could not be found")
            return None
    else:
        contact = find(books, raw)
        if contact is None:
            if not raw.get("Name"):
                errors.append(f"The contact with ContactNumber '{raw.get('ContactNumber')}' could not be found")
                return None
            try:
                contact = create(books, {k: v for k, v in raw.items() if k in WRITABLE}, now_ms)
            except Invalid as refusal:
                errors.extend(refusal.messages)
                return None
    if contact["ContactStatus"] == "ARCHIVED":
        errors.append(f"The contact '{contact['Name']}' is archived and cannot be used on new transactions")
    return contact


def mark_role(books: Books, contact_id: str, *, customer: bool) -> None:
    contact = books.get("contacts", contact_id)
    flag = "IsCustomer" if customer else "IsSupplier"
    if contact and not contact.get(flag):
        books.put("contacts", contact_id, dict(contact, **{flag: True}))


# ---------------------------------------------------------------- handlers

def _save_put(ctx: Ctx, raw: dict) -> str:
    if raw.get("ContactID") and ctx.books.get("contacts", raw["ContactID"]):
        raise Invalid("A contact with this ContactID already exists. Use POST to update it.")
    return create(ctx.books, raw, ctx.now_ms)["ContactID"]


def _save_post(ctx: Ctx, raw: dict) -> str:
    existing = find(ctx.books, raw)
    if existing is None and raw.get("ContactID"):
        raise Invalid(f"The contact with ContactID '{raw['ContactID']}' could not be found")
    if existing is None:
        return create(ctx.books, raw, ctx.now_ms)["ContactID"]
    return update(ctx.books, existing, raw, ctx.now_ms)["ContactID"]


def _render(ctx: Ctx, contact_id: str) -> dict:
    return render(ctx.books, ctx.books.get("contacts", contact_id))


def put_contacts(ctx: Ctx) -> dict:
    return {"Contacts": write_many(ctx, elements(ctx, "Contacts"), _save_put, _render,
                                   error_flag="HasValidationErrors", enums=ENUMS)}


def post_contacts(ctx: Ctx) -> dict:
    return {"Contacts": write_many(ctx, elements(ctx, "Contacts"), _save_post, _render,
                                   error_flag="HasValidationErrors", enums=ENUMS)}


def _lookup(ctx: Ctx) -> dict:
    key = ctx.params["id"]
    contact = ctx.books.get("contacts", key) if is_guid(key) else ctx.books.contact_by("ContactNumber", key)
    if contact is None:
        raise NotFound()
    return contact


def get_contact(ctx: Ctx) -> dict:
    return {"Contacts": [render(ctx.books, _lookup(ctx))]}


def post_contact(ctx: Ctx) -> dict:
    existing = _lookup(ctx)

    def save(ctx: Ctx, raw: dict) -> str:
        return update(ctx.books, ctx.books.get("contacts", existing["ContactID"]), raw, ctx.now_ms)["ContactID"]

    items = elements(ctx, "Contacts", single_ok=True)[:1]
    return {"Contacts": write_many(ctx, items, save, _render, error_flag="HasValidationErrors", enums=ENUMS)}


def list_contacts(ctx: Ctx) -> dict:
    rows = [render(ctx.books, c) for c in ctx.books.all("contacts")]
    if not ctx.flag("includeArchived"):
        ids = ctx.query.get("ids")
        rows = [r for r in rows if r["ContactStatus"] != "ARCHIVED" or ids]
    term = (ctx.query.get("searchterm") or "").strip().casefold()
    if term:
        rows = [r for r in rows if any(term in str(r.get(k) or "").casefold()
                                       for k in ("Name", "FirstName", "LastName", "ContactNumber", "CompanyNumber",
                                                 "EmailAddress"))]
    rows, pagination = list_rows(ctx, rows, type_name="Contact", id_field="ContactID", fields=FIELDS, pageable=True)
    out: dict = {"Contacts": rows}
    if pagination:
        out["pagination"] = pagination
    return out
