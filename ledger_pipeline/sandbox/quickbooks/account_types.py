"""What QuickBooks knows about account types: classification, normal side, default detail type."""

from __future__ import annotations

# AccountType -> (Classification, default AccountSubType)
ACCOUNT_TYPES: dict[str, tuple[str, str]] = {
    "Bank": ("Asset", "Checking"),
    "Accounts Receivable": ("Asset", "AccountsReceivable"),
    "Other Current Asset": ("Asset", "OtherCurrentAssets"),
    "Fixed Asset": ("Asset", "OtherFixedAssets"),
    "Other Asset": ("Asset", "OtherLongTermAssets"),
    "Accounts Payable": ("Liability", "AccountsPayable"),
    "Credit Card": ("Liability", "CreditCard"),
    "Other Current Liability": ("Liability", "OtherCurrentLiabilities"),
    "Long Term Liability": ("Liability", "OtherLongTermLiabilities"),
    "Equity": ("Equity", "OwnersEquity"),
    "Income": ("Revenue", "ServiceFeeIncome"),
    "Other Income": ("Revenue", "OtherMiscellaneousIncome"),
    "Cost of Goods Sold": ("Expense", "SuppliesMaterialsCogs"),
    "Expense": ("Expense", "OtherMiscellaneousServiceCost"),
    "Other Expense": ("Expense", "OtherMiscellaneousExpense"),
}

# QuickBooks also accepts the enum spelling (e.g. "AccountsReceivable", "OtherCurrentAsset")
ALIASES = {t.replace(" ", ""): t for t in ACCOUNT_TYPES} | {"Cost Of Goods Sold": "Cost of Goods Sold",
                                                              "CostofGoodsSold": "Cost of Goods Sold"}

BALANCE_SHEET = {"Asset", "Liability", "Equity"}
DEBIT_NORMAL = {"Asset", "Expense"}

BANK = "Bank"
AR = "Accounts Receivable"
AP = "Accounts Payable"
CREDIT_CARD = "Credit Card"


def canonical_type(account_type: str | None) -> str | None:
    if not account_type:
        return None
    if account_type in ACCOUNT_TYPES:
        return account_type
    return ALIASES.get(account_type.replace(" ", "")) or ALIASES.get(account_type)


def classification(account_type: str) -> str:
    return ACCOUNT_TYPES[account_type][0]


def is_balance_sheet(account: dict) -> bool:
    return account.get("Classification") in BALANCE_SHEET


def is_debit_normal(account: dict) -> bool:
    return account.get("Classification") in DEBIT_NORMAL


CURRENCY_NAMES = {
    "USD": "United States Dollar", "EUR": "Euro", "GBP": "British Pound Sterling", "CAD": "Canadian Dollar",
    "AUD": "Australian Dollar", "JPY": "Japanese Yen", "CHF": "Swiss Franc", "SEK": "Swedish Krona",
    "NZD": "New Zealand Dollar", "SGD": "Singapore Dollar", "DKK": "Danish Krone", "NOK": "Norwegian Krone",
    "MXN": "Mexican Peso", "INR": "Indian Rupee", "HKD": "Hong Kong Dollar",
}
