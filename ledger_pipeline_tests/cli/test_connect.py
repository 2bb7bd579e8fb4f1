"""`ledger-pipeline connect quickbooks|xero`: the authorization-code flow end to end against the sandboxes,
the tokens stored where the loaders read them, and a forged state refused."""

from __future__ import annotations

from ledger_pipeline.sandbox.quickbooks import MULTICURRENCY_REALM, US_REALM
from ledger_pipeline.sandbox.xero import GLOBAL_TENANT_ID, US_TENANT_ID


def test_connect_quickbooks_stores_tokens_the_loader_can_use(cli, capsys):
    cli.browser()
    assert cli.run("connect", "quickbooks", "--tenant", "shop") == 0
    out = capsys.readouterr().out
    assert cli.pages[0].status_code == 200 and "Signed in" in cli.pages[0].text
    assert "Redirect URI: http://localhost:" in out and "/callback" in out
    assert "Connected: QuickBooks company 'Sandbox Company US' (realm id 9130350000000001)" in out
    assert "mappings/shop.yaml already posts to this company" in out
    tokens = cli.store.load("quickbooks", US_REALM)
    assert tokens is not None and tokens.extra["realm_id"] == US_REALM and tokens.refresh_expires_at
    assert tokens.access_token not in out and tokens.refresh_token not in out
    # a loader-style client, built as a Dagster run builds it, works with what was stored
    assert cli.quickbooks_client(US_REALM).company_info()["CompanyName"] == "Sandbox Company US"


def test_connect_quickbooks_to_the_company_chosen_at_consent(cli, capsys):
    cli.browser(pick={"realm_id": MULTICURRENCY_REALM})
    assert cli.run("connect", "quickbooks", "--tenant", "shop") == 0
    out = capsys.readouterr().out
    assert "'Sandbox Company Multicurrency'" in out
    assert f'In mappings/shop.yaml set:\n  books:\n    target: quickbooks\n    company: "{MULTICURRENCY_REALM}"' in out
    assert cli.store.load("quickbooks", US_REALM) is None
    assert cli.quickbooks_client(MULTICURRENCY_REALM).company_info()["CompanyName"] == "Sandbox Company Multicurrency"


def test_a_forged_state_is_refused_and_nothing_is_stored(cli, capsys):
    cli.browser(forge_state=True)
    assert cli.run("connect", "quickbooks") == 1
    err = capsys.readouterr().err
    page = cli.pages[0]
    assert page.status_code == 400 and "does not match this sign-in" in page.text
    assert "state that does not match" in err and "nothing was stored" in err
    assert cli.store.load("quickbooks", US_REALM) is None


def test_connect_xero_with_one_organisation_chosen_at_consent(cli, capsys):
    cli.browser(pick={"tenant_id": US_TENANT_ID})
    assert cli.run("connect", "xero", "--tenant", "studio") == 0
    out = capsys.readouterr().out
    assert f"Connected: Xero organisation 'Demo Company (US)' (tenant id {US_TENANT_ID})" in out
    assert "mappings/studio.yaml already posts to this organisation" in out
    tokens = cli.store.load("xero", US_TENANT_ID)
    assert tokens is not None and "offline_access" in tokens.extra["scope"]
    assert tokens.access_token not in out and tokens.refresh_token not in out
    assert cli.xero_client(US_TENANT_ID).organisation().name == "Demo Company (US)"


def test_connect_xero_with_several_organisations_needs_a_choice(cli, capsys):
    cli.browser()  # the sandbox's consent ticks every organisation
    assert cli.run("connect", "xero") == 1
    err = capsys.readouterr().err
    assert "connected 2 organisations; nothing was stored" in err and "--organisation" in err
    assert "Demo Company (US)" in err and "Demo Company (Global)" in err
    assert cli.store.load("xero", US_TENANT_ID) is None and cli.store.load("xero", GLOBAL_TENANT_ID) is None

    assert cli.run("connect", "xero", "--tenant", "studio") == 0  # the one its mapping names
    assert "'Demo Company (US)'" in capsys.readouterr().out
    assert cli.xero_client(US_TENANT_ID).organisation().name == "Demo Company (US)"

    assert cli.run("connect", "xero", "--organisation", "demo company (global)", "--tenant", "studio") == 0
    out = capsys.readouterr().out
    assert f'company: "{GLOBAL_TENANT_ID}"' in out
    assert cli.xero_client(GLOBAL_TENANT_ID).organisation().name == "Demo Company (Global)"


def test_connect_names_the_missing_app_keys(cli, capsys, monkeypatch):
    monkeypatch.delenv("QBO_CLIENT_SECRET")
    assert cli.run("connect", "quickbooks") == 1
    assert "QBO_CLIENT_SECRET is not set" in capsys.readouterr().err


def test_declined_consent_and_no_answer_store_nothing(cli, capsys):
    cli.browser(deny=True)
    assert cli.run("connect", "xero") == 1
    assert "the sign-in was not approved (access_denied); nothing was stored" in capsys.readouterr().err
    assert cli.pages[0].status_code == 400 and "Not connected" in cli.pages[0].text

    assert cli.run("connect", "quickbooks", "--no-browser", "--timeout", "0") == 1
    captured = capsys.readouterr()
    assert "/oauth2/v1/authorize?" in captured.out  # the address is printed for a browser elsewhere
    assert "no answer from the sign-in within 0 seconds" in captured.err
    assert cli.store.load("quickbooks", US_REALM) is None and cli.store.load("xero", US_TENANT_ID) is None
