"""One (tenant, day) extraction: what to ask Stripe, in which order, and where the answers go.

1. `probe`: `GET /v1/account` first, so a bad key fails before anything else; its Date header is Stripe's
   "now" (the events retention cut-off). Then `GET /v1/events?limit=1`: the newest event's `created` is the
   version of every snapshot this run takes. Every change at Stripe makes an event, so a snapshot taken
   now shows every change up to that event; an event created later is newer than the snapshot and wins.
   (A wall clock would do on real Stripe, but events carry Stripe's clock, so ordering by it is exact even
   against a server whose clock is not ours, like a sandbox frozen in the past.)
2. Wave one, concurrently: every list over the day's window `[start, end)` on `created` (balance
   transactions with their sources expanded), the day's events while Stripe still keeps them, else a
   re-listing of mutable objects over `mutable_lookback_days`; on a platform, its connected accounts.
3. Wave two, from what wave one saw: the composition of every automatic payout created or changed that
   day, the current state of older charges that the day's refunds and disputes name, and the lines of
   invoices and credit notes too long to come embedded.
4. The partition's slice is replaced in one transaction (slice.py).
Fetching (network, pages to a scratch folder) and storing (the warehouse) are two calls, so a backfill can
store one partition while it fetches the next; the asset simply does one after the other.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from ledger_pipeline.defs.stripe.client import Answer, StripeApi
from ledger_pipeline.defs.stripe.crawl import Fetch, crawl, listing, retrieval
from ledger_pipeline.defs.stripe.endpoints import ASSETS, DELETABLE, ENDPOINTS, RELISTED
from ledger_pipeline.defs.stripe.pages import Observer, PageFiles
from ledger_pipeline.defs.stripe.slice import replace_slice
from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.defs.stripe"
DAY = 86400
LINE_TYPES = {"invoice": "line_item", "credit_note": "credit_note_line_item"}


@dataclass(frozen=True)
class Settings:
    window_splits: int = 8
    max_concurrency: int = 8
    events_retention_days: int = 30
    mutable_lookback_days: int = 35


@dataclass(frozen=True)
class Partition:
    tenant: str
    day: dt.date
    window: tuple[int, int]        # [start, end) unix seconds: the tenant's day in its timezone
    is_platform: bool = False      # lists its connected accounts too


@dataclass
class Summary:
    partition: Partition
    server_now: int
    snapshot_at: int               # the version of this run's snapshots: the newest event's `created`
    events_complete: bool          # the day's events were all still at Stripe
    relisted: bool                 # mutable objects were re-listed over the lookback instead
    composition_targets: list[str]
    retrieved_charges: list[str]
    pages: int
    rejected: int
    calls: dict[str, Any]
    seconds: float = 0.0


@dataclass
class Fetched:
    """A partition's answers, on disk (as Stripe sent them) and read (by the observer), not yet stored."""

    partition: Partition
    files: PageFiles
    observer: Observer
    server_now: int
    snapshot_at: int
    events_complete: bool
    relisted: bool
    live_windows: list[tuple[str, int, int]]
    calls: dict[str, Any]
    started: float

    def close(self) -> None:
        self.files.close()


def extract_partition(conn: duckdb.DuckDBPyConnection, api: StripeApi, partition: Partition, settings: Settings,
                      wanted: Collection[str] = ASSETS) -> Summary:
    """Fetch the partition from Stripe, then replace its slice of the tenant's warehouse."""
    fetched = fetch_partition(api, partition, settings, wanted, conn)
    try:
        return store_partition(conn, fetched)
    finally:
        fetched.close()


@dataclass(frozen=True)
class Probe:
    """What a run asks first: the key works (and whose account it is), Stripe's now, the snapshot time."""

    own_account: Answer
    server_now: int
    snapshot_at: int


def probe(api: StripeApi) -> Probe:
    """`GET /v1/account` (a bad key fails here, before anything else), then the newest event."""
    own_account = api.check_key()
    newest_event = api.get("/v1/events", {"limit": 1}, expect_list=True).data["data"]
    server_now = own_account.server_time
    return Probe(own_account=own_account, server_now=server_now,
                 snapshot_at=int(newest_event[0]["created"]) if newest_event else server_now)


def fetch_partition(api: StripeApi, partition: Partition, settings: Settings, wanted: Collection[str] = ASSETS,
                    conn: duckdb.DuckDBPyConnection | None = None, probed: Probe | None = None) -> Fetched:
    """Everything the partition needs from Stripe, into a scratch folder. `conn` (read only here) tells
    which payouts to compose again; without it only the day's own payouts are composed. A backfill may
    pass one `probed` for many days of a tenant (an older snapshot time only ever under-claims)."""
    started = time.monotonic()
    probed = probed or probe(api)
    own_account, server_now, snapshot_at = probed.own_account, probed.server_now, probed.snapshot_at
    events_complete = partition.window[0] >= server_now - settings.events_retention_days * DAY
    relist = not events_complete and settings.mutable_lookback_days > 0

    observer = Observer()
    files = PageFiles(snapshot_at)
    try:
        if "accounts" in wanted:  # the answer to the key check is the tenant's own account
            own = retrieval("/v1/account", "account", origin="account")
            observer.page(0, own, own_account)
            files.add(0, own, own_account)
        seq = 0
        for fetches in _waves(partition, settings, relist, wanted, observer, conn):
            for fetch, answer in crawl(api, fetches, workers=settings.max_concurrency, splits=settings.window_splits):
                seq += 1
                observer.page(seq, fetch, answer)
                files.add(seq, fetch, answer)
    except BaseException:
        files.close()
        raise
    return Fetched(partition=partition, files=files, observer=observer, server_now=server_now,
                   snapshot_at=snapshot_at, events_complete=events_complete, relisted=relist,
                   live_windows=_complete_windows(partition, settings, relist, wanted), calls=api.stats.as_dict(),
                   started=started)


