"""Name-list entities (Customer, Vendor, Account, Item, Class, Department, CompanyCurrency) and the two
company singletons (Preferences, CompanyInfo): the rules QuickBooks applies when they are saved."""

from __future__ import annotations

from decimal import Decimal

from . import account_types as at
from . import errors
from .store import Company
from .validation import check_ref, check_unique_name, ref_value

DELETED_SUFFIX = " (deleted)"


def _currency(company: Company, obj: dict, existing: dict | None, has_activity: bool) -> None:
    home = company.home_currency
    code = (ref_value(obj.get("CurrencyRef")) or home).upper()
    if code != home:
        if not company.multicurrency:
            raise errors.business(f"You can't use currency {code} because multicurrency is not turned on "
                                  f"for this company.", "CurrencyRef")
        if code not in company.enabled_currencies():
            raise errors.invalid_reference("Currency", code, "CurrencyRef")
    if existing is not None and has_activity:
        before = ref_value(existing.get("CurrencyRef")) or home
        if before != code:
            raise errors.business("You can't change the currency once transactions use it.", "CurrencyRef")
    obj["CurrencyRef"] = {"value": code, "name": at.CURRENCY_NAMES.get(code, code)}


def _inactive_name(obj: dict, existing: dict | None, field: str) -> None:
    """QBO renames an inactive customer/vendor "Name (deleted)", freeing the name for a new one."""
    name = obj.get(field, "")
    if obj.get("Active") is False and existing is not None and existing.get("Active", True):
        if not name.endswith(DELETED_SUFFIX):
            obj[field] = name + DELETED_SUFFIX
    elif obj.get("Active", True) and name.endswith(DELETED_SUFFIX):
        obj[field] = name[: -len(DELETED_SUFFIX)]


def _hierarchy(company: Company, entity: str, obj: dict, field: str, self_id: str | None, sub_flag: str) -> None:
    parent_id = ref_value(obj.get("ParentRef"))
    if parent_id is None:
        obj["FullyQualifiedName"] = obj[field]
        obj[sub_flag] = False
        if entity in ("Customer", "Item"):
            obj["Level"] = 0
        return
    if parent_id == self_id:
        raise errors.fault(700, "Parent referred is not valid reference", "An object can't be its own parent.",
                           "ParentRef")
    parent = check_ref(company, entity, parent_id, "ParentRef")
    obj["FullyQualifiedName"] = f"{parent.get('FullyQualifiedName', parent.get(field))}:{obj[field]}"
    obj[sub_flag] = True
    if entity in ("Customer", "Item"):
        obj["Level"] = int(parent.get("Level", 0)) + 1


