"""The two default organisations and their charts of accounts, with IDs that never change.

Every ID is a uuid5 of a fixed name, so a mapping file can name `AccountID`s and tenant IDs and they
hold across restarts and machines. The US company has only USD; the Global company (base USD) also
keeps EUR and GBP, with a EUR bank account and EUR Stripe clearing account.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from .store import Books

_NAMESPACE = uuid.UUID("6f1d2c3e-8a47-5b9e-9c61-4e0d7a2b9f10")


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


US_TENANT_ID = stable_id("tenant", "demo-us")
GLOBAL_TENANT_ID = stable_id("tenant", "demo-global")

# Xero's account Type -> Class (read-only on answers).
ACCOUNT_CLASS = {
    "BANK": "ASSET", "CURRENT": "ASSET", "FIXED": "ASSET", "INVENTORY": "ASSET", "NONCURRENT": "ASSET",
    "PREPAYMENT": "ASSET", "CURRLIAB": "LIABILITY", "LIABILITY": "LIABILITY", "TERMLIAB": "LIABILITY",
    "PAYG": "LIABILITY", "EQUITY": "EQUITY", "REVENUE": "REVENUE", "SALES": "REVENUE", "OTHERINCOME": "REVENUE",
    "EXPENSE": "EXPENSE", "OVERHEADS": "EXPENSE", "DIRECTCOSTS": "EXPENSE", "DEPRECIATN": "EXPENSE",
}
_REPORTING = {"ASSET": ("ASS", "Assets"), "LIABILITY": ("LIA", "Liabilities"), "EQUITY": ("EQU", "Equity"),
              "REVENUE": ("REV", "Revenue"), "EXPENSE": ("EXP", "Expense")}

# (Code, Name, Type, TaxType, extra fields). Codes are what the mapping file refers to.
US_CHART: list[tuple[str, str, str, str, dict]] = [
    ("090", "Business Bank Account", "BANK", "NONE", {"BankAccountNumber": "021000021-4471", "BankAccountType": "BANK"}),
    ("091", "Stripe Clearing", "BANK", "NONE", {"BankAccountNumber": "STRIPE-USD", "BankAccountType": "BANK",
                                                "Description": "Stripe balance; payouts move it to 090"}),
    ("093", "Undeposited Funds", "CURRENT", "NONE", {"EnablePaymentsToAccount": True}),
    ("094", "Stripe Reserve", "CURRENT", "NONE", {"Description": "Funds Stripe holds back; takes no payments"}),
    ("095", "Transfers", "CURRENT", "NONE", {"Description": "Money between Stripe and the bank, in transit"}),
    ("610", "Accounts Receivable", "CURRENT", "NONE", {"SystemAccount": "DEBTORS"}),
    ("800", "Accounts Payable", "CURRLIAB", "NONE", {"SystemAccount": "CREDITORS"}),
    ("820", "Sales Tax", "CURRLIAB", "NONE", {"SystemAccount": "GST"}),
    ("840", "Historical Adjustment", "CURRLIAB", "NONE", {"SystemAccount": "HISTORICAL"}),
    ("860", "Rounding", "CURRLIAB", "NONE", {"SystemAccount": "ROUNDING"}),
    ("960", "Retained Earnings", "EQUITY", "NONE", {"SystemAccount": "RETAINEDEARNINGS"}),
    ("970", "Owner Funds Introduced", "EQUITY", "NONE", {}),
    ("200", "Sales", "REVENUE", "OUTPUT", {}),
    ("205", "Refunds", "REVENUE", "OUTPUT", {"Description": "Contra revenue: refunds given to customers"}),
    ("260", "Other Revenue", "REVENUE", "OUTPUT", {}),
    ("270", "Platform Fee Income", "OTHERINCOME", "NONE", {}),
    ("404", "Bank Fees", "EXPENSE", "NONE", {}),
    ("405", "Stripe Fees", "EXPENSE", "NONE", {}),
    ("406", "Chargebacks", "EXPENSE", "NONE", {"Description": "Disputed charges lost, and dispute fees"}),
    ("429", "General Expenses", "EXPENSE", "INPUT", {}),
    ("497", "Bank Revaluations", "EXPENSE", "NONE", {"SystemAccount": "BANKCURRENCYGAIN"}),
    ("498", "Unrealised Currency Gains", "EXPENSE", "NONE", {"SystemAccount": "UNREALISEDCURRENCYGAIN"}),
    ("499", "Realised Currency Gains", "EXPENSE", "NONE", {"SystemAccount": "REALISEDCURRENCYGAIN"}),
]

GLOBAL_EXTRA: list[tuple[str, str, str, str, dict]] = [
    ("096", "Business Bank Account EUR", "BANK", "NONE", {"BankAccountNumber": "DE89370400440532013000",
                                                         "BankAccountType": "BANK", "CurrencyCode": "EUR"}),
    ("097", "Stripe Clearing EUR", "BANK", "NONE", {"BankAccountNumber": "STRIPE-EUR", "BankAccountType": "BANK",
                                                    "CurrencyCode": "EUR"}),
]

# (TaxType, Name, rate %, ReportTaxType, applies to revenue, expenses, assets/liabilities/equity)
TAX_RATES = [
    ("NONE", "Tax Exempt", "0", "NONE", True, True, True),
    ("OUTPUT", "Sales Tax", "8.25", "OUTPUT", True, False, True),
    ("INPUT", "Tax on Purchases", "0", "INPUT", False, True, True),
    ("TAX001", "CA State Sales Tax", "7.25", "OUTPUT", True, False, True),
]

TRACKING = [("Region", ["North America", "Europe", "Asia Pacific"]),
            ("Channel", ["Stripe Checkout", "Stripe Billing", "Manual"])]

CURRENCY_NAMES = {"USD": "United States Dollar", "EUR": "Euro", "GBP": "British Pound", "AUD": "Australian Dollar",
                  "CAD": "Canadian Dollar", "NZD": "New Zealand Dollar", "JPY": "Japanese Yen"}

CREATED_MS = 1704067200000  # 2024-01-01T00:00:00Z: when the demo companies "were set up"


def make_account(tenant_slug: str, code: str, name: str, type_: str, tax_type: str, extra: dict,
                 base_currency: str, updated_ms: int = CREATED_MS, account_id: str | None = None) -> dict:
    klass = ACCOUNT_CLASS[type_]
    reporting_code, reporting_name = _REPORTING[klass]
    account = {
        "AccountID": account_id or stable_id(tenant_slug, "account", code),
        "Code": code, "Name": name, "Status": "ACTIVE", "Type": type_, "TaxType": tax_type,
        "Class": klass, "EnablePaymentsToAccount": False, "ShowInExpenseClaims": False,
        "ReportingCode": reporting_code, "ReportingCodeName": reporting_name,
        "HasAttachments": False, "AddToWatchlist": False, "UpdatedDateUTC": updated_ms,
    }
    if type_ == "BANK":
        account["CurrencyCode"] = base_currency
    account.update(extra)
    return account


def _tax_rate(tax_type: str, name: str, rate: str, report: str, revenue: bool, expenses: bool,
              balance: bool) -> dict:
    value = Decimal(rate)
    return {
        "Name": name, "TaxType": tax_type, "Status": "ACTIVE", "ReportTaxType": report,
        "TaxComponents": [{"Name": name, "Rate": value, "IsCompound": False, "IsNonRecoverable": False}],
        "CanApplyToAssets": balance, "CanApplyToEquity": balance, "CanApplyToExpenses": expenses,
        "CanApplyToLiabilities": balance, "CanApplyToRevenue": revenue,
        "DisplayTaxRate": value, "EffectiveRate": value,
    }


def _organisation(tenant_id: str, name: str, version: str, short_code: str) -> dict:
    return {
        "OrganisationID": tenant_id, "APIKey": short_code.strip("!").upper() + "SANDBOXKEY",
        "Name": name, "LegalName": name.replace("Demo Company", "Demo Company Inc."), "PaysTax": True,
        "Version": version, "OrganisationType": "COMPANY", "BaseCurrency": "USD", "CountryCode": "US",
        "IsDemoCompany": True, "OrganisationStatus": "ACTIVE", "FinancialYearEndDay": 31,
        "FinancialYearEndMonth": 12, "SalesTaxBasis": "ACCRUALS", "SalesTaxPeriod": "QUARTERLY",
        "DefaultSalesTax": "Tax Exclusive", "DefaultPurchasesTax": "Tax Exclusive",
        "CreatedDateUTC": CREATED_MS, "Timezone": "EASTERNSTANDARDTIME", "OrganisationEntityType": "COMPANY",
        "ShortCode": short_code, "Class": "DEMO", "Edition": "BUSINESS", "LineOfBusiness": "Software",
        "Addresses": [{"AddressType": "STREET", "AddressLine1": "100 Market Street", "City": "San Francisco",
                       "Region": "CA", "PostalCode": "94105", "Country": "United States"}],
        "Phones": [], "ExternalLinks": [], "PaymentTerms": {},
    }


def build_books(tenant_id: str, tenant_slug: str, name: str, version: str, short_code: str,
                chart: list[tuple[str, str, str, str, dict]], currencies: list[str],
                fx_rates: dict[str, Decimal]) -> Books:
    books = Books(tenant_id, _organisation(tenant_id, name, version, short_code), fx_rates)
    for code, acc_name, type_, tax_type, extra in chart:
        account = make_account(tenant_slug, code, acc_name, type_, tax_type, extra, "USD")
        books.data["accounts"][account["AccountID"]] = account
    for row in TAX_RATES:
        rate = _tax_rate(*row)
        books.data["tax_rates"][rate["TaxType"].lower()] = rate
    for cat_name, options in TRACKING:
        cat_id = stable_id(tenant_slug, "tracking", cat_name)
        books.data["tracking_categories"][cat_id] = {
            "TrackingCategoryID": cat_id, "Name": cat_name, "Status": "ACTIVE",
            "Options": [{"TrackingOptionID": stable_id(tenant_slug, "tracking", cat_name, opt), "Name": opt,
                         "Status": "ACTIVE"} for opt in options],
        }
    for code in currencies:
        books.data["currencies"][code.lower()] = {"Code": code, "Description": CURRENCY_NAMES.get(code, code)}
    return books


def default_organisations() -> dict[str, Books]:
    """Demo Company (US): USD only. Demo Company (Global): base USD with EUR and GBP."""
    us = build_books(US_TENANT_ID, "demo-us", "Demo Company (US)", "US", "!sbxUS",
                     US_CHART, ["USD"], {})
    global_ = build_books(GLOBAL_TENANT_ID, "demo-global", "Demo Company (Global)", "GLOBAL", "!sbxGL",
                          US_CHART + GLOBAL_EXTRA, ["USD", "EUR", "GBP"],
                          {"EUR": Decimal("0.920000"), "GBP": Decimal("0.790000")})
    global_.organisation["_multicurrency"] = True
    return {us.tenant_id: us, global_.tenant_id: global_}
