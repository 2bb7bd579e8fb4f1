"""Preflight findings: what stops posting, said so an accountant can fix it (in the books or the mapping)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    check: str     # token | company | account | payment_account | currency | tax
    subject: str   # the account id/code, currency, tax code ... it is about
    problem: str   # what is wrong
    fix: str       # what to change, and where

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.problem} Fix: {self.fix}"
