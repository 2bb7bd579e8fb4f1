"""Benchmark: posting to QuickBooks against the realm's rate ceiling, with the sandbox enforcing Intuit's
limits (500 requests/min, 40 batch requests/min, 10 in flight per realm) time-scaled.

A temporary tenant warehouse gets a busy per-transaction day (sql/load_quickbooks_*.sql): `payments` card
payments, each a sales receipt from its own new customer and an expense for its Stripe fee. The loader's
own code posts it (`post_day`: customers, vendor and item matched or created first, then the documents;
the outbox, the Poster, batches of 30 paced under the batch ceiling, requestids). Then `updates` of the
payments change and go again (one request per document: QuickBooks has no batch update we rely on), and
the books are read back (trial balance, one object per record). Time is in sandbox minutes: real seconds x
time_scale / 60. The warehouse lives in RAM when it can (/dev/shm): its bookkeeping (a few DuckDB
statements per record, committed before and after each request) is reported, not what is measured.

Ceilings: creates 40 batch requests x 30 objects = 1,200 objects a minute; updates 500 requests a minute.
The client paces itself at 36 batch requests and 450 requests a minute, so 0.9 is the design point.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.mapping_file import load_mapping
from ledger_pipeline.defs.journal.mapping_tables import store_mapping
from ledger_pipeline.defs.quickbooks import read_back
from ledger_pipeline.defs.quickbooks.adapter import adapter_key
from ledger_pipeline.defs.quickbooks.company import Company, connect
from ledger_pipeline.defs.quickbooks.post import Posted, post_day
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.posting import TokenSet, TokenStore
from ledger_pipeline.sandbox.common import Faults, SandboxClock
from ledger_pipeline.sandbox.quickbooks import DEFAULT_CLIENTS, DISCOVERY_PATH, US_REALM, QuickBooksSandbox
from ledger_pipeline.targets.quickbooks import QuickBooksResource
from ledger_pipeline.warehouse import WarehouseResource

SQL = "ledger_pipeline.bench"
TENANT = "bench"
MAPPING = Path(__file__).with_name("transform_mapping.yaml")
BATCH_CEILING_PER_MINUTE = 40
REQUEST_CEILING_PER_MINUTE = 500
BATCH_ITEMS = 30


def run(payments: int = 600, updates: int = 600, time_scale: float = 1.5, latency_ms: float = 0.0) -> dict[str, Any]:
    """Post a day of `payments` card payments (two documents and a customer each), update `updates` of them,
    read the books back; returns the figures."""
    day = dt.date.today()
    sandbox = QuickBooksSandbox(clock=SandboxClock(time_scale=time_scale), faults=Faults(latency_ms=latency_ms))
    window = 60.0 / time_scale
    figures: dict[str, Any] = {"a sandbox minute, in real seconds": round(window, 3), "payments": payments,
                               "documents": 2 * payments, "updated payments": updates,
                               "sandbox_latency_ms": latency_ms}
    with sandbox.serve() as server, tempfile.TemporaryDirectory(dir=_fast_folder()) as folder:
        key = Fernet.generate_key().decode()
        store = TokenStore(Path(folder) / "tokens.sqlite3", key)
        issued = sandbox.issue_tokens(US_REALM)
        store.save("quickbooks", US_REALM, TokenSet(issued["access_token"], issued["refresh_token"],
                                                    time.time() + issued["expires_in"]))
        client_id, secret = next(iter(DEFAULT_CLIENTS.items()))
        resource = QuickBooksResource(
            client_id=client_id, client_secret=secret, realm_id=US_REALM,
            environment=server.base_url + DISCOVERY_PATH, api_base=server.base_url + "/v3",
            token_store_path=str(store.path), token_encryption_key=key, rate_window_seconds=window,
            backoff_seconds=2.0 / time_scale, max_backoff_seconds=window)
        company = connect(resource, US_REALM, batch_size=BATCH_ITEMS, batch_requests_per_minute=36)
        warehouse = WarehouseResource(directory=str(Path(folder) / "warehouse"))
        with warehouse.connect(TENANT) as conn:
            store_mapping(conn, TENANT, load_mapping(MAPPING, f"bench/{MAPPING.name}"))
            params = {"tenant": TENANT, "day": day, "version": current_mapping(conn, TENANT).version}
            _write_entries(conn, params, payments, 0)
            created = _phase("create", sandbox, company, window,
                             lambda: post_day(conn, company, TENANT, day, "USD", None))
            figures.update(created)
            figures["create ratio: busiest sandbox minute / ceiling (40 batch requests)"] = round(
                created["create busiest sandbox minute, batch requests"] / BATCH_CEILING_PER_MINUTE, 3)

            for name in ("load_quickbooks_forget_lines", "load_quickbooks_forget"):
                conn.execute(load_sql(SQL, name), {"count": updates})
            _write_entries(conn, params, updates, 1)
            updated = _phase("update", sandbox, company, window,
                             lambda: post_day(conn, company, TENANT, day, "USD", None))
            figures.update(updated)
            figures["update ratio: busiest sandbox minute / ceiling (500 requests)"] = round(
                updated["update busiest sandbox minute, requests"] / REQUEST_CEILING_PER_MINUTE, 3)

            before, started = company.count.calls, time.monotonic()
            checks = [read_back.trial_balance_matches(conn, company, day, "USD", adapter_key("USD")),
                      read_back.one_object_per_record(conn, company, TENANT, day, adapter_key("USD"))]
            figures["read_back seconds"] = round(time.monotonic() - started, 3)
            figures["read_back api_calls"] = company.count.calls - before
            figures["read_back passed"] = all(c.passed for c in checks)
        figures["objects per API call, whole run (creates, updates, reads)"] = round(
            (created["create objects"] + updated["update objects"]) / company.count.calls, 2)
        stats = sandbox.stats.snapshot()["realms"].get(US_REALM, {})
        figures["sandbox requests"] = stats.get("requests", 0)
        figures["sandbox 429 answers"] = stats.get("throttled", 0)
        books = sandbox.company(US_REALM).objects
        figures["objects in the books"] = ", ".join(f"{len(books.get(k, {}))} {k}" for k in
                                                    ("SalesReceipt", "Purchase", "Customer", "Item", "Vendor"))
        figures["failures (any cause)"] = sum(figures[f"{p} failed"] for p in ("create", "update"))
    return figures


def _fast_folder() -> str | None:
    """A RAM folder when there is one: the warehouse's bookkeeping per record is not what is measured."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def _write_entries(conn, params: dict[str, Any], count: int, round_: int) -> None:
    conn.execute(load_sql(SQL, "load_quickbooks_entries"), {**params, "count": count, "round": round_})
    for name in ("load_quickbooks_lines", "load_quickbooks_documents"):
        conn.execute(load_sql(SQL, name), {k: v for k, v in params.items() if k != "version" or name.endswith("lines")})


