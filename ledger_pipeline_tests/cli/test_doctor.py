"""`ledger-pipeline doctor`: every tenant's mapping, environment, tokens and books, through the pipeline's
own preflight; exit 1 with what to fix, exit 0 when all is ready."""

from __future__ import annotations

import duckdb

from ledger_pipeline.sandbox.quickbooks import US_REALM


def _tenant_lines(out: str, tenant: str) -> list[str]:
    block = out.split(f"\n{tenant}\n", 1)[1] if not out.startswith(f"{tenant}\n") else out[len(tenant) + 1:]
    lines = []
    for line in block.splitlines():
        if not line.startswith("  "):
            break
        lines.append(line.strip())
    return lines


def test_doctor_passes_for_a_good_setup(cli, capsys):
    cli.connect_all()
    assert cli.run("doctor") == 0
    out = capsys.readouterr().out
    shop, studio = _tenant_lines(out, "shop"), _tenant_lines(out, "studio")
    assert all(line.startswith("OK") for line in shop + studio), out
    assert "OK   QuickBooks company 'Sandbox Company US' answers (home currency USD)" in shop
    assert any(line.startswith("OK   accounts: 19 checked, all fit") for line in shop)
    assert "OK   Xero organisation 'Demo Company (US)' answers (home currency USD)" in studio
    assert out.rstrip().endswith("2 tenant(s): 2 ready")


def test_doctor_names_an_account_the_company_does_not_have(cli, capsys):
    cli.connect_all()
    cli.edit("shop.yaml", 'stripe_fee: {ref: "31"', 'stripe_fee: {ref: "99"')
    cli.edit("studio.yaml", 'stripe_fee: {ref: "405"', 'stripe_fee: {ref: "407"')
    assert cli.run("doctor") == 1
    out = capsys.readouterr().out
    shop, studio = _tenant_lines(out, "shop"), _tenant_lines(out, "studio")
    assert ("FIX  QuickBooks has no account with Id 99. Fix: in mappings/shop.yaml, change `fees.stripe_fee` to an "
            "account Id of this company (Chart of accounts), or create the account in QuickBooks") in shop
    assert any(line.startswith("FIX  Xero has no account with code 407. Fix:") and "mappings/studio.yaml" in line
               and "`fees.stripe_fee`" in line for line in studio), studio
    assert out.rstrip().endswith("2 tenant(s): 0 ready, to fix: shop, studio")


def test_doctor_says_what_to_set_up_first(cli, capsys, monkeypatch):
    cli.edit("studio.yaml", "  rounding:", "  roundng:")
    monkeypatch.delenv("STRIPE_API_KEY")
    assert cli.run("doctor") == 1
    out = capsys.readouterr().out
    shop, studio = _tenant_lines(out, "shop"), _tenant_lines(out, "studio")
    assert "FIX  STRIPE_API_KEY is not set: export the Stripe secret key (sk_live_... or a restricted key) as " \
           "STRIPE_API_KEY" in shop
    assert (f"FIX  no QuickBooks tokens for company 9130350000000001 in {cli.store.path}: "
            "run `ledger-pipeline connect quickbooks --tenant shop` and approve this company") in shop
    assert any(line.startswith("FIX  mappings/studio.yaml:") and "accounts.roundng: is not a key this section knows"
               in line for line in studio), studio

    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_sandbox")
    monkeypatch.delenv("LEDGER_TOKEN_KEY")
    assert cli.run("doctor", "--tenant", "shop") == 1
    assert "FIX  LEDGER_TOKEN_KEY is not set" in capsys.readouterr().out


def test_doctor_covers_discovered_connected_accounts_without_touching_their_warehouse(cli, capsys):
    cli.connect_all()
    config = cli.root / "ledger_pipeline.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - key: shop\n",
                                                                  "  - key: shop\n    connected_accounts: discover\n"),
                      encoding="utf-8")
    (cli.root / "warehouse").mkdir()
    duckdb.connect(str(cli.root / "warehouse" / "shop.acct_123.duckdb")).close()
    (cli.mappings / "shop.connected.yaml").write_text(
        (cli.mappings / "shop.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert cli.run("doctor") == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "OK   mappings/shop.connected.yaml is valid: posts to QuickBooks company " + US_REALM in \
           _tenant_lines(out, "shop.acct_123")
    assert out.rstrip().endswith("3 tenant(s): 3 ready")
    with duckdb.connect(str(cli.root / "warehouse" / "shop.acct_123.duckdb"), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0] == 0
