"""The two default sandbox companies: a US chart of accounts fit for Stripe money, tax codes, items.

Account Ids are fixed here so a mapping file can name them ("Stripe Fees" is always Account 31).
"""

from __future__ import annotations

from decimal import Decimal

from . import account_types as at
from .dates import timestamp
from .store import Company

US_REALM = "9130350000000001"
MULTICURRENCY_REALM = "9130350000000002"

# Id, Name, AccountType, AccountSubType, AcctNum, currency (None = home)
US_CHART: list[tuple[str, str, str, str, str, str | None]] = [
    ("1", "Checking", "Bank", "Checking", "1000", None),
    ("2", "Savings", "Bank", "Savings", "1010", None),
    ("3", "Stripe Clearing", "Bank", "CashOnHand", "1050", None),
    ("4", "Undeposited Funds", "Other Current Asset", "UndepositedFunds", "1200", None),
    ("5", "Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable", "1100", None),
    ("6", "Stripe Reserve", "Other Current Asset", "OtherCurrentAssets", "1060", None),
    ("7", "Prepaid Expenses", "Other Current Asset", "PrepaidExpenses", "1300", None),
    ("8", "Inventory Asset", "Other Current Asset", "Inventory", "1400", None),
    ("9", "Uncategorized Asset", "Other Current Asset", "OtherCurrentAssets", "1900", None),
    ("10", "Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable", "2000", None),
    ("11", "Company Credit Card", "Credit Card", "CreditCard", "2100", None),
    ("12", "Sales Tax Payable", "Other Current Liability", "SalesTaxPayable", "2200", None),
    ("13", "Customer Credits", "Other Current Liability", "OtherCurrentLiabilities", "2300", None),
    ("14", "Opening Balance Equity", "Equity", "OpeningBalanceEquity", "3000", None),
    ("15", "Retained Earnings", "Equity", "RetainedEarnings", "3100", None),
    ("16", "Owner's Investment", "Equity", "OwnersEquity", "3200", None),
    ("20", "Sales of Product Income", "Income", "SalesOfProductIncome", "4000", None),
    ("21", "Services", "Income", "ServiceFeeIncome", "4100", None),
    ("22", "Platform Fee Income", "Income", "OtherPrimaryIncome", "4200", None),
    ("23", "Refunds and Discounts", "Income", "DiscountsRefundsGiven", "4900", None),
    ("24", "Uncategorized Income", "Income", "ServiceFeeIncome", "4990", None),
    ("25", "Interest Earned", "Other Income", "InterestEarned", "7000", None),
    ("30", "Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs", "5000", None),
    ("31", "Stripe Fees", "Expense", "BankCharges", "6000", None),
    ("32", "Merchant Fees", "Expense", "BankCharges", "6010", None),
    ("33", "Bank Charges", "Expense", "BankCharges", "6020", None),
    ("34", "Chargebacks and Disputes", "Expense", "OtherMiscellaneousServiceCost", "6100", None),
    ("35", "Transfers Out", "Expense", "OtherMiscellaneousServiceCost", "6200", None),
    ("36", "Uncategorized Expense", "Expense", "OtherMiscellaneousServiceCost", "6900", None),
    ("37", "Exchange Gain or Loss", "Other Expense", "ExchangeGainOrLoss", "8000", None),
    ("38", "Rounding", "Other Expense", "OtherMiscellaneousExpense", "8100", None),
]

# the multicurrency company adds foreign-currency accounts (QBO: one currency per bank/AR account)
FOREIGN_CHART: list[tuple[str, str, str, str, str, str | None]] = [
    ("50", "Stripe Clearing EUR", "Bank", "CashOnHand", "1051", "EUR"),
    ("51", "Stripe Clearing GBP", "Bank", "CashOnHand", "1052", "GBP"),
    ("52", "Checking EUR", "Bank", "Checking", "1001", "EUR"),
    ("53", "Accounts Receivable (A/R) - EUR", "Accounts Receivable", "AccountsReceivable", "1101", "EUR"),
    ("54", "Accounts Receivable (A/R) - GBP", "Accounts Receivable", "AccountsReceivable", "1102", "GBP"),
]

