"""No secret anywhere a run leaves traces; each tenant's data only in its own warehouse and books, with
every tenant running at once; servers on loopback unless told otherwise."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import dagster as dg
import duckdb

from ledger_pipeline.cli import sandbox as sandbox_cli
from ledger_pipeline.cli import webhooks as webhooks_cli
from ledger_pipeline.config import ProjectConfig
from ledger_pipeline.defs.quickbooks.adapter import tenant_tag
from ledger_pipeline.sandbox.common import ServerThread
from ledger_pipeline.sandbox.quickbooks import QuickBooksSandbox
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.sandbox.xero import XeroSandbox

REPO = Path(__file__).resolve().parents[2]
CURRENT_BOOKS = ("SELECT v.target, v.company FROM mapping.current c JOIN mapping.versions v USING (version) "
                 "WHERE c.tenant = ?")


def _leaks(data: bytes, secrets: set[str]) -> list[str]:
    return [s[:8] + "..." for s in secrets if s.encode() in data]


def test_every_tenant_ran_at_once_and_passed(scanned):
    assert len(scanned.tenants) >= 3
    failed = {k: v for k, v in scanned.returncodes.items() if v != 0}
    assert not failed, {k: (scanned.folder / f"run-{k[0]}-{k[1]}.log").read_text()[-2000:] for k in failed}


def test_no_secret_in_logs_event_log_metadata_warehouse_or_token_store(scanned):
    assert len(scanned.secrets) >= 6  # the four we chose, and the tokens the sandboxes issued
    # every file the runs left: run logs (DEBUG, every library), Dagster's event log and compute logs,
    # the warehouse files, the config, the token store (encrypted)
    files = [p for root in (scanned.folder, scanned.token_folder) for p in root.rglob("*") if p.is_file()]
    logs = [p for p in files if p.name.endswith(".log")]
    assert any(p.suffix == ".duckdb" for p in files) and logs
    # the control: the logs are at DEBUG and show the HTTP traffic, so a leaked header would be in them
    assert all(b"urllib3.connectionpool" in p.read_bytes() for p in logs)
    leaked = {str(p): found for p in files if (found := _leaks(p.read_bytes(), scanned.secrets))}
    assert not leaked, leaked

    # DuckDB may compress a string on disk: ask each warehouse for every text value instead
    for path in (scanned.folder / "warehouse").glob("*.duckdb"):
        with duckdb.connect(str(path), read_only=True) as conn:
            columns = conn.execute(
                "SELECT table_schema, table_name, column_name FROM information_schema.columns "
                "WHERE data_type IN ('VARCHAR', 'JSON') AND table_schema NOT IN ('information_schema', 'pg_catalog')"
            ).fetchall()
            for schema, table, column in columns:
                for secret in scanned.secrets:
                    hits = conn.execute(f'SELECT count(*) FROM "{schema}"."{table}" WHERE contains("{column}", ?)',
                                        [secret]).fetchone()[0]
                    assert hits == 0, f"{path.name}: {schema}.{table}.{column} holds a secret ({secret[:8]}...)"

    # and Dagster's own record of the runs, event by event (metadata, check results, log messages)
    instance = dg.DagsterInstance.from_config(str(scanned.folder / "dagster"))
    runs = instance.get_runs()
    assert len(runs) == len(scanned.returncodes)
    for run in runs:
        events = json.dumps([str(e) for e in instance.all_logs(run.run_id)], default=str)
        assert not _leaks(events.encode(), scanned.secrets), run.run_id
    instance.dispose()


def test_each_tenant_data_stays_in_its_own_warehouse_and_books(scanned):
    seen: dict[str, set[str]] = {}
    for tenant in scanned.tenants:
        path = scanned.folder / "warehouse" / f"{tenant}.duckdb"
        with duckdb.connect(str(path), read_only=True) as conn:
            assert conn.execute("SELECT DISTINCT tenant FROM raw.stripe_objects").fetchall() == [(tenant,)]
            seen[tenant] = {r[0] for r in conn.execute("SELECT id FROM staging.balance_transactions").fetchall()}
    for tenant, ids in seen.items():
        assert ids, tenant
        for other, theirs in seen.items():
            assert other == tenant or not ids & theirs, (tenant, other)

    # each QuickBooks company holds markers only of the tenants whose mapping posts there
    posts_to: dict[str, set[str]] = {}
    for tenant in scanned.tenants:
        with duckdb.connect(str(scanned.folder / "warehouse" / f"{tenant}.duckdb"), read_only=True) as conn:
            target, company = conn.execute(CURRENT_BOOKS, [tenant]).fetchone()
        if target == "quickbooks":
            posts_to.setdefault(company, set()).add(tenant_tag(tenant))
    assert posts_to, "no tenant posts to QuickBooks"
    for realm, state in scanned.quickbooks_state.items():
        tags = _tags(state)
        assert tags <= posts_to.get(realm, set()), (realm, tags, posts_to)
    posted = [realm for realm, tags in posts_to.items() if _tags(scanned.quickbooks_state[realm])]
    assert posted, "nothing reached QuickBooks: the isolation check would prove nothing"


def _tags(state: dict) -> set[str]:
    """The tenant tags of every marker in a QuickBooks company's objects."""
    tags: set[str] = set()
    for objects in state["objects"].values():
        for obj in objects.values():
            for field in ("DocNumber", "PrivateNote"):
                tags |= set(re.findall(r"\bLP[0-9A-F]{4}\b", str(obj.get(field) or "")))
    return tags


def test_servers_listen_on_loopback_by_default():
    assert inspect.signature(ServerThread).parameters["host"].default == "127.0.0.1"
    for sandbox in (StripeSandbox(seed={"objects": []}), QuickBooksSandbox(), XeroSandbox()):
        assert inspect.signature(sandbox.serve).parameters["host"].default == "127.0.0.1"
        server = sandbox.serve(port=0)
        try:
            assert server._sock.getsockname()[0] == "127.0.0.1"
        finally:
            server.stop()
    parser = __import__("argparse").ArgumentParser()
    commands = parser.add_subparsers()
    sandbox_cli.register(commands)
    webhooks_cli.register(commands)
    assert parser.parse_args(["sandbox", "serve"]).host == "127.0.0.1"
    assert ProjectConfig().automation.webhooks.host == "127.0.0.1"  # `webhooks serve` uses it unless --host
    assert "-h 127.0.0.1" in (REPO / "Makefile").read_text()  # make ui: the Dagster webserver too
