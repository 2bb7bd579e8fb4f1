"""The Beancount export: Beancount's own bean-check must accept it, and must reject it once the books are tampered with.

The balance assertions carry the proof: zero-tolerance balances of Stripe Clearing and the bank the morning
after every payout, computed from Stripe's staged figures. A changed line makes Beancount's running
balance differ from Stripe's, and bean-check says so.
"""

from __future__ import annotations

import re
from decimal import Decimal

from beancount import loader
from beancount.core import data

from ledger_pipeline.cli import main
from ledger_pipeline.export.beancount import write_ledgers

from .conftest import bean_check, run_sql

SUMMARY_PO_1 = "demo/payout_summary/summary/po_1/2026-10"


def _load(path):
    entries, errors, _ = loader.load_file(str(path))
    return entries, errors


def test_every_tenant_ledger_passes_bean_check(warehouse, tmp_path):
    written = write_ledgers(warehouse, warehouse.tenant_keys(), tmp_path / "out")
    assert [path.name for _, path in written] == ["demo.beancount", "demo.acct_eu.beancount",
                                                  "demo.acct_jp.beancount"]
    for ledger, path in written:
        result = bean_check(path)
        assert result.returncode == 0, (path.name, result.stdout)
        entries, errors = _load(path)
        assert errors == [], (path.name, errors)
        balances = [e for e in entries if isinstance(e, data.Balance)]
        assert len(balances) == ledger.assertions > 0
        assert all(b.tolerance == 0 for b in balances)          # to the cent, not Beancount's default half-cent
        transactions = [e for e in entries if isinstance(e, data.Transaction)]
        assert len(transactions) == ledger.entries
        assert all(t.meta["entry_key"].startswith(f"{ledger.tenant}/payout_summary/") for t in transactions)

    demo = (tmp_path / "out" / "demo.beancount").read_text()
    entries, _ = _load(tmp_path / "out" / "demo.beancount")
    opened = {e.account: e.meta for e in entries if isinstance(e, data.Open)}
    assert opened["Assets:Stripe-Clearing"]["ref"] == "3" and opened["Assets:Checking"]["ref"] == "1"
    assert opened["Liabilities:Sales-Tax-Payable"]["ref"] == "12"
    assert opened["Income:Services"]["ref"] == "21" and opened["Expenses:Stripe-Fees"]["ref"] == "31"
    assert opened["Equity:Opening-Balance-Equity"]["ref"] == "14"
    # five payouts to the bank, one of them returned: a morning-after check of clearing and bank for each
    checked = {(b.date.isoformat(), b.account) for b in entries if isinstance(b, data.Balance)}
    assert ("2026-10-04", "Assets:Stripe-Clearing") in checked and ("2026-10-08", "Assets:Checking") in checked
    summary = next(t for t in entries if isinstance(t, data.Transaction) and t.meta["entry_key"] == SUMMARY_PO_1)
    assert (summary.payee, summary.links) == ("po_1", frozenset({"po_1"}))
    clearing = next(p for p in summary.postings if p.account == "Assets:Stripe-Clearing")
    assert clearing.meta["stripe_balance_transactions"] == "txn_1,txn_2,txn_3,txn_re1"
    assert 'Income:Uncategorized-Income' in demo and "Expenses:Chargebacks-and-Disputes" in demo

    # EUR and KWD settle into USD books: each posting in its own currency, weighted in dollars; the cent the
    # conversion leaves goes to Rounding in dollars; KWD has three decimals
    eu = (tmp_path / "out" / "demo.acct_eu.beancount").read_text()
    assert re.search(r"Assets:Stripe-Clearing-EUR\s+108\.88 EUR @@ 118\.14 USD", eu), eu
    assert re.search(r"Expenses:Rounding\s+-0\.01 USD", eu)
    assert re.search(r"Assets:Stripe-Clearing-KWD\s+18\.762 KWD @@ 60\.98 USD", eu)
    assert "balance Assets:Stripe-Clearing-KWD  0.000 ~ 0.000 KWD" in eu
    # yen have no decimals
    jp = (tmp_path / "out" / "demo.acct_jp.beancount").read_text()
    assert re.search(r"Assets:Stripe-Clearing\s+124147 JPY\n", jp)
    assert "balance Assets:Checking  124147 ~ 0 JPY" in jp
    assert not re.search(r"\d\.\d+ JPY", jp)


