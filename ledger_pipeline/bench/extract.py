"""Benchmark: Stripe extraction throughput against the rate limit, and against a naive sequential pager.

The Stripe sandbox runs in this process, seeded by the generator with about `balance_transactions`
balance transactions over a week (a platform and two connected accounts), answering at most `rate`
requests per second with `latency_ms` added to every answer. The extraction code the assets use
(`fetch_partition` / `store_partition`: client, token bucket, retries, window splitting, pages into DuckDB,
the slice transaction) pulls every balance transaction with its source expanded (charges, refunds,
disputes, transfers, fees) and every payout, one (tenant, day) partition at a time like a backfill, into
a temporary DuckDB folder (one file per tenant). A few partitions are fetched at once; each tenant's
partitions are stored one after the other (one writer per file) while the next ones are being fetched;
a tenant is probed (key, Stripe's now, newest event) once for all its days.

The ceiling is `rate x 100` objects per second: every allowed request returning a full page of list
items. `objects` counts list items only (balance transactions and payouts, distinct, as stored); the
sources that came expanded inside them are reported beside it. The naive baseline is stripe-python's
`auto_paging_iter()` over the same lists, one page after the other, on the same server in the same run.

Because the server shares this process (and its GIL) with the client, the harness keeps Python's
collector off the sandbox's million static objects and gives DuckDB one thread, so the server is not
starved into answering in bursts; neither touches the pipeline's own code path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any

import psutil
import stripe

from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.defs.stripe.extract import (Fetched, Partition, Settings, Summary, fetch_partition, probe,
                                                 store_partition)
from ledger_pipeline.sandbox.common import Faults
from ledger_pipeline.sandbox.stripe import StripeSandbox
from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate
from ledger_pipeline.warehouse import WarehouseResource

KEY = "sk_test_bench"
WANTED = ("balance_transactions", "payouts")
LISTS = (("balance_transactions", {"expand": ["data.source"]}), ("payouts", {}))


class PeakMemory:
    """Samples this process's resident memory every few milliseconds while it runs."""

    def __init__(self, every: float = 0.05):
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        process = psutil.Process()
        while not self._stop.is_set():
            self.peak = max(self.peak, process.memory_info().rss)
            self._stop.wait(self.every)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(balance_transactions: int = 100_000, rate: float = 25.0, latency_ms: float = 50.0, *,
        days: int = 7, connected_accounts: int = 2, client_rate_share: float = 0.98, window_splits: int = 3,
        max_concurrency: int = 8, parallel_partitions: int = 4, naive: bool = True, seed: int = 7) -> dict[str, Any]:
    """Extract about `balance_transactions` balance transactions; returns the figures."""
    started = time.monotonic()
    end = dt.datetime.now(dt.timezone.utc).date()
    data = generate(GeneratorSettings(seed=seed, days=days, connected_accounts=connected_accounts, end_date=end,
                                      target_balance_transactions=balance_transactions, events=False))
    accounts = [None] + [obj["id"] for obj in data["objects"] if obj["object"] == "account"]
    weights = Counter(obj.get("account") for obj in data["objects"] if obj["object"] == "balance_transaction")
    accounts.sort(key=lambda account: -weights[account])  # the busiest account first
    sandbox = StripeSandbox(seed=data, api_keys=(KEY,), requests_per_second=max(1, int(rate)),
                            faults=Faults(latency_ms=latency_ms))
    del data
    # The sandbox's objects live as long as the run: keep Python's collector from walking them over and
    # over (a full collection of a million dicts stalls every thread, server and client alike).
    gc.collect()
    gc.freeze()
    window = _window(end, days)
    day_list = [end - dt.timedelta(days=n) for n in range(days, 0, -1)]
    prepared = time.monotonic() - started

    server = sandbox.serve()
    try:
        # Stay a hair under the server's limit: requests that reach it bunched up cost 429s.
        stripe_resource = StripeResource(api_key=KEY, api_base=server.base_url,
                                         requests_per_second=rate * client_rate_share,
                                         max_concurrency=max_concurrency, window_splits=window_splits,
                                         timeout_seconds=30, max_retries=8, backoff_seconds=0.1)
        rss_before = psutil.Process().memory_info().rss
        sandbox.stats.reset()
        with tempfile.TemporaryDirectory(prefix="bench-extract-") as folder, PeakMemory() as memory:
            began = time.monotonic()
            summaries = _extract_all(stripe_resource, WarehouseResource(directory=folder), accounts, day_list,
                                     parallel_partitions)
            seconds = time.monotonic() - began
            stored = _stored(WarehouseResource(directory=folder))
        server_stats = sandbox.stats.snapshot()
        naive_figures = _naive(server.base_url, accounts, window) if naive else {}
    finally:
        server.stop()
        gc.unfreeze()

    listed = stored["balance_transactions"] + stored["payouts"]   # distinct objects, as stored
    expanded = stored["expanded_sources"]
    per_second = listed / seconds
    ceiling = rate * 100
    figures: dict[str, Any] = {
        "rate_R": rate, "latency_ms_L": latency_ms, "client_rate": round(rate * client_rate_share, 3),
        "accounts": len(accounts), "partitions": len(accounts) * days, "parallel_partitions": parallel_partitions,
        "window_splits": window_splits, "max_concurrency": max_concurrency,
        "balance_transactions": stored["balance_transactions"], "payouts": stored["payouts"],
        "objects": listed, "expanded_sources": expanded,
        "staging_rows": {k: v for k, v in stored.items() if k != "expanded_sources"},
        "requests": server_stats["requests"], "rate_limited_429": server_stats["rate_limited"],
        "retries": sum(s.calls["retries"] for s in summaries),
        "seconds": round(seconds, 3),
        "objects_per_second": round(per_second, 1),
        "ceiling_objects_per_second": ceiling,
        "ratio_to_ceiling": round(per_second / ceiling, 3),
        "objects_with_sources_per_second": round((listed + expanded) / seconds, 1),
        "ratio_to_ceiling_counting_sources": round((listed + expanded) / seconds / ceiling, 3),
        "peak_rss_mb": round(max(memory.peak, rss_before) / 1e6, 1),
        "rss_before_extraction_mb": round(rss_before / 1e6, 1),
        "peak_rss_added_by_extraction_mb": round((memory.peak - rss_before) / 1e6, 1),
        "max_rss_mb_getrusage": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3, 1),
        "setup_seconds": round(prepared, 3),
        "load_average_1m_after": round(os.getloadavg()[0], 2),  # other work on the machine skews the figures
    }
    if naive_figures:
        figures.update(naive_figures)
        figures["ratio_to_naive"] = round(per_second / naive_figures["naive_objects_per_second"], 2)
    return figures


