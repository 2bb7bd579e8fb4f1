"""Checks QuickBooks makes on every write: references, amounts, currency, unique names, DocNumbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import errors
from .dates import parse_date
from .entities import REF_TARGETS, SPECS
from .jsonutil import dec
from .store import Company

DECIMALS = {"JPY": 0}
DOC_NUMBER_MAX = 21


def clean(value: Any) -> Any:
    """Drop empty strings, nulls and emptied objects, the way QBO treats them: as not sent.

    python-quickbooks sends every attribute with its default (DocNumber "", Ref name "", ...).
    """
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = clean(item)
            if item is None or item == "" or (isinstance(item, dict) and not item):
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def ref_value(ref: Any) -> str | None:
    if isinstance(ref, dict) and ref.get("value") not in (None, ""):
        return str(ref["value"])
    return None


# --- references -----------------------------------------------------------------------------------

def check_ref(company: Company, target: str, ident: str, element: str) -> dict:
    obj = company.get(target, ident)
    if obj is None:
        raise errors.invalid_reference(target, ident, element)
    if obj.get("Active") is False:
        raise errors.object_not_found(target, ident, element)
    return obj


def _entity_ref_target(kind: Any) -> str:
    kind = str(kind or "").strip()
    return {"customer": "Customer", "vendor": "Vendor", "employee": "Employee"}.get(kind.lower(), "Customer")


def check_refs(company: Company, entity: str, obj: Any, path: str = "") -> None:
    """Every *Ref in the object must point at an existing, active object of the right entity."""
    if isinstance(obj, list):
        for item in obj:
            check_refs(company, entity, item, path)
        return
    if not isinstance(obj, dict):
        return
    for key, value in obj.items():
        element = f"{path}.{key}" if path else key
        if key in REF_TARGETS or key == "ParentRef":
            ident = ref_value(value)
            if ident is not None:
                check_ref(company, REF_TARGETS.get(key, entity), ident, element)
        elif key == "Entity" and isinstance(value, dict):
            if "EntityRef" in value:  # JournalEntry: {"Type": "Customer", "EntityRef": {...}}
                ident = ref_value(value["EntityRef"])
                if ident is not None:
                    check_ref(company, _entity_ref_target(value.get("Type")), ident, element)
            else:  # Deposit line: the Entity is itself a Ref with a type
                ident = ref_value(value)
                if ident is not None:
                    check_ref(company, _entity_ref_target(value.get("type")), ident, element)
        elif key == "EntityRef" and isinstance(value, dict):  # Purchase: {"value", "type": "Vendor"}
            ident = ref_value(value)
            if ident is not None:
                check_ref(company, _entity_ref_target(value.get("type") or "Vendor"), ident, element)
        elif isinstance(value, (dict, list)) and key != "CurrencyRef":
            check_refs(company, entity, value, element)


# --- amounts --------------------------------------------------------------------------------------

def amount(value: Any, element: str, currency: str = "USD", *, required: bool = True,
           default: Decimal | None = None) -> Decimal | None:
    """An amount as an exact Decimal with no more places than the currency has."""
    if value is None or value == "":
        if required and default is None:
            raise errors.required_param(element.split(".")[-1], element)
        return default
    try:
        number = dec(value)
    except ValueError:
        raise errors.fault(2090, "Invalid Number", f"Invalid Number : {value!r} is not a valid number",
                           element) from None
    places = DECIMALS.get(currency, 2)
    if -number.as_tuple().exponent > places and number != number.quantize(Decimal(1).scaleb(-places)):
        raise errors.business(f"The amount {value} in {element} has more than {places} decimal places "
                              f"for currency {currency}.", element)
    return number


# --- currency -------------------------------------------------------------------------------------

def currency_of(company: Company, obj: dict, element: str = "CurrencyRef") -> tuple[str, Decimal]:
    """The transaction currency and its exchange rate (home units per foreign unit), after checks."""
    home = company.home_currency
    code = ref_value(obj.get("CurrencyRef")) or home
    code = code.upper()
    if code == home:
        rate = Decimal("1")
    else:
        if not company.multicurrency:
            raise errors.business(
                f"You can't use currency {code} because multicurrency is not turned on for this company. "
                f"Transactions must be in the home currency {home}.", element)
        if code not in company.enabled_currencies():
            raise errors.invalid_reference("Currency", code, element)
        given = obj.get("ExchangeRate")
        rate = dec(given, None) if given not in (None, "", 0, 1) else None
        if rate is None:
            rate = company.exchange_rates.get(code)
            if rate is None:
                raise errors.business(f"No exchange rate for {code}; send ExchangeRate.", "ExchangeRate")
        if rate <= 0:
            raise errors.business("ExchangeRate must be positive.", "ExchangeRate")
    return code, rate


def account_currency(company: Company, account: dict) -> str:
    return ref_value(account.get("CurrencyRef")) or company.home_currency


def check_account_currency(company: Company, account: dict, currency: str, element: str,
                           *, exact: bool = False) -> None:
    """QBO: an account's currency must be the home currency or the transaction's (A/R, A/P: exactly)."""
    acc_currency = account_currency(company, account)
    if acc_currency == currency:
        return
    if not exact and acc_currency == company.home_currency:
        return
    raise errors.business(f"The currency of the account {account.get('Name')!r} ({acc_currency}) must be "
                          f"either in home currency or the transaction currency ({currency}).", element)


# --- names and numbers ----------------------------------------------------------------------------

def check_unique_name(company: Company, entity: str, obj: dict, self_id: str | None) -> None:
    field = SPECS[entity].name_field
    if not field or not obj.get(field):
        return
    owner = company.name_owner(entity, obj[field])
    if owner is not None and owner != (entity, self_id):
        if entity in ("Customer", "Vendor"):
            raise errors.duplicate_name(field)
        raise errors.duplicate_list_name(entity, obj[field], field)


def check_doc_number(company: Company, entity: str, obj: dict, self_id: str | None, allow_duplicate: bool) -> None:
    number = obj.get("DocNumber")
    if number is None:
        return
    number = str(number)
    if len(number) > DOC_NUMBER_MAX:
        raise errors.fault(2050, "String length specified does not match the supported length",
                           f"String length is either shorter or longer than supported by specification. "
                           f"Min:0 Max:{DOC_NUMBER_MAX} supported. Supplied length:{len(number)}", "DocNumber")
    if not SPECS[entity].sales_doc or allow_duplicate or not company.settings["forbid_duplicate_doc_numbers"]:
        return
    others = sorted(company.doc_number_owners(entity, number) - {self_id}, key=lambda i: (len(i), i))
    if others:
        raise errors.duplicate_doc_number(number, entity, others[0])


def check_date(value: Any, element: str) -> str:
    try:
        return parse_date(value).isoformat()
    except ValueError:
        raise errors.fault(2040, "Invalid Date", f"Invalid Date : {value!r} is not a valid date (YYYY-MM-DD)",
                           element) from None
