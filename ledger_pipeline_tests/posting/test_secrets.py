"""Client secrets and tokens never show in logs (every logger at DEBUG), exception messages, Dagster
metadata or events, or the warehouse."""


import logging

import dagster as dg
import pytest

from ledger_pipeline.posting import Outbox, Poster, PostRecord, TargetError, TokenSet, marker_for
from ledger_pipeline.sandbox.quickbooks import DISCOVERY_PATH
from ledger_pipeline.targets.quickbooks import QuickBooksResource
from ledger_pipeline.warehouse import WarehouseResource


def _secrets(store, h, *extra: str) -> set[str]:
    values = {h.QBO_CLIENT_SECRET, h.XERO_CLIENT_SECRET, h.TOKEN_KEY, *extra}
    for target, company in (("quickbooks", h.US_REALM), ("xero", h.US_TENANT_ID)):
        tokens = store.load(target, company)
        if tokens is not None:
            values.update(tokens.secrets())
    return {v for v in values if v}


def _assert_clean(text: str, secrets: set[str]) -> None:
    leaked = [s[:6] + "..." for s in secrets if s in text]
    assert not leaked, f"secrets leaked: {leaked}"


def test_no_secret_in_logs_or_errors(qbo_resource, qbo_sandbox, xero_resource, xero_sandbox, token_store, conn, h,
                                     caplog):
    caplog.set_level(logging.DEBUG)
    seen = _secrets(token_store, h)
    errors: list[str] = []

    qbo, xero = qbo_resource.client(), xero_resource.client()
    qbo_poster = h.poster_for(conn, h.QuickBooksTarget(qbo))
    xero_poster = h.poster_for(conn, h.XeroTarget(xero))
    qbo_poster.post([h.qbo_record("s:1", "1.00")])
    xero_poster.post([h.xero_record("s:1", "1.00")])

    qbo_sandbox.move_clock(by=3601)  # 401, refresh, rotation
    xero_sandbox.advance(1801)
    report = qbo_poster.post([h.qbo_record("s:2", "2.00"), h.qbo_record("s:3", "1.00", credit="999")])
    errors += [str(o.error) for o in report.failures]
    xero_poster.post([h.xero_record("s:2", "2.00")])
    seen |= _secrets(token_store, h)

    # a refresh token nobody knows: both token services refuse, and say so without echoing it
    bogus_qbo, bogus_xero = "qbo-rt-bogus-refresh-token-000", "bogus-xero-refresh-token-111"
    seen |= {bogus_qbo, bogus_xero}
    token_store.save("quickbooks", h.US_REALM, TokenSet(None, bogus_qbo))
    token_store.save("xero", h.US_TENANT_ID, TokenSet(None, bogus_xero, None, None, {"scope": ["offline_access"]}))
    for call in (qbo_resource.client().company_info, xero_resource.client().organisation):
        with pytest.raises(TargetError) as refused:
            call()
        errors.append(str(refused.value))
        errors.append(repr(refused.value))
        assert refused.value.kind.value == "not_connected"

    text = caplog.text + "\n".join(errors)
    assert "refreshed the quickbooks access token" in caplog.text  # the logs did record the refresh
    assert "/connect/token" in caplog.text and "requestid=" in caplog.text  # urllib3 DEBUG lines were captured
    _assert_clean(text, seen)
    dump = "\n".join(str(row) for table in ("sync.outbox", "sync.external_ids")
                     for row in conn.execute(f"SELECT * FROM {table}").fetchall())
    _assert_clean(dump, seen)


def test_dagster_run_with_env_var_secrets(qbo_sandbox, qbo_server, token_store, tmp_path, h, monkeypatch):
    monkeypatch.setenv("TEST_QBO_CLIENT_SECRET", h.QBO_CLIENT_SECRET)
    monkeypatch.setenv("TEST_LEDGER_TOKEN_KEY", h.TOKEN_KEY)
    issued = qbo_sandbox.issue_tokens(h.US_REALM)
    monkeypatch.setenv("TEST_QBO_REFRESH_TOKEN", issued["refresh_token"])  # seeds the empty store

    @dg.asset
    def post_journals(context: dg.AssetExecutionContext, quickbooks: QuickBooksResource,
                      warehouse: WarehouseResource) -> dg.MaterializeResult:
        target = quickbooks.target()
        with warehouse.connect("acme") as connection:
            poster = Poster(Outbox(connection, target.name, target.company_id, key_length=target.key_length,
                                   run_id=context.run.run_id), target)
            key = "payout:po_dagster"
            report = poster.post([PostRecord(key, "JournalEntry", "h1", marker_for(key),
                                             h.qbo_journal(marker_for(key), "9.99"))])
        context.log.info(f"posted: {report.counts()}")
        return dg.MaterializeResult(metadata={"posting": report.metadata()})

    resource = QuickBooksResource(client_id=h.QBO_CLIENT_ID, client_secret=dg.EnvVar("TEST_QBO_CLIENT_SECRET"),
                                  realm_id=h.US_REALM, environment=qbo_server.base_url + DISCOVERY_PATH,
                                  api_base=qbo_server.base_url + "/v3", refresh_token=dg.EnvVar("TEST_QBO_REFRESH_TOKEN"),
                                  token_store_path=str(tmp_path / "dagster-tokens.sqlite3"),
                                  token_encryption_key=dg.EnvVar("TEST_LEDGER_TOKEN_KEY"), **h.FAST)
    result = dg.materialize([post_journals], resources={
        "quickbooks": resource, "warehouse": WarehouseResource(directory=str(tmp_path / "wh"))})
    assert result.success
    [materialization] = result.asset_materializations_for_node("post_journals")
    assert materialization.metadata["posting"].data["counts"] == {"created": 1}

    from ledger_pipeline.posting import TokenStore
    stored = TokenStore(tmp_path / "dagster-tokens.sqlite3", h.TOKEN_KEY).load("quickbooks", h.US_REALM)
    seen = {h.QBO_CLIENT_SECRET, h.TOKEN_KEY, issued["refresh_token"], *stored.secrets()}
    events = "\n".join(str(event) for event in result.all_events)
    _assert_clean(events, seen)