def _window(end: dt.date, days: int) -> tuple[int, int]:
    """The whole generated range (for the naive pager, which lists it in one go)."""
    stop = int(dt.datetime.combine(end, dt.time(), tzinfo=dt.timezone.utc).timestamp())
    return stop - days * 86400, stop


def _extract_all(stripe_resource: StripeResource, warehouse: WarehouseResource, accounts: list[str | None],
                 days: list[dt.date], parallel: int) -> list[Summary]:
    """Every (tenant, day): fetched `parallel` at a time; stored per tenant, one after the other."""
    settings = Settings(window_splits=stripe_resource.window_splits, max_concurrency=stripe_resource.max_concurrency)
    writers = {account: ThreadPoolExecutor(max_workers=1) for account in accounts}  # one writer per file
    stored: list[Future] = []

    # A backfill asks who the key is and what time it is once per tenant, not once per day.
    with ThreadPoolExecutor(max_workers=len(accounts)) as pool:
        probes = dict(zip(accounts, pool.map(lambda account: probe(stripe_resource.api(account)), accounts)))

    def fetch(account: str | None, day: dt.date) -> Fetched:
        tenant = "bench" if account is None else f"bench.{account}"
        start = int(dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc).timestamp())
        partition = Partition(tenant=tenant, day=day, window=(start, start + 86400))
        return fetch_partition(stripe_resource.api(account), partition, settings, wanted=WANTED,
                               probed=probes[account])

    def store(fetched: Fetched) -> Summary:
        try:
            with warehouse.connect(fetched.partition.tenant) as conn:
                # The sandbox answers from this same process: leave it a core, or it answers in bursts
                # (and bursts meet the rate limit).
                conn.execute("SET threads = 1")
                return store_partition(conn, fetched)
        finally:
            fetched.close()

    with ThreadPoolExecutor(max_workers=parallel) as fetchers:
        # The busiest account's days first (its big stores then overlap the other fetches), then the
        # others day by day, so each writer gets its work spread out and the last stores are small.
        order = [(accounts[0], day) for day in days] + [(a, day) for day in days for a in accounts[1:]]
        jobs = {fetchers.submit(fetch, account, day): account for account, day in order}
        for job in as_completed(jobs):
            stored.append(writers[jobs[job]].submit(store, job.result()))
    summaries = [future.result() for future in stored]
    for writer in writers.values():
        writer.shutdown()
    return summaries


STORED = """
SELECT 'balance_transactions', count(*) FROM staging.balance_transactions
UNION ALL SELECT 'charges', count(*) FROM staging.charges
UNION ALL SELECT 'refunds', count(*) FROM staging.refunds
UNION ALL SELECT 'payouts', count(*) FROM staging.payouts
UNION ALL SELECT 'expanded_sources', count(DISTINCT (object_type, object_id)) FROM raw.stripe_objects
          WHERE origin = 'expand'
"""


def _stored(warehouse: WarehouseResource) -> Counter:
    """Distinct rows in the warehouse: what the extraction actually delivered."""
    rows: Counter = Counter()
    for tenant in warehouse.tenant_keys():
        with warehouse.connect(tenant) as conn:
            rows.update(dict(conn.execute(STORED).fetchall()))
    return rows


def _naive(base_url: str, accounts: list[str | None], window: tuple[int, int]) -> dict[str, Any]:
    """stripe-python's own pager, one request after the other, over the same lists."""
    client = stripe.StripeClient(KEY, base_addresses={"api": base_url}, max_network_retries=8)
    objects = 0
    began = time.monotonic()
    for account in accounts:
        options = {"stripe_account": account} if account else {}
        for name, extra in LISTS:
            service = getattr(client.v1, name)
            params = {"limit": 100, "created": {"gte": window[0], "lt": window[1]}, **extra}
            for _ in service.list(params=params, options=options).auto_paging_iter():
                objects += 1
    seconds = time.monotonic() - began
    return {"naive_objects": objects, "naive_seconds": round(seconds, 3),
            "naive_objects_per_second": round(objects / seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-extract", description=__doc__.splitlines()[0])
    parser.add_argument("--balance-transactions", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=25.0, help="sandbox rate limit R, requests/second")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="sandbox latency L per request")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive sequential baseline")
    args = parser.parse_args(argv)
    figures = run(balance_transactions=args.balance_transactions, rate=args.rate, latency_ms=args.latency_ms,
                  naive=not args.no_naive)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
