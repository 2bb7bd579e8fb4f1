"""Benchmark: posting per-transaction documents to Xero against the organisation's limits, with the sandbox
enforcing Xero's (60 calls a minute, 5 at once, 5,000 a day per organisation) time-scaled.

A temporary tenant warehouse gets a busy per-transaction day (sql/load_xero_*.sql): `payments` card payments,
each a sales receipt (receive money on Stripe Clearing) from its own new customer, and the day's Stripe fees
as one expense (spend money, contact Stripe). The loader's own code posts it (`defs/xero/post.post_day`:
contacts matched or created first, then the documents; the outbox, the Poster, 50 objects to a request,
Idempotency-Keys, our limiter at 55 calls a minute). Then `updates` of the payments change and go again (one
request each: the Poster updates one by one), and the books are read back (trial balance per account).
Time is in sandbox minutes: real seconds x time_scale / 60. The warehouse lives in RAM when it can.

Figures per phase: objects per API call (the goal for creates: 45 or more, with 50 to a request); the busiest
sandbox minute's calls over Xero's 60 (`ratio_to_limit`; our own ceiling of 55 makes 0.917 the most it can
be); 429 answers and the failures they caused (none expected); the warehouse's bookkeeping per record
(creates are bound by it, not by Xero: a 50-object request costs 50 records' bookkeeping). Then the calls a
month of the demo's busiest tenant takes against the 5,000 a day (load_xero_month.py), and peak memory.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from ledger_pipeline.bench.extract import PeakMemory
from ledger_pipeline.bench.load_quickbooks import MAPPING, _busiest, _fast_folder
from ledger_pipeline.bench.load_xero_month import busiest_month
from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.mapping_file import load_mapping
from ledger_pipeline.defs.journal.mapping_tables import store_mapping
from ledger_pipeline.defs.xero.organisation import Organisation, connect
from ledger_pipeline.defs.xero.post import Posted, post_day
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.money import to_decimal
from ledger_pipeline.posting import ErrorKind, TokenSet, TokenStore
from ledger_pipeline.sandbox.common import SandboxClock
from ledger_pipeline.sandbox.xero import US_TENANT_ID, XeroSandbox
from ledger_pipeline.targets.xero import XeroResource
from ledger_pipeline.warehouse import WarehouseResource

SQL = "ledger_pipeline.bench"
TENANT = "bench"
CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"
CEILING_PER_MINUTE = 60
BATCH = 50
THROTTLED = frozenset({ErrorKind.THROTTLED, ErrorKind.DAILY_LIMIT})  # what a 429 becomes once retries run out


def run(payments: int = 1000, updates: int = 300, time_scale: float = 10.0, month_days: int = 30) -> dict[str, Any]:
    """Post a day of `payments` card payments (a sales receipt and a customer each, the day's fee expense),
    update `updates` of them, read the books back; returns the figures."""
    day = dt.date.today()
    window = 60.0 / time_scale
    sandbox = XeroSandbox(clock=SandboxClock(time_scale=time_scale), clients={CLIENT_ID: CLIENT_SECRET})
    figures: dict[str, Any] = {"a sandbox minute, in real seconds": round(window, 3), "payments": payments,
                               "updated payments": updates}
    server = sandbox.serve(port=0)
    try:
        with tempfile.TemporaryDirectory(dir=_fast_folder()) as folder, PeakMemory() as memory:
            org = _organisation(sandbox, server.base_url, Path(folder), window)
            with WarehouseResource(directory=str(Path(folder) / "warehouse")).connect(TENANT) as conn:
                store_mapping(conn, TENANT, load_mapping(MAPPING, f"bench/{MAPPING.name}"))  # a version to stamp
                _write_day(conn, day, payments, changed=0)
                created = _phase("create", sandbox, org, window, lambda: post_day(conn, org, TENANT, day, "USD", None))
                conn.execute(load_sql(SQL, "load_xero_forget"))
                _write_day(conn, day, payments, changed=updates)
                updated = _phase("update", sandbox, org, window, lambda: post_day(conn, org, TENANT, day, "USD", None))
                expected = {code: to_decimal(int(amount), "usd") for code, amount in
                            conn.execute(load_sql(SQL, "load_xero_balances"), {"tenant": TENANT}).fetchall()}
            figures.update(created | updated)
            figures["read_back passed"] = _balances(org, day) == expected
        figures["objects_per_call"] = created["create objects_per_call"]
        figures["ratio_to_limit"] = max(created["create ratio_to_limit"], updated["update ratio_to_limit"])
        figures["failures_429"] = created["create failures_429"] + updated["update failures_429"]
        figures["failures (any cause)"] = created["create failed"] + updated["update failed"]
        figures["peak memory MiB"] = round(memory.peak / 2**20, 1)
        with sandbox.lock:
            books = sandbox.organisations[US_TENANT_ID]
            figures["objects in the books"] = ", ".join(f"{len(books.all(k))} {k}"
                                                        for k in ("bank_transactions", "contacts"))
    finally:
        server.stop()
    figures.update(busiest_month(month_days))
    return figures


def _organisation(sandbox: XeroSandbox, base_url: str, folder: Path, window: float) -> Organisation:
    resource = sandbox_resource(sandbox, base_url, folder, rate_window_seconds=window, backoff_seconds=window / 30,
                                max_backoff_seconds=window)
    return connect(resource, US_TENANT_ID, batch_size=BATCH)


def sandbox_resource(sandbox: XeroSandbox, base_url: str, folder: Path, **settings: Any) -> XeroResource:
    """Our resource aimed at the sandbox's US organisation, its tokens issued and kept in `folder`."""
    client_id, secret = next(iter(sandbox.clients.items()))
    key = Fernet.generate_key().decode()
    store = TokenStore(folder / "tokens.sqlite3", key)
    issued = sandbox.issue_tokens(US_TENANT_ID, client_id=client_id)
    store.save("xero", US_TENANT_ID, TokenSet(issued["access_token"], issued["refresh_token"], issued["expires_at"],
                                              None, {"scope": issued["scope"], "token_type": issued["token_type"],
                                                     "expires_in": issued["expires_in"]}))
    return XeroResource(client_id=client_id, client_secret=secret, tenant_id=US_TENANT_ID, identity_base=base_url,
                        api_base=base_url, token_store_path=str(store.path), token_encryption_key=key, **settings)


def _write_day(conn, day: dt.date, payments: int, changed: int) -> None:
    params = {"tenant": TENANT, "day": day}
    version = current_mapping(conn, TENANT).version
    conn.execute(load_sql(SQL, "load_xero_entries"), {**params, "version": version, "count": payments,
                                                      "changed": changed})
    conn.execute(load_sql(SQL, "load_xero_lines"), {**params, "version": version})
    conn.execute(load_sql(SQL, "load_xero_documents"), params)


def _phase(name: str, sandbox: XeroSandbox, org: Organisation, window: float, post) -> dict[str, Any]:
    throttled_before = sum(sandbox.stats.snapshot()["rate_limited"].values())
    calls_before, http_before = len(org.count.started), org.count.http_seconds
    waited_before = org.client.limiter.waited_seconds
    started = time.monotonic()
    posted: Posted = post()
    seconds = time.monotonic() - started
    http = org.count.http_seconds - http_before
    waited = org.client.limiter.waited_seconds - waited_before
    records = len(posted.report.outcomes) + len(posted.master.outcomes)
    busiest = _busiest(org.count.started[calls_before:], window)
    counts = {k: v for k, v in posted.counts().items() if v}
    return {
        f"{name} counts": ", ".join(f"{v} {k}" for k, v in counts.items()),
        f"{name} api_calls": posted.calls,
        f"{name} objects": posted.objects_written,
        f"{name} objects_per_call": round(posted.objects_written / posted.calls, 2) if posted.calls else 0.0,
        f"{name} real_seconds": round(seconds, 2),
        f"{name} sandbox_minutes": round(seconds / window, 2),
        f"{name} objects per sandbox minute": round(posted.objects_written / (seconds / window), 1),
        f"{name} busiest sandbox minute, calls": busiest,
        f"{name} ratio_to_limit": round(busiest / CEILING_PER_MINUTE, 3),
        f"{name} seconds on the wire": round(http, 2),
        f"{name} seconds held back by our own limiter": round(waited, 2),
        f"{name} warehouse bookkeeping ms per record": round((seconds - http - waited) / records * 1000, 2)
        if records else 0,
        f"{name} 429 answers (retried)": sum(sandbox.stats.snapshot()["rate_limited"].values()) - throttled_before,
        f"{name} failures_429": sum(1 for o in posted.failures if o.error and o.error.kind in THROTTLED),
        f"{name} failed": posted.counts()["failed"] + posted.counts()["pending"],
    }


def _balances(org: Organisation, day: dt.date) -> dict[str, Decimal]:
    codes = {str(a.account_id): a.code for a in org.client.accounts()}
    return {codes[k]: v for k, v in org.client.trial_balance(day).balances().items() if v}