def store_partition(conn: duckdb.DuckDBPyConnection, fetched: Fetched) -> Summary:
    """Replace the partition's slice with what was fetched, in one transaction."""
    partition, observer = fetched.partition, fetched.observer
    conn.execute(load_sql(SQL, "fetch_tables"))
    conn.execute(load_sql(SQL, "set_run"), {
        "tenant": partition.tenant, "partition_date": partition.day, "window_start": partition.window[0],
        "window_end": partition.window[1], "extracted_at": dt.datetime.now(dt.timezone.utc),
        "server_now": fetched.server_now, "snapshot_at": fetched.snapshot_at})
    replace_slice(conn, pages=fetched.files.rows, rejects=observer.rejects, live_windows=fetched.live_windows,
                  composition_targets=observer.composition_targets)
    return Summary(partition=partition, server_now=fetched.server_now, snapshot_at=fetched.snapshot_at,
                   events_complete=fetched.events_complete, relisted=fetched.relisted,
                   composition_targets=observer.composition_targets, retrieved_charges=observer.refreshed_charges,
                   pages=len(fetched.files.rows), rejected=len(observer.rejects),
                   calls=fetched.calls, seconds=time.monotonic() - fetched.started)


def _waves(partition: Partition, settings: Settings, relist: bool, wanted: Collection[str], observer: Observer,
           conn: duckdb.DuckDBPyConnection | None) -> Iterator[list[Fetch]]:
    """Wave one; then, once its answers are all read, wave two."""
    yield _wave_one(partition, settings, relist, wanted)
    if "payout_composition" in wanted:
        observer.composition_targets = _composition_targets(conn, observer, partition)
    if "charges" in wanted:
        observer.refreshed_charges = _charges_to_refresh(observer)
    yield _wave_two(observer, wanted)


def _wave_one(partition: Partition, settings: Settings, relist: bool, wanted: Collection[str]) -> list[Fetch]:
    fetches = [listing(e.path, e.object_type, "list", window=partition.window, **dict(e.params))
               for e in ENDPOINTS if e.asset in wanted]
    if partition.is_platform and "accounts" in wanted:
        fetches.append(listing("/v1/accounts", "account", "list"))  # all of them: a platform's list is short
    if relist:
        window = _lookback(partition, settings)
        fetches += [listing(e.path, e.object_type, "relist", window=window, **dict(e.params))
                    for e in ENDPOINTS if e.asset in RELISTED and e.asset in wanted]
    return fetches


def _lookback(partition: Partition, settings: Settings) -> tuple[int, int]:
    return partition.window[0] - settings.mutable_lookback_days * DAY, partition.window[0]


def _complete_windows(partition: Partition, settings: Settings, relist: bool,
                      wanted: Collection[str]) -> list[tuple[str, int, int]]:
    """The (deletable type, window) pairs listed in full, where a missing object means Stripe deleted it."""
    windows = []
    for endpoint in ENDPOINTS:
        if endpoint.object_type in DELETABLE and endpoint.asset in wanted:
            windows.append((endpoint.object_type, *partition.window))
            if relist and endpoint.asset in RELISTED:
                windows.append((endpoint.object_type, *_lookback(partition, settings)))
    return windows


def _composition_targets(conn: duckdb.DuckDBPyConnection | None, observer: Observer,
                         partition: Partition) -> list[str]:
    """Automatic payouts created that day or changed that day, and any the previous run of the day fetched."""
    targets: set[str] = set()
    known: dict[str, tuple] = {}
    if conn is not None:
        targets = {row[0] for row in conn.execute(load_sql(SQL, "previous_composition_targets"),
                                                  {"partition_date": partition.day}).fetchall()}
        known = {row[0]: row[1:] for row in conn.execute(load_sql(SQL, "known_payouts"),
                                                         {"ids": sorted(observer.payouts)}).fetchall()}
    for payout_id, seen in observer.payouts.items():
        if seen["origins"] & {"list", "expand", "event"}:
            targets.add(payout_id)
        else:  # re-listed: only when its state moved on, or we never had its composition
            status, reconciliation, composed = known.get(payout_id, (None, None, False))
            if not composed or (status, reconciliation) != (seen["status"], seen["reconciliation_status"]):
                targets.add(payout_id)
    return sorted(targets)


def _charges_to_refresh(observer: Observer) -> list[str]:
    """Charges the day's refunds and disputes name whose current state this run has not fetched yet."""
    return sorted(observer.charge_refs - observer.fresh_charges)


def _wave_two(observer: Observer, wanted: Collection[str]) -> list[Fetch]:
    fetches = [listing("/v1/balance_transactions", "balance_transaction", "payout", parent_id=payout, payout=payout)
               for payout in observer.composition_targets]
    fetches += [retrieval(f"/v1/charges/{charge}", "charge") for charge in observer.refreshed_charges]
    for parent, kind in sorted(observer.lines_needed.items()):
        if f"{kind}s" in wanted:
            fetches.append(listing(f"/v1/{kind}s/{parent}/lines", LINE_TYPES[kind], "lines", parent_id=parent))
    return fetches