ACCOUNT_IDS = {name: ident for ident, name, *_ in US_CHART + FOREIGN_CHART}

# Id, Name, Type, income account Id, taxable
ITEMS = [
    ("1", "Services", "Service", "21", False),
    ("2", "Sales", "NonInventory", "20", True),
    ("3", "Subscription", "Service", "21", False),
    ("4", "Platform Fee", "Service", "22", False),
]

TAX_RATES = [  # Id, Name, RateValue
    ("1", "California", Decimal("7.25")),
    ("2", "San Francisco", Decimal("1.375")),
    ("3", "Out of State", Decimal("0")),
]
TAX_CODES = [  # Id, Name, taxable, sales rate Ids
    ("TAX", "TAX", True, []),
    ("NON", "NON", False, []),
    ("2", "California", True, ["1"]),
    ("3", "San Francisco", True, ["1", "2"]),
    ("4", "Out of State", True, ["3"]),
]

DEFAULT_EXCHANGE_RATES = {"EUR": Decimal("1.08"), "GBP": Decimal("1.27"), "CAD": Decimal("0.73")}


def _meta(now: float, tz: str) -> dict:
    stamp = timestamp(now, tz)
    return {"CreateTime": stamp, "LastUpdatedTime": stamp}


def _base(ident: str, now: float, tz: str) -> dict:
    return {"Id": ident, "SyncToken": "0", "MetaData": _meta(now, tz), "domain": "QBO", "sparse": False}


def _currency_ref(code: str) -> dict:
    return {"value": code, "name": at.CURRENCY_NAMES.get(code, code)}


