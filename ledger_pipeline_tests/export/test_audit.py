"""The audit pack: one file per table with what the warehouse holds, and a manifest whose counts and sha256s hold."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json

import duckdb

from ledger_pipeline.cli import main
from ledger_pipeline.config import Tenant
from ledger_pipeline.export.audit import write_pack
from ledger_pipeline.export.audit_manifest import TABLES

START = dt.date(2026, 10, 1)


def _rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_pack_holds_the_journal_its_lineage_and_the_checks(warehouse, tmp_path):
    folder = tmp_path / "pack" / "demo"
    with warehouse.connect("demo", read_only=True) as conn:
        files = write_pack(conn, Tenant(key="demo", stripe_account=None), START, folder)
        counts = {table: conn.execute(sql).fetchone()[0] for table, sql in (
            ("entries", "SELECT count(*) FROM journal.entries"), ("lines", "SELECT count(*) FROM journal.lines"),
            ("line_sources", "SELECT count(*) FROM journal.line_sources"),
            ("bookings", "SELECT count(*) FROM journal.bookings"),
            ("mapping_versions", "SELECT count(*) FROM mapping.versions"))}

    assert [f.table for f in files] == [*TABLES, "beancount_payout_summary"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tenant"] == "demo" and "recomputed" in manifest["check_results"]
    assert manifest["bean_check"] == {"payout_summary.beancount": "passed"}
    for entry in manifest["files"]:
        path = folder / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        if path.suffix == ".csv":
            assert len(_rows(path)) == entry["rows"], entry["file"]
    by_table = {entry["table"]: entry["rows"] for entry in manifest["files"]}
    assert {table: by_table[table] for table in counts} == counts
    assert by_table["line_lineage"] == by_table["line_sources"] and by_table["quarantine"] == 0

    # lineage reaches the Stripe objects: the summary of po_1 traces its sales to charges
    lineage = _rows(folder / "line_lineage.csv")
    sales = [r for r in lineage if r["entry_key"] == "demo/payout_summary/summary/po_1/2026-10"
             and r["component"] == "gross" and r["type"] == "charge"]
    assert {r["source_id"] for r in sales} == {"ch_1", "ch_2", "ch_3"}
    # the checks, every day from the first booked to the last with data (1 October .. 3 November): all pass
    checks = _rows(folder / "check_results.csv")
    assert {r["day"] for r in checks} == {str(START + dt.timedelta(days=n)) for n in range(34)}
    assert len({r["check_name"] for r in checks}) >= 6 and {r["passed"] for r in checks} == {"true"}
    readme = (folder / "README.md").read_text()
    assert all(f"| {f.file} | {f.rows} |" in readme and f.sha256 in readme for f in files)


def test_the_command_writes_parquet_packs(warehouse, tmp_path, monkeypatch, capsys):
    config = tmp_path / "ledger_pipeline.yaml"
    config.write_text(f'start_date: "2026-10-01"\nwarehouse:\n  directory: {warehouse.directory}\n'
                      "tenants:\n  - key: demo\n    connected_accounts: discover\n")
    monkeypatch.setenv("LEDGER_PIPELINE_CONFIG", str(config))
    out = tmp_path / "packs"
    assert main(["export", "audit", "--tenant", "demo.acct_jp", "--out", str(out), "--format", "parquet"]) == 0
    assert "demo.acct_jp" in capsys.readouterr().out
    folder = out / "demo.acct_jp"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == "parquet"
    with duckdb.connect() as conn:
        for entry in manifest["files"][:-1]:
            rows = conn.execute("SELECT count(*) FROM read_parquet(?)", [str(folder / entry["file"])]).fetchone()[0]
            assert rows == entry["rows"], entry["file"]
        lines = conn.execute("SELECT sum(debit), sum(credit) FROM read_parquet(?)",
                             [str(folder / "lines.parquet")]).fetchone()
    assert lines[0] == lines[1] > 0
