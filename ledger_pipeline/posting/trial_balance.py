"""A trial balance read back from the books, the same shape for both targets (Decimal, never float)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class TrialBalanceLine:
    account_id: str     # QuickBooks Account Id / Xero AccountID
    name: str           # as the report labels it
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        """Debit-positive."""
        return self.debit - self.credit


@dataclass(frozen=True)
class TrialBalance:
    as_of: dt.date | None
    currency: str | None
    lines: tuple[TrialBalanceLine, ...]

    def balances(self) -> dict[str, Decimal]:
        """Debit-positive balance per account id (accounts without activity are absent)."""
        return {line.account_id: line.balance for line in self.lines}

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal(0))

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal(0))


def amount(text: object) -> Decimal:
    """A report cell: '' is zero; thousands separators are dropped."""
    value = str(text or "").replace(",", "").strip()
    return Decimal(value) if value else Decimal(0)