def test_a_tampered_line_fails_the_balance_assertion(warehouse, tmp_path):
    # one line changed by a dollar: the entry no longer balances, and Stripe Clearing no longer matches Stripe
    run_sql(warehouse, "demo", "UPDATE journal.lines SET debit = debit + 100, books_debit = books_debit + 100 "
                               "WHERE entry_key = ? AND role = 'clearing'", [SUMMARY_PO_1])
    [(_, path)] = write_ledgers(warehouse, ["demo"], tmp_path / "one.beancount")
    result = bean_check(path)
    assert result.returncode != 0
    assert "Balance failed for 'Assets:Stripe-Clearing'" in result.stdout
    assert "(1.00 too much)" in result.stdout

    # a dollar moved from Sales to Stripe Clearing: the entry balances, only Stripe's figures catch it
    run_sql(warehouse, "demo", "UPDATE journal.lines SET credit = credit + 100, books_credit = books_credit + 100 "
                               "WHERE entry_key = ? AND role = 'revenue'", [SUMMARY_PO_1])
    write_ledgers(warehouse, ["demo"], path)
    result = bean_check(path)
    assert result.returncode != 0
    assert "does not balance" not in result.stdout
    failures = re.findall(r"Balance failed for '([^']+)'", result.stdout)
    assert set(failures) == {"Assets:Stripe-Clearing"} and len(failures) >= 1


def test_a_tampered_bank_line_fails_the_bank_assertion(warehouse, tmp_path):
    run_sql(warehouse, "demo", "UPDATE journal.lines SET debit = debit - 1, books_debit = books_debit - 1 "
                               "WHERE entry_key = 'demo/payout_summary/payout/po_2' AND role = 'bank'")
    run_sql(warehouse, "demo", "UPDATE journal.lines SET debit = debit + 1, books_debit = books_debit + 1 "
                               "WHERE entry_key = 'demo/payout_summary/payout/po_2' AND role = 'clearing'")
    [(_, path)] = write_ledgers(warehouse, ["demo"], tmp_path / "out")
    result = bean_check(path)
    assert "Balance failed for 'Assets:Checking'" in result.stdout and "(0.01 too little)" in result.stdout


def test_the_command_writes_a_window_with_balances_brought_forward(warehouse, tmp_path, capsys, monkeypatch):
    config = tmp_path / "ledger_pipeline.yaml"
    config.write_text(f'start_date: "2026-10-01"\nwarehouse:\n  directory: {warehouse.directory}\n'
                      "tenants:\n  - key: demo\n    connected_accounts: discover\n")
    monkeypatch.setenv("LEDGER_PIPELINE_CONFIG", str(config))
    out = tmp_path / "window"
    assert main(["export", "beancount", "--out", str(out), "--from", "2026-10-05", "--to", "2026-10-31",
                 "--check"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("bean-check: ok") == 3, printed
    demo = (out / "demo.beancount").read_text()
    assert '2026-10-05 * "Brought forward"' in demo
    entries, errors = _load(out / "demo.beancount")
    assert errors == []
    dates = [e.date.isoformat() for e in entries if isinstance(e, data.Transaction)]
    assert min(dates) == "2026-10-05" and max(dates) == "2026-10-31"
    # the October part of the payout across the month end is in, November's is not
    keys = {e.meta["entry_key"] for e in entries if isinstance(e, data.Transaction) and "entry_key" in e.meta}
    assert "demo/payout_summary/summary/po_5/2026-10" in keys and "demo/payout_summary/summary/po_5/2026-11" not in keys

    # one tenant into one file
    assert main(["export", "beancount", "--tenant", "demo.acct_jp", "--out", str(tmp_path / "jp.beancount")]) == 0
    jp_entries, errors = _load(tmp_path / "jp.beancount")
    assert errors == [] and any(isinstance(e, data.Balance) and e.amount.number == Decimal("124147")
                                for e in jp_entries)


def test_documents_mode_ledgers_pass_bean_check_and_catch_a_tampered_document(documents_warehouse, tmp_path):
    written = write_ledgers(documents_warehouse, documents_warehouse.tenant_keys(), tmp_path / "out")
    assert [(ledger.tenant, ledger.mode) for ledger, _ in written] == [("demo", "per_transaction"),
                                                                      ("demo.acct_eu", "per_transaction")]
    for ledger, path in written:
        result = bean_check(path)
        assert result.returncode == 0, (path.name, result.stdout)
        entries, errors = _load(path)
        assert errors == [] and ledger.assertions > 0
        kinds = {e.meta["document_type"] for e in entries if isinstance(e, data.Transaction)}
        assert {"sales_receipt", "transfer", "expense"} <= kinds

    # a sales receipt deposits a dollar less into Stripe Clearing, balanced against its sales line
    run_sql(documents_warehouse, "demo",
            "UPDATE journal.lines SET debit = debit - 100, books_debit = books_debit - 100 "
            "WHERE entry_key = 'demo/per_transaction/sales_receipt/ch_1' AND role = 'clearing'")
    run_sql(documents_warehouse, "demo",
            "UPDATE journal.lines SET credit = credit - 100, books_credit = books_credit - 100 "
            "WHERE entry_key = 'demo/per_transaction/sales_receipt/ch_1' AND role = 'revenue'")
    [(_, path)] = write_ledgers(documents_warehouse, ["demo"], tmp_path / "tampered.beancount")
    result = bean_check(path)
    assert result.returncode != 0 and "does not balance" not in result.stdout
    assert "Balance failed for 'Assets:Stripe-Clearing'" in result.stdout and "(1.00 too little)" in result.stdout
