"""Beancount account names for the target's accounts: a root by what the account does, a name from the mapping.

One Beancount account per target account (its `ref`), named from the mapping's readable name under the root
its roles give it: Stripe Clearing and the bank are Assets, tax collected a Liability, sales Income, fees
Expenses. When one account plays roles under different roots (rare), the first of Assets, Liabilities,
Equity, Income, Expenses wins: the balance sheet side decides what the account is.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")
ROLE_ROOTS = {
    "clearing": "Assets", "bank": "Assets", "reserves": "Assets", "receivables": "Assets", "topups": "Assets",
    "tax": "Liabilities", "tax_payable": "Liabilities",
    "opening_balance_equity": "Equity",
    "revenue": "Income", "discounts": "Income", "refunds": "Income", "platform_fees": "Income",
    "disputes": "Expenses", "dispute_fees": "Expenses", "fee": "Expenses", "stripe_fee": "Expenses",
    "currency_conversion_fees": "Expenses", "exchange_gain_loss": "Expenses", "rounding": "Expenses",
    "adjustments": "Expenses", "transfers": "Expenses", "category": "Expenses",
}
DEFAULT_ROOT = "Expenses"   # a role this export does not know yet still gets a valid, visible account


def root_for(roles: list[str]) -> str:
    found = {ROLE_ROOTS.get(role, DEFAULT_ROOT) for role in roles} or {DEFAULT_ROOT}
    return next(root for root in ROOTS if root in found)


def component(text: str) -> str:
    """A valid Beancount account component: ASCII letters, digits and dashes, starting with a capital or digit."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = [w for w in re.split(r"[^A-Za-z0-9]+", ascii_text) if w]
    name = "-".join(words)
    if not name:
        return "Account"
    return name[0].upper() + name[1:]


def account_names(accounts: list[tuple[str, str, list[str]]]) -> dict[str, str]:
    """ref -> Beancount account, for (ref, name, roles) rows; two refs with one name get their ref appended."""
    wanted = {ref: f"{root_for(roles)}:{component(name)}" for ref, name, roles in accounts}
    taken = Counter(wanted.values())
    return {ref: f"{name}-{component(ref)}" if taken[name] > 1 else name for ref, name in wanted.items()}
