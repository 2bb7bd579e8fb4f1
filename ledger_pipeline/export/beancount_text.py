"""Beancount's syntax for what the export writes: directives, postings, amounts and strings.

Amounts: a line posts its transaction-currency amount; when that is not the books currency it carries its
books amount as a total price (`-118.10 EUR @@ 128.14 USD`), so each transaction balances in the books
currency exactly as the journal does (a rounding line is a books-currency amount only), while Stripe
Clearing and the bank keep Stripe's own currency for the balance assertions. Beancount refuses negative
prices, so a line whose two amounts have opposite signs (offsetting postings rounded apart) posts twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ledger_pipeline.money import exponent, to_decimal

# Where each assertion's expected amount comes from, in the file for its reader.
SOURCES = {
    "clearing": "Stripe: the net of every balance transaction booked by then (plus an untraced stated opening)",
    "bank": "Stripe: the amount of every payout booked by then, less those returned (and top-ups from this bank)",
}


def header(tenant: str, mode: str, books: str) -> list[str]:
    return [f"; {tenant}: {mode.replace('_', '-')} journal from the ledger_pipeline warehouse, "
            f"books in {books.upper()}.",
            "; Written by `ledger-pipeline export beancount`: re-export rather than edit. Check with `bean-check`.",
            "; Balance assertions (zero tolerance) come from Stripe's staged figures, not from the lines above them.",
            f'option "title" {text(f"{tenant} ({mode}) in {books.upper()}")}',
            f'option "operating_currency" "{books.upper()}"', ""]


def commodity(on: dt.date, currency: str) -> list[str]:
    return [f"{on} commodity {currency.upper()}", f"  decimals: {exponent(currency)}"]


def open_account(on: dt.date, account: str, ref: str, name: str, roles: Iterable[str]) -> list[str]:
    return [f"{on} open {account}", f"  ref: {text(ref)}", f"  name: {text(name)}",
            f"  roles: {text(', '.join(roles))}"]


def transaction(on: dt.date, payee: str | None, narration: str, link: str | None,
                meta: Iterable[tuple[str, object]]) -> list[str]:
    linked = f" ^{link}" if link and all(ch.isascii() and (ch.isalnum() or ch in "-_/.") for ch in link) else ""
    shown_payee = f"{text(payee)} " if payee else ""
    return ["", f"{on} * {shown_payee}{text(narration)}{linked}",
            *(f"  {key}: {value if isinstance(value, int) else text(value)}"
              for key, value in meta if value is not None)]


def postings(account: str, width: int, amount: int, books_amount: int, currency: str, books: str,
             meta: Iterable[tuple[str, object]] = ()) -> list[str]:
    shown = [(key, value) for key, value in meta if value not in (None, "")]
    out = []
    for posted in amounts(amount, books_amount, currency, books):
        out.append(f"  {account:<{width}}{posted}")
        out += [f"    {key}: {value if isinstance(value, int) else text(value)}" for key, value in shown]
    return out


def balance(on: dt.date, account: str, expected: int, currency: str, role: str) -> list[str]:
    return [f"{on} balance {account}  {number(expected, currency)} ~ {number(0, currency)} {currency.upper()}",
            f"  computed_from: {text(SOURCES[role])}"]


def amounts(amount: int, books_amount: int, currency: str, books: str) -> list[str]:
    """The posting amounts of one line: its own currency, weighted in the books currency."""
    cur, bks = currency.upper(), books.upper()
    if currency == books:
        value = amount if amount else books_amount
        return [f"{number(value, currency)} {cur}"] if value else []
    if amount == 0:
        return [f"{number(books_amount, books)} {bks}"] if books_amount else []
    if books_amount == 0 or (amount > 0) == (books_amount > 0):
        return [f"{number(amount, currency)} {cur} @@ {number(abs(books_amount), books)} {bks}"]
    return [f"{number(amount, currency)} {cur} @@ {number(0, books)} {bks}", f"{number(books_amount, books)} {bks}"]


def number(minor_units: int, currency: str) -> str:
    """Minor units as the currency writes them: 12.30 USD, 9800 JPY, 1.234 KWD."""
    return format(to_decimal(int(minor_units), currency), "f")


def text(value: object) -> str:
    """A Beancount string: quoted, with quotes and backslashes escaped, on one line."""
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")
    return f'"{escaped}"'