def _phase(name: str, sandbox: QuickBooksSandbox, company: Company, window: float, post) -> dict[str, Any]:
    realm = sandbox.stats.snapshot()["realms"].get(US_REALM, {})
    throttled_before = realm.get("throttled", 0)
    calls_before, http_before = len(company.count.started), company.count.http_seconds
    batches_before = len(company.target.batch_started)
    limiters = (company.client.limiter, company.target.batch_limiter)
    waited_before = sum(limiter.waited_seconds for limiter in limiters)
    started = time.monotonic()
    posted: Posted = post()
    seconds = time.monotonic() - started
    http = company.count.http_seconds - http_before
    waited = sum(limiter.waited_seconds for limiter in limiters) - waited_before
    records = len(posted.report.outcomes)
    counts = {k: v for k, v in posted.counts().items() if v}
    return {
        f"{name} counts": ", ".join(f"{v} {k}" for k, v in counts.items()),
        f"{name} api_calls": posted.calls,
        f"{name} batch_requests": posted.batches,
        f"{name} objects": posted.objects_written,
        f"{name} objects_per_call": round(posted.objects_written / posted.calls, 2) if posted.calls else 0.0,
        f"{name} real_seconds": round(seconds, 2),
        f"{name} sandbox_minutes": round(seconds / window, 2),
        f"{name} objects per sandbox minute": round(posted.objects_written / (seconds / window), 1),
        f"{name} busiest sandbox minute, requests": _busiest(company.count.started[calls_before:], window),
        f"{name} busiest sandbox minute, batch requests": _busiest(company.target.batch_started[batches_before:],
                                                                    window),
        f"{name} seconds on the wire": round(http, 2),
        f"{name} seconds held back by our own limiter": round(waited, 2),
        f"{name} warehouse bookkeeping ms per record": round((seconds - http) / records * 1000, 2) if records else 0,
        f"{name} 429 answers (retried)": sandbox.stats.snapshot()["realms"].get(US_REALM, {}).get("throttled", 0)
                                          - throttled_before,
        f"{name} failed": posted.counts()["failed"] + posted.counts()["pending"],
    }


def _busiest(times: list[float], window: float) -> int:
    """Most starts inside any one window (how the sandbox counts a minute)."""
    busiest, first = 0, 0
    for last, moment in enumerate(times):
        while times[first] <= moment - window:
            first += 1
        busiest = max(busiest, last - first + 1)
    return busiest
