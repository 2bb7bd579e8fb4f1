"""Line items and totals, shared by invoices, credit notes, bank transactions and overpayments.

Xero's arithmetic, all Decimal, rounded half up to the cent:
  LineAmount = Quantity x UnitAmount, less DiscountAmount or x (1 - DiscountRate/100)
  tax        = Exclusive: LineAmount x rate; Inclusive: LineAmount x rate / (1 + rate); NoTax: 0
               (a TaxAmount sent on the line is taken as is, as Xero does)
  SubTotal   = sum(LineAmount) (less tax when Inclusive); Total = SubTotal + TotalTax
UnitAmount keeps 2 places unless the request says `unitdp=4`; Quantity keeps 4.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from .serialize import CENT, RATE, ZERO, money, to_decimal
from .store import Books
from .validation import Errors, is_guid

LINE_AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")
SALES_TYPES = {"ACCREC", "ACCRECCREDIT", "RECEIVE", "RECEIVE-OVERPAYMENT", "RECEIVE-PREPAYMENT"}
Q4 = Decimal("0.0001")

# Which tax-rate flag an account class needs.
_TAX_FLAG = {"REVENUE": "CanApplyToRevenue", "EXPENSE": "CanApplyToExpenses", "ASSET": "CanApplyToAssets",
             "LIABILITY": "CanApplyToLiabilities", "EQUITY": "CanApplyToEquity"}


def tax_rate_percent(books: Books, tax_type: str) -> Decimal:
    rate = books.tax_rate(tax_type)
    return rate["EffectiveRate"] if rate else ZERO


def line_tax(line_amount: Decimal, percent: Decimal, lat: str) -> Decimal:
    if lat == "NoTax" or not percent:
        return ZERO
    if lat == "Inclusive":
        return money(line_amount * percent / (Decimal(100) + percent))
    return money(line_amount * percent / Decimal(100))


def _num(raw: dict, key: str, errors: Errors) -> Decimal | None:
    try:
        return to_decimal(raw.get(key))
    except (InvalidOperation, ValueError):
        errors.append(f"{key} must be a valid number")
        return None


def resolve_tracking(books: Books, raw_tracking, errors: Errors) -> list[dict]:
    """Tracking on a line, named by ID or by Name/Option, as Xero accepts both."""
    tracking: list[dict] = []
    if not raw_tracking:
        return tracking
    if not isinstance(raw_tracking, list):
        errors.append("Tracking must be a list")
        return tracking
    if len(raw_tracking) > 2:
        errors.append("A maximum of two tracking categories can be applied to a line item")
    for item in raw_tracking:
        if not isinstance(item, dict):
            errors.append("Tracking must be a list of tracking categories")
            continue
        cat_key = item.get("TrackingCategoryID") or item.get("Name")
        cat = books.tracking_category(str(cat_key)) if cat_key else None
        if cat is None or cat["Status"] != "ACTIVE":
            errors.append(f"Tracking category '{cat_key}' does not exist or has been archived.")
            continue
        opt_key = str(item.get("TrackingOptionID") or item.get("Option") or "").casefold()
        option = next((o for o in cat["Options"] if o["Status"] == "ACTIVE" and
                       (o["TrackingOptionID"].casefold() == opt_key or o["Name"].casefold() == opt_key)), None)
        if option is None:
            errors.append(f"Tracking option '{item.get('Option') or item.get('TrackingOptionID')}' does not "
                          f"exist in tracking category '{cat['Name']}'.")
            continue
        tracking.append({"TrackingCategoryID": cat["TrackingCategoryID"], "TrackingOptionID": option["TrackingOptionID"],
                         "Name": cat["Name"], "Option": option["Name"]})
    return tracking


def build_lines(books: Books, raw_lines, lat: str, doc_type: str, errors: Errors, *, unitdp4: bool,
                require_account: bool, account_optional: bool = False, allow_discounts: bool = True) -> list[dict]:
    """Validate and compute a document's lines; problems go to `errors` in Xero's words."""
    if raw_lines is None:
        raw_lines = []
    if not isinstance(raw_lines, list):
        errors.append("LineItems must be a list")
        return []
    sales = doc_type in SALES_TYPES
    lines = []
    for raw in raw_lines:
        if not isinstance(raw, dict):
            errors.append("Each line item must be an object")
            continue
        item = None
        if raw.get("ItemCode"):
            item = next((i for i in books.all("items") if i["Code"].casefold() == str(raw["ItemCode"]).casefold()), None)
            if item is None:
                errors.append(f"Item code '{raw['ItemCode']}' is not valid")
        details = (item or {}).get("SalesDetails" if sales else "PurchaseDetails") or {}

        quantity = _num(raw, "Quantity", errors)
        unit = _num(raw, "UnitAmount", errors)
        given_line = _num(raw, "LineAmount", errors)
        disc_rate = _num(raw, "DiscountRate", errors)
        disc_amount = _num(raw, "DiscountAmount", errors)
        given_tax = _num(raw, "TaxAmount", errors)
        if unit is None and item is not None and details.get("UnitPrice") is not None and given_line is None:
            unit = details["UnitPrice"]
        if (disc_rate or disc_amount) and not allow_discounts:
            errors.append("Discounts are only supported on ACCREC invoices")
        if disc_rate and disc_amount:
            errors.append("A line item can have a DiscountRate or a DiscountAmount, not both")
        if quantity is None:
            quantity = Decimal(1)
        quantity = quantity.quantize(Q4)
        if unit is not None:
            unit = unit.quantize(Q4 if unitdp4 else CENT)
            gross = quantity * unit
            if disc_amount:
                line_amount = money(gross - disc_amount)
            elif disc_rate:
                line_amount = money(gross * (Decimal(100) - disc_rate) / Decimal(100))
            else:
                line_amount = money(gross)
            if given_line is not None and money(given_line) != line_amount:
                errors.append(f"The line total {money(given_line)} does not match the expected line total "
                              f"{line_amount}")
        elif given_line is not None:
            line_amount = money(given_line)
            unit = (line_amount / quantity).quantize(Q4 if unitdp4 else CENT) if quantity else line_amount
        else:
            line_amount = ZERO
            unit = ZERO

        account = None
        code = raw.get("AccountCode") or (details.get("AccountCode") if item else None)
        if raw.get("AccountID"):
            account = books.get("accounts", raw["AccountID"])
            if account is None:
                errors.append(f"Account ID '{raw['AccountID']}' is not valid")
        elif code not in (None, ""):
            account = books.account_by_code(str(code))
            if account is None or account["Type"] == "BANK" or account.get("SystemAccount") in ("DEBTORS", "CREDITORS"):
                errors.append(f"Account code '{code}' is not a valid code for this document.")
                account = None
            elif account["Status"] != "ACTIVE":
                errors.append(f"Account code '{code}' has been archived, or has been deleted. Each line item "
                              "must reference a valid account.")
                account = None
        elif require_account and not account_optional:
            errors.append("Account code must be specified")

        tax_type = raw.get("TaxType") or details.get("TaxType") or (account or {}).get("TaxType") or "NONE"
        rate = books.tax_rate(tax_type)
        if rate is None or rate["Status"] != "ACTIVE":
            errors.append(f"The TaxType code '{tax_type}' does not exist or cannot be used with this type of "
                          "transaction.")
            percent = ZERO
        else:
            percent = rate["EffectiveRate"]
            if account is not None and not rate.get(_TAX_FLAG[account["Class"]], False):
                errors.append(f"The TaxType code '{tax_type}' does not exist or cannot be used with this type of "
                              "transaction.")
        if lat == "NoTax":
            tax = ZERO
        elif given_tax is not None:
            tax = money(given_tax)
        else:
            tax = line_tax(line_amount, percent, lat)

        line_id = raw.get("LineItemID") if is_guid(raw.get("LineItemID")) else str(uuid.uuid4())
        description = raw.get("Description")
        if description is None and item is not None:
            description = item.get("Description") if sales else item.get("PurchaseDescription") or item.get("Description")
        line = {
            "LineItemID": str(line_id).lower(), "Description": description, "Quantity": quantity,
            "UnitAmount": unit, "ItemCode": item["Code"] if item else None,
            "AccountCode": account.get("Code") if account else None,
            "AccountID": account["AccountID"] if account else None,
            "TaxType": tax_type, "TaxAmount": tax, "LineAmount": line_amount,
            "DiscountRate": disc_rate, "DiscountAmount": money(disc_amount) if disc_amount else None,
            "Tracking": resolve_tracking(books, raw.get("Tracking"), errors),
            "_net": line_amount - tax if lat == "Inclusive" else line_amount,
            "_discount": _discount(quantity, unit, line_amount),
        }
        if item is not None:
            line["Item"] = {"ItemID": item["ItemID"], "Code": item["Code"], "Name": item.get("Name")}
        lines.append(line)
    return lines


def _discount(quantity: Decimal, unit: Decimal, line_amount: Decimal) -> Decimal:
    return max(money(quantity * unit) - line_amount, ZERO)


def totals(lines: list[dict], lat: str) -> dict:
    tax = sum((line["TaxAmount"] for line in lines), ZERO)
    gross = sum((line["LineAmount"] for line in lines), ZERO)
    sub = gross - tax if lat == "Inclusive" else gross
    discount = sum((line.get("_discount") or ZERO for line in lines), ZERO)
    return {"SubTotal": sub, "TotalTax": tax, "Total": sub + tax, "TotalDiscount": discount}


def render_lines(lines: list[dict], unitdp4: bool) -> list[dict]:
    out = []
    for line in lines:
        row = {k: v for k, v in line.items() if not k.startswith("_") and v is not None}
        if not unitdp4:
            row["UnitAmount"] = money(line["UnitAmount"])
        out.append(row)
    return out


def read_line_amount_types(raw: dict, errors: Errors, default: str) -> str:
    lat = raw.get("LineAmountTypes") or default
    if lat not in LINE_AMOUNT_TYPES:
        errors.append(f"LineAmountTypes '{lat}' is not valid. Use Exclusive, Inclusive or NoTax.")
        return default
    return lat


def read_currency(books: Books, raw: dict, errors: Errors, default: str | None = None) -> tuple[str, Decimal]:
    """The document currency and its rate (foreign units per base unit, Xero's CurrencyRate)."""
    base = books.base_currency
    code = str(raw.get("CurrencyCode") or default or base).upper()
    if not books.currency_enabled(code):
        errors.append(f"The currency '{code}' is not enabled for this organisation.")
        return base, Decimal("1.000000")
    if code == base:
        return code, Decimal("1.000000")
    try:
        rate = to_decimal(raw.get("CurrencyRate"))
    except (InvalidOperation, ValueError):
        errors.append("CurrencyRate must be a valid number")
        rate = None
    if rate is None:
        rate = books.fx_rates.get(code)
    if rate is None or rate <= 0:
        errors.append(f"No exchange rate is available for {code}; supply CurrencyRate")
        return code, Decimal("1.000000")
    return code, rate.quantize(RATE)
