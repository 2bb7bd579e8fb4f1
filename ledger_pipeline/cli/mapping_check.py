"""Every account a mapping file names, looked up in the company's chart: missing, inactive, or of a type
that does not fit the key it is under. Each problem is placed at its line in the file, with the fix.
"""

from __future__ import annotations

from typing import Any

from ledger_pipeline.cli.books import COMPANY_WORDS, TARGET_NAMES
from ledger_pipeline.cli.chart import ROLE_TYPES, Chart
from ledger_pipeline.defs.journal.mapping_file import Mapping, Problem, account_refs, problem_at
from ledger_pipeline.defs.xero.readiness import MONEY_ROLES as XERO_MONEY_ROLES

# The mapping section an account sits in -> the role whose account types it must have.
SECTION_ROLES = {"fees": "fee", "stripe_fees": "stripe_fee", "categories": "category", "products": "product",
                 "prices": "product", "tax_rates": "tax_rate"}


def role_of(path: tuple[Any, ...]) -> str:
    """`accounts.clearing.usd` -> clearing, `fees.stripe_fee` -> fee, `products[0].account` -> product."""
    return str(path[1]) if path[0] == "accounts" else SECTION_ROLES.get(str(path[0]), str(path[0]))


def fitting(chart: Chart, mapping: Mapping, role: str) -> tuple[frozenset[str] | None, str]:
    """The account types a role takes (None: any), and where else the fix may lie."""
    books = TARGET_NAMES[chart.target]
    if chart.target == "xero" and mapping.content.books.posting_mode == "payout_summary" and role in XERO_MONEY_ROLES:
        # as xero/preflight has it: payout summaries are manual journals, which Xero takes on no bank account
        return frozenset({"CURRENT"}), ("here (Xero takes no manual journal on a bank account), or post per "
                                        "transaction (`books.posting_mode: per_transaction`)")
    return ROLE_TYPES[chart.target].get(role), f"here, or change the account's type in {books}"


def check_mapping(mapping: Mapping, text: str, chart: Chart) -> list[Problem]:
    books = TARGET_NAMES[chart.target]
    company = f"{books} {COMPANY_WORDS[chart.target]} {chart.company_name!r}"
    listed = f"`ledger-pipeline accounts --target {chart.target} --company {chart.company}` lists them"
    at = problem_at(text)
    accounts = chart.by_ref()
    problems: list[Problem] = []
    for path, ref in account_refs(mapping.content):
        account = accounts.get(ref)
        if account is None:
            problems.append(at(path, f"{company} has no account {ref}",
                               f"use the {'Id' if chart.target == 'quickbooks' else 'code'} of one of its accounts "
                               f"({listed}), or create the account in {books}"))
            continue
        if not account.active:
            problems.append(at(path, f"account {ref} '{account.name}' is inactive",
                               f"make it active again in {books}, or name another account here"))
        wanted, where = fitting(chart, mapping, role_of(path))
        if wanted and account.type not in wanted:
            kinds = " or ".join(sorted(wanted))
            problems.append(at(path, f"account {ref} '{account.name}' is of type {account.type}, this key needs "
                                     f"{kinds}", f"name an account of type {kinds} {where}"))
    return problems