def build_company(realm_id: str, name: str, now: float, *, multicurrency: bool,
                  foreign_currencies: tuple[str, ...] = (), timezone: str = "America/Los_Angeles") -> Company:
    company = Company(realm_id, name, timezone=timezone, exchange_rates=DEFAULT_EXCHANGE_RATES)
    tz = company.timezone

    company.put("Preferences", {
        **_base("1", now, tz),
        "AccountingInfoPrefs": {"TrackDepartments": True, "DepartmentTerminology": "Location",
                                "ClassTrackingPerTxnLine": True, "ClassTrackingPerTxn": False,
                                "CustomerTerminology": "Customers", "FirstMonthOfFiscalYear": "January",
                                "UseAccountNumbers": True, "TaxYearMonth": "January"},
        "ProductAndServicesPrefs": {"ForSales": True, "ForPurchase": True, "QuantityWithPriceAndRate": True,
                                    "QuantityOnHand": True},
        "SalesFormsPrefs": {"CustomTxnNumbers": False, "AllowDeposit": True, "AllowDiscount": True,
                            "AllowEstimates": True, "AutoApplyCredit": True, "AutoApplyPayments": True,
                            "AllowShipping": False, "AllowServiceDate": False, "ETransactionEnabledStatus":
                            "NotApplicable", "IPNSupportEnabled": False},
        "VendorAndPurchasesPrefs": {"TrackingByCustomer": True, "BillableExpenseTracking": True},
        "TaxPrefs": {"UsingSalesTax": True, "PartnerTaxEnabled": True},
        "ReportPrefs": {"ReportBasis": "Accrual", "CalcAgingReportFromTxnDate": False},
        "CurrencyPrefs": {"HomeCurrency": {"value": "USD"}, "MultiCurrencyEnabled": multicurrency},
        "OtherPrefs": {"NameValue": [
            {"Name": "SalesFormsPrefs.DefaultCustomerMessage", "Value": "Thank you for your business."},
            {"Name": "WarnDuplicateDocNumber", "Value": "true"},
        ]},
    })
    company.put("CompanyInfo", {
        **_base("1", now, tz),
        "CompanyName": name, "LegalName": name + " LLC",
        "CompanyAddr": {"Id": "1", "Line1": "123 Sierra Way", "City": "San Pablo",
                        "CountrySubDivisionCode": "CA", "PostalCode": "87999", "Country": "US"},
        "Country": "US", "FiscalYearStartMonth": "January", "SupportedLanguages": "en",
        "CompanyStartDate": "2024-01-01", "Email": {"Address": "books@sandbox.invalid"},
        "NameValue": [{"Name": "NeoEnabled", "Value": "true"}, {"Name": "IndustryType", "Value": "Software"}],
    })

    chart = US_CHART + [row for row in FOREIGN_CHART if row[5] in foreign_currencies]
    for ident, acc_name, acc_type, subtype, number, currency in chart:
        company.put("Account", {
            **_base(ident, now, tz), "Name": acc_name, "FullyQualifiedName": acc_name, "SubAccount": False,
            "Active": True, "Classification": at.classification(acc_type), "AccountType": acc_type,
            "AccountSubType": subtype, "AcctNum": number, "CurrencyRef": _currency_ref(currency or "USD"),
            "CurrentBalance": Decimal("0"), "CurrentBalanceWithSubAccounts": Decimal("0"),
        })
    company.next_ids["Account"] = 100

    for ident, rate_name, value in TAX_RATES:
        company.put("TaxRate", {**_base(ident, now, tz), "Name": rate_name, "Description": rate_name + " sales tax",
                                "Active": True, "RateValue": value, "SpecialTaxType": "NONE",
                                "DisplayType": "ReadOnly", "AgencyRef": {"value": "1"}})
    for ident, code_name, taxable, rate_ids in TAX_CODES:
        code = {**_base(ident, now, tz), "Name": code_name, "Description": code_name, "Active": True,
                "Taxable": taxable, "TaxGroup": len(rate_ids) > 1, "Hidden": False}
        code["SalesTaxRateList"] = {"TaxRateDetail": [
            {"TaxRateRef": {"value": r}, "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0} for r in rate_ids]}
        code["PurchaseTaxRateList"] = {"TaxRateDetail": []}
        company.put("TaxCode", code)

    for ident, item_name, item_type, income, taxable in ITEMS:
        company.put("Item", {**_base(ident, now, tz), "Name": item_name, "FullyQualifiedName": item_name,
                             "Active": True, "Type": item_type, "Taxable": taxable, "UnitPrice": Decimal("0"),
                             "IncomeAccountRef": {"value": income}, "TrackQtyOnHand": False,
                             "SubItem": False, "Level": 0})
    for ident, class_name in (("1", "Online"), ("2", "Marketplace")):
        company.put("Class", {**_base(ident, now, tz), "Name": class_name, "FullyQualifiedName": class_name,
                              "SubClass": False, "Active": True})
    company.put("Department", {**_base("1", now, tz), "Name": "US", "FullyQualifiedName": "US",
                               "SubDepartment": False, "Active": True})
    company.put("Vendor", {**_base("1", now, tz), "DisplayName": "Stripe", "CompanyName": "Stripe, Inc.",
                           "PrintOnCheckName": "Stripe, Inc.", "Active": True, "Balance": Decimal("0"),
                           "Vendor1099": False, "CurrencyRef": _currency_ref("USD")})
    for n, code in enumerate(foreign_currencies, start=1):
        company.put("CompanyCurrency", {**_base(str(n), now, tz), "Code": code,
                                        "Name": at.CURRENCY_NAMES.get(code, code), "Active": True})
    return company


def default_companies(now: float) -> dict[str, Company]:
    return {
        US_REALM: build_company(US_REALM, "Sandbox Company US", now, multicurrency=False),
        MULTICURRENCY_REALM: build_company(MULTICURRENCY_REALM, "Sandbox Company Multicurrency", now,
                                           multicurrency=True, foreign_currencies=("EUR", "GBP")),
    }
