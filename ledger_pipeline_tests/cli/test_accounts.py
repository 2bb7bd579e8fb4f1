"""`ledger-pipeline accounts`: the chart listed, the tenant's mapping checked against it (file:line and the
fix), and a starter mapping written from it that checks clean."""

from __future__ import annotations

from ledger_pipeline.defs.journal.mapping_file import load_mapping
from ledger_pipeline.posting import TokenSet
from ledger_pipeline.sandbox.quickbooks import MULTICURRENCY_REALM


def test_accounts_lists_the_quickbooks_chart(cli, capsys):
    cli.connect_all()
    assert cli.run("accounts", "--tenant", "shop") == 0
    out = capsys.readouterr().out
    assert "QuickBooks company 'Sandbox Company US' (9130350000000001), home currency USD: 31 accounts" in out
    rows = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert "Stripe Clearing" in rows["3"] and "Bank" in rows["3"] and rows["3"].rstrip().endswith("yes")
    assert "Stripe Fees" in rows["31"] and "Expense" in rows["31"]


def test_accounts_lists_the_xero_chart_with_who_takes_payments(cli, capsys):
    cli.connect_all()
    assert cli.run("accounts", "--tenant", "studio") == 0
    out = capsys.readouterr().out
    assert "Xero organisation 'Demo Company (US)'" in out
    header, _, *rows = out.splitlines()[1:]
    assert header.split() == ["Code", "Name", "Type", "Currency", "Active", "Payments"]
    by_code = {row.split()[0]: row.split() for row in rows}
    assert by_code["091"][-4:] == ["BANK", "USD", "yes", "yes"]
    assert by_code["094"][-2:] == ["yes", "no"]  # Stripe Reserve: a current asset that takes no payments


def test_check_names_a_missing_account_with_its_line_and_fix(cli, capsys):
    cli.connect_all()
    cli.edit("shop.yaml", 'revenue: {ref: "24"', 'revenue: {ref: "77"')
    cli.edit("shop.yaml", 'tax_payable: {ref: "12"', 'tax_payable: {ref: "31"')
    assert cli.run("accounts", "--tenant", "shop", "--check") == 1
    out = capsys.readouterr().out
    revenue, tax = cli.line_of("shop.yaml", "  revenue:"), cli.line_of("shop.yaml", "  tax_payable:")
    assert (f"mappings/shop.yaml:{revenue}: accounts.revenue: QuickBooks company 'Sandbox Company US' has no "
            "account 77. Fix: use the Id of one of its accounts") in out
    assert (f"mappings/shop.yaml:{tax}: accounts.tax_payable: account 31 'Stripe Fees' is of type Expense, this "
            "key needs Other Current Liability. Fix:") in out
    assert "2 problem(s) in mappings/shop.yaml" in out


def test_check_keeps_xero_payout_journals_off_bank_accounts(cli, capsys):
    cli.connect_all()
    cli.edit("studio.yaml", "posting_mode: per_transaction", "posting_mode: payout_summary")
    assert cli.run("accounts", "--tenant", "studio", "--check") == 1
    out = capsys.readouterr().out
    clearing = cli.line_of("studio.yaml", "    usd: {ref: \"091\"")
    assert (f"mappings/studio.yaml:{clearing}: accounts.clearing.usd: account 091 'Stripe Clearing' is of type BANK, "
            "this key needs CURRENT. Fix: name an account of type CURRENT here (Xero takes no manual journal on a "
            "bank account), or post per transaction") in out


def test_check_passes_for_a_mapping_that_fits(cli, capsys):
    cli.connect_all()
    assert cli.run("accounts", "--tenant", "studio", "--check") == 0
    assert "every account it names is in the chart" in capsys.readouterr().out


def test_write_a_starter_that_checks_clean_in_both_books(cli, capsys):
    cli.connect_all()
    for tenant in ("shop", "studio"):
        path = cli.mappings / f"{tenant}.yaml"
        assert cli.run("accounts", "--tenant", tenant, "--write", str(path)) == 1  # never over a file unasked
        assert cli.run("accounts", "--tenant", tenant, "--write", str(path), "--force") == 0
        assert cli.run("accounts", "--tenant", tenant, "--check") == 0, capsys.readouterr()
    assert cli.run("doctor") == 0, capsys.readouterr().out  # and the pipeline's own preflight is content
    shop, studio = (load_mapping(cli.mappings / f"{t}.yaml").content for t in ("shop", "studio"))
    assert shop.accounts.clearing["usd"].ref == "3" and shop.accounts.bank["usd"].ref == "1"
    assert shop.fees["stripe_fee"].ref == "31" and shop.accounts.tax_payable.ref == "12"
    assert studio.accounts.clearing["usd"].ref == "091" and studio.fees["stripe_fee"].ref == "405"
    assert studio.books.posting_mode == "per_transaction"  # Xero takes no manual journal on a bank account
    assert studio.accounts.exchange_gain_loss.name == "Realised Currency Gains"
    assert "REVIEW: every product lands in revenue" in (cli.mappings / "studio.yaml").read_text(encoding="utf-8")


def test_write_for_a_company_without_a_mapping_yet(cli, capsys):
    issued = cli.qbo.issue_tokens(MULTICURRENCY_REALM)
    cli.store.save("quickbooks", MULTICURRENCY_REALM, TokenSet(issued["access_token"], issued["refresh_token"], None))
    target = cli.mappings / "seller.yaml"
    assert cli.run("accounts", "--target", "quickbooks", "--company", MULTICURRENCY_REALM, "--write", str(target)) == 0
    assert "wrote" in capsys.readouterr().out
    books = load_mapping(target).content.books
    assert (books.target, books.company, books.currency) == ("quickbooks", MULTICURRENCY_REALM, "usd")
