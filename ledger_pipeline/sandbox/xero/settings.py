"""Organisation settings: Accounts, TaxRates, TrackingCategories (+ options), Currencies, Items, Organisation."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from .batch import elements, write_many
from .context import Ctx
from .organisation import ACCOUNT_CLASS, CURRENCY_NAMES, make_account
from .queries import list_rows
from .serialize import ZERO, to_decimal, utc
from .store import Books
from .validation import Errors, Invalid, NotFound, is_guid

# ---------------------------------------------------------------- organisation

def get_organisation(ctx: Ctx) -> dict:
    org = {k: v for k, v in ctx.books.organisation.items() if not k.startswith("_")}
    org["CreatedDateUTC"] = utc(org["CreatedDateUTC"])
    return {"Organisations": [org]}


# ---------------------------------------------------------------- accounts

ACCOUNT_FIELDS = {"Code", "Name", "AccountID", "Type", "BankAccountNumber", "Status", "Description",
                  "BankAccountType", "CurrencyCode", "TaxType", "EnablePaymentsToAccount", "ShowInExpenseClaims",
                  "Class", "SystemAccount", "ReportingCode", "ReportingCodeName", "HasAttachments", "UpdatedDateUTC",
                  "AddToWatchlist"}


def render_account(account: dict) -> dict:
    out = {k: v for k, v in account.items() if not k.startswith("_")}
    out["UpdatedDateUTC"] = utc(account["UpdatedDateUTC"])
    return out


def _account(ctx: Ctx) -> dict:
    account = ctx.books.get("accounts", ctx.params["id"]) if is_guid(ctx.params["id"]) else None
    if account is None:
        raise NotFound()
    return account


def list_accounts(ctx: Ctx) -> dict:
    rows = [render_account(a) for a in ctx.books.all("accounts") if a["Status"] != "DELETED"]
    rows, _ = list_rows(ctx, rows, type_name="Account", id_field="AccountID", fields=ACCOUNT_FIELDS)
    return {"Accounts": rows}


def get_account(ctx: Ctx) -> dict:
    return {"Accounts": [render_account(_account(ctx))]}


def _check_account(books: Books, fields: dict, errors: Errors, existing: dict | None) -> None:
    type_ = fields.get("Type", existing["Type"] if existing else None)
    if type_ not in ACCOUNT_CLASS:
        errors.append(f"Account Type '{type_}' is not valid")
    name = fields.get("Name", existing["Name"] if existing else None)
    if not name:
        errors.append("Please enter a Name.")
    code = fields.get("Code", existing.get("Code") if existing else None)
    if not code and type_ != "BANK":
        errors.append("Please enter a Code.")
    if code and len(str(code)) > 10:
        errors.append("The Code must be 10 characters or fewer.")
    for acc in books.all("accounts"):
        if existing and acc["AccountID"] == existing["AccountID"] or acc["Status"] == "DELETED":
            continue
        if code and str(acc.get("Code") or "").casefold() == str(code).casefold():
            errors.append("Please enter a unique Code.")
        if name and acc["Name"].casefold() == str(name).casefold():
            errors.append("Please enter a unique Name.")
    if type_ == "BANK" and not fields.get("BankAccountNumber", existing.get("BankAccountNumber") if existing else None):
        errors.append("Please enter a Bank Account Number.")
    currency = fields.get("CurrencyCode")
    if currency and not books.currency_enabled(str(currency)):
        errors.append(f"The currency '{currency}' is not enabled for this organisation.")
    tax_type = fields.get("TaxType")
    if tax_type and books.tax_rate(tax_type) is None:
        errors.append(f"The TaxType code '{tax_type}' does not exist or cannot be used with this type of transaction.")
    status = fields.get("Status")
    if status and status not in ("ACTIVE", "ARCHIVED"):
        errors.append(f"Account Status '{status}' is not valid")
    if status == "ARCHIVED" and existing and existing.get("SystemAccount"):
        errors.append("System accounts cannot be archived.")


_ACCOUNT_WRITABLE = ("Code", "Name", "Type", "BankAccountNumber", "Status", "Description", "BankAccountType",
                     "CurrencyCode", "TaxType", "EnablePaymentsToAccount", "ShowInExpenseClaims", "AddToWatchlist")


def put_account(ctx: Ctx) -> dict:
    raw = ctx.body if isinstance(ctx.body, dict) else {}
    if isinstance(raw.get("Accounts"), list) and raw["Accounts"]:
        raw = raw["Accounts"][0]
    fields = {k: raw[k] for k in _ACCOUNT_WRITABLE if raw.get(k) is not None}
    errors = Errors()
    _check_account(ctx.books, fields, errors, None)
    if errors:
        raise Invalid(list(errors))
    account_id = str(uuid.uuid4())
    extra = {k: v for k, v in fields.items() if k not in ("Code", "Name", "Type", "TaxType")}
    account = make_account("", str(fields.get("Code") or ""), fields["Name"], fields["Type"],
                           fields.get("TaxType") or "NONE", extra, ctx.books.base_currency, ctx.now_ms, account_id)
    if not account["Code"]:
        del account["Code"]
    if account["Type"] == "BANK":
        account.setdefault("BankAccountType", "BANK")
    ctx.books.put("accounts", account_id, account)
    return {"Accounts": [render_account(account)]}


def post_account(ctx: Ctx) -> dict:
    existing = _account(ctx)
    raw = ctx.body if isinstance(ctx.body, dict) else {}
    if isinstance(raw.get("Accounts"), list) and raw["Accounts"]:
        raw = raw["Accounts"][0]
    fields = {k: raw[k] for k in _ACCOUNT_WRITABLE if k in raw and raw[k] is not None}
    if existing.get("SystemAccount") and "Type" in fields and fields["Type"] != existing["Type"]:
        raise Invalid("The Type of a system account cannot be changed.")
    errors = Errors()
    _check_account(ctx.books, fields, errors, existing)
    errors.raise_if_any()
    account = dict(existing, **fields)
    account["Class"] = ACCOUNT_CLASS[account["Type"]]
    account["UpdatedDateUTC"] = ctx.now_ms
    ctx.books.put("accounts", account["AccountID"], account)
    return {"Accounts": [render_account(account)]}


def delete_account(ctx: Ctx) -> dict:
    from .ledger import postings  # the ledger reads every document; import late to keep modules small

    existing = _account(ctx)
    if existing.get("SystemAccount"):
        raise Invalid("System accounts cannot be deleted.")
    if any(p.account_id == existing["AccountID"] for p in postings(ctx.books)):
        raise Invalid("This account cannot be deleted as it has transactions. Archive it instead.")
    account = dict(existing, Status="DELETED", UpdatedDateUTC=ctx.now_ms)
    ctx.books.put("accounts", account["AccountID"], account)
    return {"Accounts": [render_account(account)]}


# ---------------------------------------------------------------- tax rates

TAX_FIELDS = {"Name", "TaxType", "TaxComponents", "Status", "ReportTaxType", "CanApplyToAssets", "CanApplyToEquity",
              "CanApplyToExpenses", "CanApplyToLiabilities", "CanApplyToRevenue", "DisplayTaxRate", "EffectiveRate"}


def list_tax_rates(ctx: Ctx) -> dict:
    rows = [dict(r) for r in ctx.books.all("tax_rates")]
    rows, _ = list_rows(ctx, rows, type_name="TaxRate", id_field="TaxType", fields=TAX_FIELDS)
    return {"TaxRates": rows}


def get_tax_rate(ctx: Ctx) -> dict:
    rate = ctx.books.tax_rate(ctx.params["id"])
    if rate is None:
        raise NotFound()
    return {"TaxRates": [dict(rate)]}


def _components(raw: dict, errors: Errors) -> tuple[list[dict], Decimal]:
    comps = []
    total = ZERO
    for comp in raw.get("TaxComponents") or []:
        try:
            rate = to_decimal(comp.get("Rate")) or ZERO
        except (InvalidOperation, ValueError, AttributeError):
            errors.append("Tax component Rate must be a number")
            continue
        comps.append({"Name": comp.get("Name") or raw.get("Name"), "Rate": rate,
                      "IsCompound": bool(comp.get("IsCompound")), "IsNonRecoverable": bool(comp.get("IsNonRecoverable"))})
        total += rate
    if not comps:
        errors.append("A tax rate must have at least one tax component")
    return comps, total


def _save_tax_rate(ctx: Ctx, raw: dict) -> str:
    books = ctx.books
    errors = Errors()
    existing = books.tax_rate(raw.get("TaxType")) or next(
        (r for r in books.all("tax_rates") if raw.get("Name") and r["Name"].casefold() == str(raw["Name"]).casefold()),
        None)
    if ctx.method == "PUT" and existing is not None:
        errors.append("A tax rate with this name already exists")
    if existing is None:
        if not raw.get("Name"):
            errors.append("Tax rate Name must be specified")
        comps, total = _components(raw, errors)
        errors.raise_if_any()
        used = {r["TaxType"] for r in books.all("tax_rates")}
        n = 1
        while f"TAX{n:03d}" in used:
            n += 1
        rate = {"Name": raw["Name"], "TaxType": f"TAX{n:03d}", "Status": "ACTIVE",
                "ReportTaxType": raw.get("ReportTaxType") or "OUTPUT", "TaxComponents": comps,
                "CanApplyToAssets": True, "CanApplyToEquity": True, "CanApplyToExpenses": True,
                "CanApplyToLiabilities": True, "CanApplyToRevenue": True, "DisplayTaxRate": total,
                "EffectiveRate": total}
    else:
        errors.raise_if_any()
        rate = dict(existing)
        if raw.get("TaxComponents"):
            comps, total = _components(raw, errors)
            errors.raise_if_any()
            rate.update(TaxComponents=comps, DisplayTaxRate=total, EffectiveRate=total)
        if raw.get("Status") in ("ACTIVE", "DELETED", "ARCHIVED"):
            rate["Status"] = raw["Status"]
        if raw.get("Name"):
            rate["Name"] = raw["Name"]
    books.put("tax_rates", rate["TaxType"], rate)
    return rate["TaxType"]


def write_tax_rates(ctx: Ctx) -> dict:
    render = lambda ctx, key: dict(ctx.books.tax_rate(key))  # noqa: E731
    return {"TaxRates": write_many(ctx, elements(ctx, "TaxRates"), _save_tax_rate, render)}


# ---------------------------------------------------------------- tracking categories

TRACKING_FIELDS = {"TrackingCategoryID", "Name", "Status", "Options"}


def _render_category(cat: dict, include_archived: bool = False) -> dict:
    out = dict(cat)
    out["Options"] = [dict(o) for o in cat["Options"]
                      if o["Status"] == "ACTIVE" or (include_archived and o["Status"] == "ARCHIVED")]
    return out


def _category(ctx: Ctx) -> dict:
    cat = ctx.books.get("tracking_categories", ctx.params["id"]) if is_guid(ctx.params["id"]) else None
    if cat is None or cat["Status"] == "DELETED":
        raise NotFound()
    return cat


def list_tracking(ctx: Ctx) -> dict:
    archived = ctx.flag("includeArchived")
    rows = [_render_category(c, archived) for c in ctx.books.all("tracking_categories")
            if c["Status"] == "ACTIVE" or (archived and c["Status"] == "ARCHIVED")]
    rows, _ = list_rows(ctx, rows, type_name="TrackingCategory", id_field="TrackingCategoryID", fields=TRACKING_FIELDS)
    return {"TrackingCategories": rows}


def get_tracking(ctx: Ctx) -> dict:
    return {"TrackingCategories": [_render_category(_category(ctx))]}


def _one(body, key: str) -> dict:
    if isinstance(body, dict) and isinstance(body.get(key), list) and body[key]:
        return body[key][0] if isinstance(body[key][0], dict) else {}
    return body if isinstance(body, dict) else {}


def put_tracking(ctx: Ctx) -> dict:
    raw = _one(ctx.body, "TrackingCategories")
    name = str(raw.get("Name") or "").strip()
    active = [c for c in ctx.books.all("tracking_categories") if c["Status"] == "ACTIVE"]
    if not name:
        raise Invalid("Tracking category Name must be specified")
    if any(c["Name"].casefold() == name.casefold() for c in ctx.books.all("tracking_categories")
           if c["Status"] != "DELETED"):
        raise Invalid("The tracking category name must be unique.")
    if len(active) >= 2:
        raise Invalid("You can only have two active tracking categories.")
    cat_id = str(uuid.uuid4())
    cat = {"TrackingCategoryID": cat_id, "Name": name, "Status": "ACTIVE", "Options": []}
    ctx.books.put("tracking_categories", cat_id, cat)
    return {"TrackingCategories": [_render_category(cat)]}


def post_tracking(ctx: Ctx) -> dict:
    cat = dict(_category(ctx))
    raw = _one(ctx.body, "TrackingCategories")
    if raw.get("Name"):
        cat["Name"] = str(raw["Name"]).strip()
    if raw.get("Status") in ("ACTIVE", "ARCHIVED"):
        cat["Status"] = raw["Status"]
    ctx.books.put("tracking_categories", cat["TrackingCategoryID"], cat)
    return {"TrackingCategories": [_render_category(cat)]}


def delete_tracking(ctx: Ctx) -> dict:
    cat = dict(_category(ctx), Status="DELETED")
    ctx.books.put("tracking_categories", cat["TrackingCategoryID"], cat)
    return {"TrackingCategories": [_render_category(cat)]}


def put_option(ctx: Ctx) -> dict:
    cat = dict(_category(ctx))
    raw = _one(ctx.body, "Options")
    name = str(raw.get("Name") or "").strip()
    if not name:
        raise Invalid("Tracking option Name must be specified")
    if any(o["Name"].casefold() == name.casefold() and o["Status"] != "DELETED" for o in cat["Options"]):
        raise Invalid("For each specified tracking option the name must be unique.")
    option = {"TrackingOptionID": str(uuid.uuid4()), "Name": name, "Status": "ACTIVE",
              "TrackingCategoryID": cat["TrackingCategoryID"]}
    cat["Options"] = cat["Options"] + [option]
    ctx.books.put("tracking_categories", cat["TrackingCategoryID"], cat)
    return {"Options": [option]}


def _change_option(ctx: Ctx, change: dict) -> dict:
    cat = dict(_category(ctx))
    options = []
    found = None
    for option in cat["Options"]:
        if option["TrackingOptionID"].lower() == ctx.params["option"].lower():
            option = dict(option, **change)
            found = option
        options.append(option)
    if found is None:
        raise NotFound()
    cat["Options"] = options
    ctx.books.put("tracking_categories", cat["TrackingCategoryID"], cat)
    return {"Options": [found]}


def post_option(ctx: Ctx) -> dict:
    raw = _one(ctx.body, "Options")
    change = {k: raw[k] for k in ("Name", "Status") if raw.get(k)}
    return _change_option(ctx, change)


def delete_option(ctx: Ctx) -> dict:
    return _change_option(ctx, {"Status": "DELETED"})


# ---------------------------------------------------------------- currencies

def list_currencies(ctx: Ctx) -> dict:
    rows = [dict(c) for c in ctx.books.all("currencies")]
    rows, _ = list_rows(ctx, rows, type_name="Currency", id_field="Code", fields={"Code", "Description"})
    return {"Currencies": rows}


def put_currency(ctx: Ctx) -> dict:
    raw = _one(ctx.body, "Currencies")
    code = str(raw.get("Code") or "").upper()
    if not ctx.books.organisation.get("_multicurrency"):
        raise Invalid("Multi-currency is not enabled for this organisation.")
    if len(code) != 3 or not code.isalpha():
        raise Invalid(f"The currency code '{code}' is not valid.")
    currency = {"Code": code, "Description": CURRENCY_NAMES.get(code, code)}
    ctx.books.put("currencies", code, currency)
    return {"Currencies": [currency]}


# ---------------------------------------------------------------- items

ITEM_FIELDS = {"Code", "InventoryAssetAccountCode", "Name", "IsSold", "IsPurchased", "Description",
               "PurchaseDescription", "PurchaseDetails", "SalesDetails", "IsTrackedAsInventory", "TotalCostPool",
               "QuantityOnHand", "UpdatedDateUTC", "ItemID"}


def render_item(item: dict) -> dict:
    out = {k: v for k, v in item.items() if not k.startswith("_")}
    out["UpdatedDateUTC"] = utc(item["UpdatedDateUTC"])
    return out


def _details(books: Books, raw, label: str, errors: Errors) -> dict | None:
    if not isinstance(raw, dict):
        return None
    out: dict = {}
    try:
        if raw.get("UnitPrice") is not None:
            out["UnitPrice"] = to_decimal(raw["UnitPrice"])
    except (InvalidOperation, ValueError):
        errors.append(f"{label} UnitPrice must be a number")
    if raw.get("AccountCode"):
        if books.account_by_code(str(raw["AccountCode"])) is None:
            errors.append(f"Account code '{raw['AccountCode']}' is not a valid code for this document.")
        out["AccountCode"] = str(raw["AccountCode"])
    if raw.get("TaxType"):
        if books.tax_rate(raw["TaxType"]) is None:
            errors.append(f"The TaxType code '{raw['TaxType']}' does not exist or cannot be used with this type "
                          "of transaction.")
        out["TaxType"] = raw["TaxType"]
    if raw.get("COGSAccountCode"):
        out["COGSAccountCode"] = raw["COGSAccountCode"]
    return out


def _save_item(ctx: Ctx, raw: dict) -> str:
    books = ctx.books
    errors = Errors()
    existing = None
    if raw.get("ItemID"):
        existing = books.get("items", raw["ItemID"]) if is_guid(raw["ItemID"]) else None
        if existing is None:
            raise Invalid(f"Item with ItemID '{raw['ItemID']}' could not be found")
    elif raw.get("Code") and ctx.method == "POST":
        existing = next((i for i in books.all("items") if i["Code"].casefold() == str(raw["Code"]).casefold()), None)
    code = raw.get("Code", existing["Code"] if existing else None)
    if not code:
        errors.append("Item Code must be specified")
    elif len(str(code)) > 30:
        errors.append("Item Code must be 30 characters or fewer")
    elif any(i["Code"].casefold() == str(code).casefold() and (existing is None or i["ItemID"] != existing["ItemID"])
             for i in books.all("items")):
        errors.append(f"Item code '{code}' already exists")
    if raw.get("Name") and len(str(raw["Name"])) > 50:
        errors.append("Item Name must be 50 characters or fewer")
    sales = _details(books, raw.get("SalesDetails"), "SalesDetails", errors)
    purchases = _details(books, raw.get("PurchaseDetails"), "PurchaseDetails", errors)
    errors.raise_if_any()
    item = dict(existing) if existing else {"ItemID": str(uuid.uuid4()), "IsTrackedAsInventory": False,
                                            "IsSold": True, "IsPurchased": True}
    item["Code"] = str(code)
    for key in ("Name", "Description", "PurchaseDescription", "IsSold", "IsPurchased"):
        if raw.get(key) is not None:
            item[key] = raw[key]
    if sales is not None:
        item["SalesDetails"] = sales
    if purchases is not None:
        item["PurchaseDetails"] = purchases
    item.setdefault("Name", item["Code"])
    item["UpdatedDateUTC"] = ctx.now_ms
    books.put("items", item["ItemID"], item)
    return item["ItemID"]


def _render_item(ctx: Ctx, item_id: str) -> dict:
    return render_item(ctx.books.get("items", item_id))


def write_items(ctx: Ctx) -> dict:
    if ctx.method == "PUT":
        def save(ctx: Ctx, raw: dict) -> str:
            if raw.get("ItemID"):
                raise Invalid("An item with this ItemID already exists. Use POST to update it.")
            return _save_item(ctx, raw)
    else:
        save = _save_item
    return {"Items": write_many(ctx, elements(ctx, "Items"), save, _render_item)}


def _item(ctx: Ctx) -> dict:
    key = ctx.params["id"]
    item = ctx.books.get("items", key) if is_guid(key) else next(
        (i for i in ctx.books.all("items") if i["Code"].casefold() == key.casefold()), None)
    if item is None:
        raise NotFound()
    return item


def get_item(ctx: Ctx) -> dict:
    return {"Items": [render_item(_item(ctx))]}


def post_item(ctx: Ctx) -> dict:
    item = _item(ctx)
    raw = elements(ctx, "Items", single_ok=True)[:1]
    raw = [dict(r, ItemID=item["ItemID"]) if isinstance(r, dict) else r for r in raw]
    return {"Items": write_many(ctx, raw, _save_item, _render_item)}


def delete_item(ctx: Ctx) -> None:
    item = _item(ctx)
    del ctx.books["items"][item["ItemID"].lower()]
    return None


def list_items(ctx: Ctx) -> dict:
    rows = [render_item(i) for i in ctx.books.all("items")]
    rows, _ = list_rows(ctx, rows, type_name="Item", id_field="ItemID", fields=ITEM_FIELDS)
    return {"Items": rows}
