"""The Xero account Types that fit each mapping role (the Xero twin of defs/quickbooks/readiness.ROLE_TYPES).

A role not listed takes any type: transfers, adjustments, rounding and categories mean different things
to different businesses (Xero's own Rounding account is a current liability, for one).
"""

from __future__ import annotations

INCOME = frozenset({"REVENUE", "SALES", "OTHERINCOME"})
EXPENSE = frozenset({"EXPENSE", "OVERHEADS", "DIRECTCOSTS"})

ROLE_TYPES: dict[str, frozenset[str]] = {
    "clearing": frozenset({"BANK", "CURRENT"}),
    "bank": frozenset({"BANK"}),
    "topups": frozenset({"BANK"}),
    "reserves": frozenset({"BANK", "CURRENT"}),
    "receivables": frozenset({"CURRENT"}),
    "tax_payable": frozenset({"CURRLIAB", "LIABILITY"}),
    "tax_rate": frozenset({"CURRLIAB", "LIABILITY"}),
    "opening_balance_equity": frozenset({"EQUITY"}),
    "revenue": INCOME, "platform_fees": INCOME, "product": INCOME,
    "refunds": INCOME | EXPENSE, "discounts": INCOME | EXPENSE,
    "fee": EXPENSE, "stripe_fee": EXPENSE, "dispute_fees": EXPENSE, "currency_conversion_fees": EXPENSE,
    "disputes": EXPENSE | INCOME, "exchange_gain_loss": EXPENSE | INCOME,
}
