"""A starter mapping file from a company's chart: for each key, the account whose type fits and whose name
says what it is for (Stripe Clearing, Stripe Fees, Sales, ...). Every guess is commented so a reviewer
knows which lines to look at before the first run.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ledger_pipeline.cli.books import COMPANY_WORDS, TARGET_NAMES
from ledger_pipeline.cli.chart import ROLE_TYPES, Chart, ChartAccount

PLACEHOLDER = "REPLACE"


@dataclass(frozen=True)
class Guess:
    key: str                          # accounts.<key>, or fees.stripe_fee / stripe_fees.other
    role: str                         # the account types it may have (chart.ROLE_TYPES)
    words: tuple[str, ...]            # what its name may say, best first
    why: str
    required: bool = False            # written even when no name fits (by type, or a placeholder)
    avoid: tuple[str, ...] = ()       # names that fit the type but mean something else
    same_as: str | None = None        # when no name fits: reuse this earlier key's account


GUESSES = (
    Guess("clearing", "clearing", ("stripe clearing", "stripe"), "the Stripe balance: an account of its own",
          True, ("reserve",)),
    Guess("bank", "bank", ("checking", "business bank", "current account", "operating", "bank"),
          "where payouts arrive", True, ("stripe", "savings")),
    Guess("revenue", "revenue", ("sales", "revenue", "income"), "payments with no product known", True,
          ("platform", "interest", "refund", "other", "uncategorized")),
    Guess("fees.stripe_fee", "stripe_fee", ("stripe fee", "merchant fee", "payment processing", "bank fee",
                                            "bank charge"), "Stripe's fee on each payment", True),
    Guess("refunds", "refunds", ("refund",), "money given back", True, same_as="revenue"),
    Guess("rounding", "rounding", ("rounding",), "cents lost converting currencies", True,
          same_as="fees.stripe_fee"),
    Guess("stripe_fees.other", "stripe_fee", ("stripe fee",), "Stripe's fees charged on their own (Billing, "
          "Radar, ...)", same_as="fees.stripe_fee"),
    Guess("disputes", "disputes", ("chargeback", "dispute"), "payments lost to disputes"),
    Guess("reserves", "reserves", ("stripe reserve", "reserve"), "money Stripe holds back"),
    Guess("platform_fees", "platform_fees", ("platform fee",), "application fees a platform earns"),
    Guess("tax_payable", "tax_payable", ("sales tax payable", "sales tax", "tax payable", "vat", "gst"),
          "tax collected, owed"),
    Guess("currency_conversion_fees", "currency_conversion_fees", ("conversion", "bank charge", "bank fee"),
          "Stripe's currency conversion fees"),
    Guess("exchange_gain_loss", "exchange_gain_loss", ("exchange gain", "realised currency", "realized currency",
                                                       "currency gain", "exchange"), "exchange differences",
          avoid=("unrealised", "unrealized")),
    Guess("receivables", "receivables", ("accounts receivable", "receivable", "debtors"),
          "Stripe invoices not yet paid (per-transaction mode)"),
    Guess("opening_balance_equity", "opening_balance_equity", ("opening balance",),
          "the Stripe balance before the first day booked"),
)


def guess_accounts(chart: Chart) -> dict[str, tuple[ChartAccount | None, str]]:
    """key -> (account or None for a placeholder, the comment saying how sure the guess is)."""
    fits = ROLE_TYPES[chart.target]
    usable = [a for a in chart.accounts if a.ref and a.active]
    picked: dict[str, tuple[ChartAccount | None, str]] = {}
    for guess in GUESSES:
        types = fits.get(guess.role)
        candidates = [a for a in usable if (not types or a.type in types)
                      and not any(word in a.name.lower() for word in guess.avoid)]
        found = _by_name(candidates, guess.words)
        if found is not None:
            picked[guess.key] = (found, f"{guess.why}; found by name")
        elif guess.same_as and picked.get(guess.same_as, (None, ""))[0] is not None:
            picked[guess.key] = (picked[guess.same_as][0], f"REVIEW: {guess.why}; no account named for it, so "
                                                             f"the one of {guess.same_as}")
        elif guess.required and candidates and types:
            picked[guess.key] = (candidates[0], f"REVIEW: {guess.why}; guessed by type only")
        elif guess.required:
            kinds = " or ".join(sorted(types)) if types else "a fitting type"
            picked[guess.key] = (None, f"REVIEW: {guess.why}; create an account of type {kinds} and put its ref here")
    return picked


def _by_name(candidates: list[ChartAccount], words: tuple[str, ...]) -> ChartAccount | None:
    for word in words:
        for account in candidates:
            if word in account.name.lower():
                return account
    return None


def starter_mapping(chart: Chart, tenant: str) -> str:
    """The text of the starter file."""
    picked = guess_accounts(chart)
    books = TARGET_NAMES[chart.target]
    currency = chart.home_currency.lower() or "usd"
    lines = [
        f"# Starter mapping for tenant {tenant}, written by `ledger-pipeline accounts --write` on {dt.date.today()}",
        f"# from the chart of accounts of {books} {COMPANY_WORDS[chart.target]} {chart.company_name!r}.",
        "# Every account below was picked by its type and name: read each line, above all those marked REVIEW,",
        f"# then check the file with `ledger-pipeline accounts --tenant {tenant} --check`. Keys left out hold their",
        "# transactions back in quarantine (naming the key to add) instead of booking them somewhere wrong;",
        "# mappings/README.md lists every key.",
        "",
        "books:",
        f"  currency: {currency}",
        f"  target: {chart.target}",
        f"  company: {json.dumps(chart.company)}",
        _posting_mode(chart, picked),
        "  payout_schedule: auto",
        "",
        "accounts:",
        "  clearing:",
        _line(f"    {currency}", picked.get("clearing")),
        "  bank:",
        _line(f"    {currency}", picked.get("bank")),
    ]
    for guess in GUESSES:
        if "." not in guess.key and guess.key not in ("clearing", "bank") and guess.key in picked:
            lines.append(_line(f"  {guess.key}", picked[guess.key]))
    for section in ("fees", "stripe_fees"):
        keys = [g.key for g in GUESSES if g.key.startswith(section + ".") and g.key in picked]
        if keys:
            lines += ["", f"{section}:"] + [_line(f"  {k.split('.', 1)[1]}", picked[k]) for k in keys]
    revenue = picked.get("revenue", (None, ""))[0]
    if revenue is not None:
        lines += ["", "products:                            # REVIEW: every product lands in revenue; add a rule per",
                  "  - name: \"*\"                        # product (name: or product: prod_...) above this one",
                  f"    account: {_ref(revenue)}"]
    return "\n".join(lines) + "\n"


def _posting_mode(chart: Chart, picked: dict[str, tuple[ChartAccount | None, str]]) -> str:
    """Payout summaries are manual journals, which Xero takes on no bank account: a Xero company keeping
    Stripe's balance in a bank account posts per transaction instead."""
    clearing = picked.get("clearing", (None, ""))[0]
    if chart.target == "xero" and clearing is not None and clearing.type == "BANK":
        return ("  posting_mode: per_transaction      # REVIEW: Xero takes no manual journal on a bank account; for "
                "one journal per payout, map clearing and bank to current assets and write payout_summary")
    return "  posting_mode: payout_summary       # one journal per payout; or per_transaction"


def _line(key: str, pick: tuple[ChartAccount | None, str] | None) -> str:
    account, why = pick or (None, "REVIEW: no account found")
    ref = _ref(account) if account is not None else f'{{ref: "{PLACEHOLDER}", name: "to create"}}'
    return f"{key}: {ref}".ljust(60) + f"  # {why}"


def _ref(account: ChartAccount) -> str:
    return f"{{ref: {json.dumps(account.ref)}, name: {json.dumps(account.name, ensure_ascii=False)}}}"