def _person(company: Company, entity: str, obj: dict, existing: dict | None, self_id: str | None) -> None:
    if not obj.get("DisplayName"):
        parts = [obj.get(k, "") for k in ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")]
        derived = " ".join(p for p in parts if p) or obj.get("CompanyName", "")
        if not derived:
            raise errors.fault(6080, "No Name Provided", "Title, GivenName, MiddleName, FamilyName, DisplayName, "
                               "Suffix - one of these must be non-empty", "DisplayName")
        obj["DisplayName"] = derived
    if ":" in obj["DisplayName"] or "\t" in obj["DisplayName"] or "\n" in obj["DisplayName"]:
        raise errors.fault(2170, "Invalid Enumeration",
                           "Invalid character in name: a name can't contain a colon, tab or newline.", "DisplayName")
    if len(obj["DisplayName"]) > 500:
        raise errors.fault(2050, "String length specified does not match the supported length",
                           "DisplayName is longer than 500 characters", "DisplayName")
    obj.setdefault("Active", True)
    _inactive_name(obj, existing, "DisplayName")
    check_unique_name(company, entity, obj, self_id)
    obj.setdefault("PrintOnCheckName", obj["DisplayName"])
    has_activity = bool(self_id and company.by_customer.get(self_id)) if entity == "Customer" else False
    _currency(company, obj, existing, has_activity)
    if entity == "Customer":
        _hierarchy(company, entity, obj, "DisplayName", self_id, "Job")
        obj["Job"] = bool(obj.get("ParentRef"))
        obj.setdefault("Taxable", True)
        obj.setdefault("BillWithParent", False)
        obj.setdefault("PreferredDeliveryMethod", "None")
    if entity == "Vendor":
        obj.setdefault("Vendor1099", False)


def _account(company: Company, entity: str, obj: dict, existing: dict | None, self_id: str | None) -> None:
    name = obj.get("Name")
    if not name:
        raise errors.required_param("Name", entity)
    if ":" in name or len(name) > 100:
        raise errors.business("An account name can't contain a colon or be longer than 100 characters.", "Name")
    account_type = at.canonical_type(obj.get("AccountType"))
    if account_type is None:
        raise errors.fault(6010, "Invalid Account.AccountType && Account.SubType",
                           "Either an Account.AccountType or an Account.AccountSubType must be specified"
                           if not obj.get("AccountType") else f"Unknown AccountType {obj.get('AccountType')!r}",
                           "AccountType")
    obj["AccountType"] = account_type
    obj["Classification"] = at.classification(account_type)
    obj.setdefault("AccountSubType", at.ACCOUNT_TYPES[account_type][1])
    obj.setdefault("Active", True)
    check_unique_name(company, entity, obj, self_id)
    has_activity = bool(self_id and company.ledger.uses_account(self_id))
    if existing is not None and has_activity and existing.get("AccountType") != account_type and \
            {existing.get("AccountType"), account_type} & {at.AR, at.AP}:
        raise errors.business("You can't change the type of an A/R or A/P account that has transactions.",
                              "AccountType")
    _currency(company, obj, existing, has_activity)
    if obj["CurrencyRef"]["value"] != company.home_currency and not at.is_balance_sheet(obj):
        raise errors.business("Only balance sheet accounts can be in a foreign currency.", "CurrencyRef")
    _hierarchy(company, entity, obj, "Name", self_id, "SubAccount")


def _item(company: Company, entity: str, obj: dict, existing: dict | None, self_id: str | None) -> None:
    if not obj.get("Name"):
        raise errors.required_param("Name", entity)
    obj.setdefault("Type", "Service")
    if obj["Type"] not in ("Service", "NonInventory", "Inventory", "Category"):
        raise errors.business(f"Unsupported item Type {obj['Type']!r}.", "Type")
    if obj["Type"] == "Inventory":
        raise errors.business("The sandbox does not track inventory items.", "Type")
    if obj["Type"] != "Category" and not (ref_value(obj.get("IncomeAccountRef"))
                                          or ref_value(obj.get("ExpenseAccountRef"))):
        raise errors.required_param("IncomeAccountRef", entity)
    obj.setdefault("Active", True)
    obj.setdefault("UnitPrice", Decimal("0"))
    check_unique_name(company, entity, obj, self_id)
    _hierarchy(company, entity, obj, "Name", self_id, "SubItem")


def _tracking(company: Company, entity: str, obj: dict, existing: dict | None, self_id: str | None) -> None:
    if not obj.get("Name"):
        raise errors.required_param("Name", entity)
    obj.setdefault("Active", True)
    check_unique_name(company, entity, obj, self_id)
    _hierarchy(company, entity, obj, "Name", self_id, "SubClass" if entity == "Class" else "SubDepartment")


def _company_currency(company: Company, entity: str, obj: dict, existing: dict | None, self_id: str | None) -> None:
    if not company.multicurrency:
        raise errors.business("Multicurrency is not turned on for this company.", "Code")
    code = str(obj.get("Code", "")).upper()
    if not code:
        raise errors.required_param("Code", entity)
    if code not in at.CURRENCY_NAMES:
        raise errors.invalid_reference("Currency", code, "Code")
    if code == company.home_currency:
        raise errors.business("The home currency is always enabled.", "Code")
    obj["Code"] = code
    obj["Name"] = at.CURRENCY_NAMES[code]
    obj.setdefault("Active", True)
    check_unique_name(company, entity, obj, self_id)


def _preferences(company: Company, entity: str, obj: dict, existing: dict | None, self_id: str | None) -> None:
    before = (existing or {}).get("CurrencyPrefs", {})
    after = obj.setdefault("CurrencyPrefs", dict(before))
    if ref_value(after.get("HomeCurrency")) not in (None, ref_value(before.get("HomeCurrency"))):
        raise errors.business("The home currency can't be changed.", "CurrencyPrefs.HomeCurrency")
    after["HomeCurrency"] = before.get("HomeCurrency", {"value": "USD"})
    if before.get("MultiCurrencyEnabled") and not after.get("MultiCurrencyEnabled", True):
        raise errors.business("Multicurrency can't be turned off once it is on.", "CurrencyPrefs.MultiCurrencyEnabled")
    after.setdefault("MultiCurrencyEnabled", bool(before.get("MultiCurrencyEnabled")))


def _company_info(company: Company, entity: str, obj: dict, existing: dict | None, self_id: str | None) -> None:
    if not obj.get("CompanyName"):
        raise errors.required_param("CompanyName", entity)


PREPARERS = {
    "Customer": _person, "Vendor": _person, "Account": _account, "Item": _item, "Class": _tracking,
    "Department": _tracking, "CompanyCurrency": _company_currency, "Preferences": _preferences,
    "CompanyInfo": _company_info,
}
