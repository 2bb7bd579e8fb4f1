"""One (tenant, day) extraction: what to ask Stripe, in which order, and where the answers go.

1. `GET /v1/account` first: a bad key fails here, before anything else; its Date header is Stripe's "now"
   (for the events retention cut-off). Then `GET /v1/events?limit=1`: the newest event's `created` is the
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
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import duckdb

from ledger_pipeline.defs.stripe.client import Answer, StripeApi
from ledger_pipeline.defs.stripe.crawl import Fetch, crawl, listing, retrieval
from ledger_pipeline.defs.stripe.endpoints import ASSETS, DELETABLE, ENDPOINTS, RELISTED
from ledger_pipeline.defs.stripe.objects import TRACKED_TYPES
from ledger_pipeline.defs.stripe.pages import Observer, PageWriter
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
    counts: Counter                # (object_type, origin) -> objects seen
    rejected: int
    calls: dict[str, Any]
    seconds: float = 0.0
    wanted: tuple[str, ...] = field(default=ASSETS)


def extract_partition(conn: duckdb.DuckDBPyConnection, api: StripeApi, partition: Partition, settings: Settings,
                      wanted: Collection[str] = ASSETS) -> Summary:
    """Fetch the partition from Stripe and replace its slice of the tenant's warehouse."""
    started = time.monotonic()
    extracted_at = dt.datetime.now(dt.timezone.utc)
    own_account = api.check_key()
    server_now = own_account.server_time
    newest_event = api.get("/v1/events", {"limit": 1}, expect_list=True).data["data"]
    snapshot_at = int(newest_event[0]["created"]) if newest_event else server_now
    events_complete = partition.window[0] >= server_now - settings.events_retention_days * DAY
    relist = not events_complete and settings.mutable_lookback_days > 0

    conn.execute(load_sql(SQL, "fetch_tables"))
    conn.execute(load_sql(SQL, "set_run"), {
        "tenant": partition.tenant, "partition_date": partition.day, "window_start": partition.window[0],
        "window_end": partition.window[1], "extracted_at": extracted_at, "server_now": server_now,
        "snapshot_at": snapshot_at})
    _insert(conn, "INSERT INTO tracked_types VALUES (?)", [(kind,) for kind in sorted(TRACKED_TYPES)])

    observer = Observer()
    writer = PageWriter(conn, snapshot_at)
    seq = 0

    def take(fetch: Fetch, answer: Answer) -> None:
        nonlocal seq
        seq += 1
        observer.page(seq, fetch, answer)
        writer.add(seq, fetch, answer)

    if "accounts" in wanted:
        take(retrieval("/v1/account", "account", origin="account"), own_account)
    workers, splits = settings.max_concurrency, settings.window_splits
    for fetch, answer in crawl(api, _wave_one(partition, settings, relist, wanted), workers=workers, splits=splits):
        take(fetch, answer)
    targets = _composition_targets(conn, observer, partition) if "payout_composition" in wanted else []
    charges = _charges_to_refresh(observer) if "charges" in wanted else []
    for fetch, answer in crawl(api, _wave_two(observer, targets, charges, wanted), workers=workers, splits=splits):
        take(fetch, answer)
    writer.flush()
    writer.write_rejects(observer.rejects)

    _insert(conn, "INSERT INTO listed_windows VALUES (?, ?, ?)", _complete_windows(partition, settings, relist, wanted))
    _insert(conn, "INSERT INTO composition_targets VALUES (?)", [(payout,) for payout in targets])
    replace_slice(conn)
    return Summary(partition=partition, server_now=server_now, snapshot_at=snapshot_at, events_complete=events_complete, relisted=relist,
                   composition_targets=targets, retrieved_charges=charges, pages=writer.pages,
                   counts=observer.counts, rejected=len(observer.rejects), calls=api.stats.as_dict(),
                   seconds=time.monotonic() - started, wanted=tuple(wanted))


def _insert(conn: duckdb.DuckDBPyConnection, sql: str, rows: list[tuple]) -> None:
    if rows:  # DuckDB refuses an empty executemany
        conn.executemany(sql, rows)


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
    """The (type, window) pairs we listed in full, where a missing deletable object means it is gone."""
    windows = []
    for endpoint in ENDPOINTS:
        if endpoint.object_type in DELETABLE and endpoint.asset in wanted:
            windows.append((endpoint.object_type, *partition.window))
            if relist and endpoint.asset in RELISTED:
                windows.append((endpoint.object_type, *_lookback(partition, settings)))
    return windows


def _composition_targets(conn: duckdb.DuckDBPyConnection, observer: Observer, partition: Partition) -> list[str]:
    """Automatic payouts created that day or changed that day, and any the previous run of the day fetched."""
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
    fresh = {object_id for kind, object_id in observer.fresh if kind == "charge"}
    return sorted(observer.charge_refs - fresh)


def _wave_two(observer: Observer, payouts: list[str], charges: list[str], wanted: Collection[str]) -> list[Fetch]:
    fetches = [listing("/v1/balance_transactions", "balance_transaction", "payout", parent_id=payout, payout=payout)
               for payout in payouts]
    fetches += [retrieval(f"/v1/charges/{charge}", "charge") for charge in charges]
    for parent, kind in sorted(observer.lines_needed.items()):
        if f"{kind}s" in wanted:
            fetches.append(listing(f"/v1/{kind}s/{parent}/lines", LINE_TYPES[kind], "lines", parent_id=parent))
    return fetches
