"""Beancount names and amounts: valid account names by role, currencies' decimals, prices Beancount accepts."""

from __future__ import annotations

import datetime as dt

from beancount import loader

from ledger_pipeline.export import beancount_text as bc
from ledger_pipeline.export.beancount_accounts import account_names, component, root_for


def test_accounts_are_named_from_the_mapping_under_the_root_their_roles_give():
    assert component("Accounts Receivable (A/R)") == "Accounts-Receivable-A-R"
    assert component("Käse-Abo 🧀") == "Kase-Abo" and component("stripe clearing") == "Stripe-clearing"
    assert component("👥") == "Account"
    assert root_for(["bank", "topups"]) == "Assets" and root_for(["tax"]) == "Liabilities"
    assert root_for(["refunds", "discounts"]) == "Income" and root_for(["fee", "stripe_fee"]) == "Expenses"
    assert root_for(["adjustments", "clearing"]) == "Assets"         # the balance sheet side wins
    assert root_for(["something_new"]) == "Expenses"
    # two accounts with one name keep apart by their refs
    named = account_names([("1", "Checking", ["bank"]), ("52", "Checking", ["bank"]),
                           ("3", "Stripe Clearing", ["clearing"])])
    assert named == {"1": "Assets:Checking-1", "52": "Assets:Checking-52", "3": "Assets:Stripe-Clearing"}


def test_amounts_keep_each_currency_decimals_and_balance_in_the_books_currency():
    assert bc.number(1230, "usd") == "12.30" and bc.number(-5, "eur") == "-0.05"
    assert bc.number(9800, "jpy") == "9800" and bc.number(1234, "kwd") == "1.234" and bc.number(0, "kwd") == "0.000"
    assert bc.amounts(9680, 9680, "usd", "usd") == ["96.80 USD"]
    assert bc.amounts(-11810, -12814, "eur", "usd") == ["-118.10 EUR @@ 128.14 USD"]
    assert bc.amounts(0, -1, "eur", "usd") == ["-0.01 USD"]                      # a rounding line
    assert bc.amounts(1, -1, "eur", "usd") == ["0.01 EUR @@ 0.00 USD", "-0.01 USD"]   # never a negative price
    assert bc.amounts(0, 0, "eur", "usd") == []
    assert bc.text('say "hi" \\ bye\nnow') == '"say \\"hi\\" \\\\ bye now"'


def test_beancount_accepts_the_split_and_rounded_postings(tmp_path):
    day = dt.date(2026, 10, 3)
    lines = [*bc.commodity(day, "usd"), *bc.commodity(day, "eur")]
    for account in ("Assets:Stripe-Clearing-EUR", "Income:Sales", "Expenses:Rounding"):
        lines += bc.open_account(day, account, "1", account, ["x"])
    lines += bc.transaction(day, "po_1", 'Stripe payout "po_1"', "po_1", (("entry_key", "demo/x"), ("lines", 3)))
    lines += bc.postings("Assets:Stripe-Clearing-EUR", 30, 11811, 12815, "eur", "usd", (("line", 1),))
    lines += bc.postings("Income:Sales", 30, -11810, -12814, "eur", "usd")
    lines += bc.postings("Income:Sales", 30, -1, 1, "eur", "usd")
    lines += bc.postings("Expenses:Rounding", 30, 0, -2, "eur", "usd")
    lines += ["", *bc.balance(day + dt.timedelta(days=1), "Assets:Stripe-Clearing-EUR", 11811, "eur", "clearing")]
    path = tmp_path / "t.beancount"
    path.write_text("\n".join(lines) + "\n")
    entries, errors, _ = loader.load_file(str(path))
    assert errors == [] and len(entries) == 7
