"""One world for `ledger-pipeline chaos`: the three sandboxes in this process, a throwaway configuration,
warehouse, token store and Dagster instance, and the daily job run for every tenant and day.

A clean world runs once, with no faults. A chaos world runs every partition under injected faults
(Stripe, QuickBooks and Xero answering 5xx, timing out and throttling, access tokens expiring), with one
partition run as a separate process that is killed (SIGKILL) right after its first object lands in the
books; then every partition is run again, faults off, as a user would after an incident. What the books
hold at the end is compared with the clean world's (chaos_state).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ledger_pipeline.cli import chaos_state

STRIPE_KEY = "sk_test_sandbox"
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
TIME_SCALE = 60.0  # a sandbox minute lasts a second: throttling windows pass quickly


@dataclass(frozen=True)
class ChaosSettings:
    error_rate: float = 0.05           # share of requests answered 500/502/503
    timeout_rate: float = 0.02         # share of requests that hang, then fail
    quickbooks_per_minute: int = 40    # the QuickBooks sandbox's limit, time-scaled: 429s come in storms
    throttled: int = 2                 # each run meets this many 429s from each service first
    token_expiry_every: int = 2        # every this many runs, every access token expires
    kill: bool = True                  # kill -9 one run in the middle of posting
    fault_seed: int = 1


@dataclass
class RunOutcome:
    tenant: str
    day: dt.date
    phase: str                         # clean | chaos | killed | recovery
    success: bool
    checks: int = 0
    failed_checks: list[str] = field(default_factory=list)
    books_writes: int = 0              # objects the accounting sandboxes gained during the run


@dataclass
class WorldResult:
    runs: list[RunOutcome]
    books: dict[str, dict[str, Any]]   # "quickbooks/<realm>" | "xero/<tenant id>" -> comparable books
    faults_seen: dict[str, int]        # answers the sandboxes gave that a clean run never sees
    killed: RunOutcome | None = None
    seconds: float = 0.0


@contextlib.contextmanager
def scoped_environment() -> Iterator[None]:
    """The world points the ordinary configuration at its sandboxes through the environment; undo it after."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def copy_mappings(source: Path, folder: Path, seed: dict | None = None) -> Path:
    """The user's mapping files, the platform's books switched to per-transaction documents: many objects
    per day, so a kill lands in the middle of posting rather than after a single journal entry. A seller's
    own mapping file (the demo's EUR seller posts to Xero) names an account of the demo's data; a world of
    other data gets it for its own EUR seller, so both accounting sandboxes take part."""
    target = folder / "mappings"
    shutil.copytree(source, target, dirs_exist_ok=True)
    sellers = {o.get("default_currency"): o["id"] for o in (seed or {}).get("objects", [])
               if o.get("object") == "account" and o.get("default_currency")}
    for path in sorted(target.glob("*.acct_*.yaml")):
        platform, account = path.stem.split(".", 1)
        mine = target / f"{platform}.{sellers.get('eur')}.yaml"
        if seed and account not in sellers.values() and "eur" in sellers and not mine.exists():
            path.rename(mine)
    for path in target.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "posting_mode: payout_summary" in text and ".connected." not in path.name and path.stem.count(".") == 0:
            text = text.replace("posting_mode: payout_summary", "posting_mode: per_transaction")
            if "\nexchange_rates:" not in text:  # invoices in other currencies need a rate for their documents
                text += '\nexchange_rates:\n  eur: {default: "1.08"}\n  gbp: {default: "1.27"}\n'
            path.write_text(text, encoding="utf-8")
    return target


def write_config(folder: Path, start: dt.date, mappings: Path) -> Path:
    fast = {"backoff_seconds": 0.02, "max_backoff_seconds": 0.3, "timeout_seconds": 3}
    config = {
        "start_date": str(start),
        "warehouse": {"directory": str(folder / "warehouse")},
        "mappings": {"directory": str(mappings)},
        "stripe": {"requests_per_second": 200, "max_retries": 10, "backoff_seconds": 0.02, "timeout_seconds": 3,
                   "window_splits": 2},
        "quickbooks": {**fast, "max_attempts": 12},
        "xero": {**fast, "max_attempts": 12},
        "tenants": [{"key": "demo", "name": "Chaos platform", "connected_accounts": "discover"}],
    }
    path = folder / "ledger_pipeline.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def run_world(seed: dict, folder: Path, mappings: Path, chaos: ChaosSettings | None,
              kill_target: tuple[str, dt.date] | None = None, say: Callable[[str], None] = print) -> WorldResult:
    from ledger_pipeline.cli.demo import seed_days, seller_currencies
    from ledger_pipeline.cli.demo_books import start_quickbooks
    from ledger_pipeline.config import load_config, project_config
    from ledger_pipeline.sandbox.common import Faults, SandboxClock
    from ledger_pipeline.sandbox.quickbooks import QuickBooksSandbox
    from ledger_pipeline.sandbox.stripe import StripeSandbox

    started = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True)
    days = seed_days(seed)
    faults = [Faults(seed=chaos.fault_seed + n) if chaos else Faults() for n in range(3)]
    with scoped_environment():
        stripe = StripeSandbox(seed=seed, api_keys=(STRIPE_KEY,), faults=faults[0], requests_per_second=1000)
        stripe_server = stripe.serve(port=0)
        quickbooks = QuickBooksSandbox(clock=SandboxClock(time_scale=TIME_SCALE), faults=faults[1],
                                       requests_per_minute=chaos.quickbooks_per_minute if chaos else 500)
        (folder / "dagster").mkdir(exist_ok=True)
        (folder / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
        mappings = copy_mappings(mappings, folder, seed)
        os.environ.update({"LEDGER_PIPELINE_CONFIG": str(write_config(folder, days[0], mappings)),
                           "DAGSTER_HOME": str(folder / "dagster"), "LEDGER_STRIPE_API_BASE": stripe_server.base_url,
                           "STRIPE_API_KEY": STRIPE_KEY})
        for name in ("LEDGER_WAREHOUSE_DIR", "LEDGER_MAPPINGS_DIR", "LEDGER_QUICKBOOKS_BASE", "LEDGER_XERO_BASE"):
            os.environ.pop(name, None)
        project_config.cache_clear()
        books = start_quickbooks(load_config(), seller_currencies(seed), quickbooks)
        xero = _start_xero(load_config(), seed, faults[2])
        try:
            project_config.cache_clear()
            result = _run_partitions(load_config(), days, quickbooks, xero, chaos, kill_target, faults, say)
            result.books = {f"quickbooks/{realm}": chaos_state.quickbooks_books(
                chaos_state.fetch(books.server.base_url, realm)) for realm in books.realms}
            if xero is not None:
                result.books.update({f"xero/{org}": chaos_state.xero_books(
                    chaos_state.fetch(xero.server.base_url, org)) for org in xero.organisations})
            result.faults_seen = _faults_seen(stripe, quickbooks, xero)
            (folder / "books.json").write_text(json.dumps(result.books, indent=1, sort_keys=True, default=str),
                                               encoding="utf-8")  # the evidence, for a person to diff
        finally:
            stripe_server.stop()
            books.stop()
            if xero is not None:
                xero.stop()
            project_config.cache_clear()
    result.seconds = time.monotonic() - started
    return result


def _start_xero(config, seed: dict, faults) -> Any | None:
    """The Xero sandbox, where a mapping posts to Xero (the demo's books helper knows how to seed it)."""
    from ledger_pipeline.cli import demo_books
    from ledger_pipeline.sandbox.common import SandboxClock
    from ledger_pipeline.sandbox.xero import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, XeroSandbox

    # the job's Xero resource needs its keys even where no mapping posts to Xero
    os.environ[config.xero.client_id_env] = DEFAULT_CLIENT_ID
    os.environ[config.xero.client_secret_env] = DEFAULT_CLIENT_SECRET
    start = getattr(demo_books, "start_xero", None)
    if start is None:
        return None

    return start(config, XeroSandbox(clock=SandboxClock(time_scale=TIME_SCALE), faults=faults))


def _run_partitions(config, days, quickbooks, xero, chaos: ChaosSettings | None,
                    kill_target: tuple[str, dt.date] | None, faults, say) -> WorldResult:
    import dagster as dg

    from ledger_pipeline.definitions import defs as lazy_defs
    from ledger_pipeline.defs.stripe.tenants import discover_tenant_keys
    from ledger_pipeline.lib.partitions import TENANTS

    defs = lazy_defs()
    tenants = discover_tenant_keys(config, defs.resources["stripe"])
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(TENANTS, [t for t in tenants if not instance.has_dynamic_partition(TENANTS, t)])
    job = defs.resolve_job_def("ledger_daily_job")
    count = lambda: _objects_in_books(quickbooks, xero)  # noqa: E731
    result = WorldResult(runs=[], books={}, faults_seen={})
    partitions = [(t, d) for t in tenants for d in days]
    if chaos is not None:
        for f in faults:
            # a hang longer than the clients wait (timeout_seconds 3 in write_config): a real client-side timeout
            f.configure(error_rate=chaos.error_rate, timeout_rate=chaos.timeout_rate, timeout_seconds=4.0)
    for n, (tenant, day) in enumerate(partitions, start=1):
        if chaos is not None and chaos.token_expiry_every and n % chaos.token_expiry_every == 0:
            quickbooks.move_clock(by=3601)  # every access token is now past its hour
            if xero is not None:
                xero.sandbox.advance(1801)
        if chaos is not None and chaos.throttled:
            _throttle(faults, chaos.throttled)
        if chaos is not None and chaos.kill and (tenant, day) == kill_target:
            result.killed = _run_and_kill(tenant, day, count, quickbooks)
            result.runs.append(result.killed)
            say(f"  [kill] {tenant:<28} {day}  killed after {result.killed.books_writes} object(s) reached the books")
            continue
        result.runs.append(_run(job, instance, tenant, day, "chaos" if chaos else "clean", count, say))
    if chaos is not None:  # after the incident: faults off, every partition again
        for f in faults:
            f.clear()
        quickbooks.limits.reset()
        for tenant, day in partitions:
            result.runs.append(_run(job, instance, tenant, day, "recovery", count, say))
    return result


def _throttle(faults, count: int) -> None:
    """A 429 storm at the start of the run, in each service's own way (Xero says how long to wait)."""
    stripe, quickbooks, xero = faults
    stripe.configure(scripted=[{"path": "^/v1/", "status": 429, "count": count}])
    quickbooks.configure(scripted=[{"path": "^/v3/company/", "status": 429, "count": count}])
    xero.configure(scripted=[{"path": "^/api.xro/2.0/", "status": 429, "count": count,
                              "headers": {"Retry-After": "1", "X-Rate-Limit-Problem": "minute"}}])


def _run(job, instance, tenant: str, day: dt.date, phase: str, count, say) -> RunOutcome:
    from ledger_pipeline.lib.partitions import partition_key

    before = count()
    result = job.execute_in_process(partition_key=partition_key(tenant, day), instance=instance,
                                    raise_on_error=False, run_config=QUIET_LOGS)
    checks = result.get_asset_check_evaluations()
    failed = [f"{c.asset_key.to_user_string()}:{c.check_name}" for c in checks if not c.passed]
    outcome = RunOutcome(tenant, day, phase, result.success, len(checks), failed, count() - before)
    mark = "ok " if result.success and not failed else "FAIL"
    say(f"  [{mark}] {phase:<8} {tenant:<28} {day}  checks {len(checks) - len(failed)}/{len(checks)}, "
        f"{outcome.books_writes} new object(s) in the books")
    return outcome


def _run_and_kill(tenant: str, day: dt.date, count, quickbooks, timeout: float = 300.0) -> RunOutcome:
    """The partition's run in its own process, killed with SIGKILL as soon as it has written to the books:
    whatever it sent next, and the record of what it sent, are lost with it."""
    quickbooks.faults.configure(latency_ms=40.0)  # posting spread out, so the kill lands in the middle of it
    before = count()
    process = subprocess.Popen([sys.executable, "-m", "ledger_pipeline.cli.chaos_worker", tenant, str(day)],
                               env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    deadline = time.monotonic() + timeout
    killed = False
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if count() > before:
                os.killpg(process.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.002)
        if process.poll() is None and not killed:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
    finally:
        quickbooks.faults.configure(latency_ms=0.0)
    time.sleep(0.3)  # requests already in the sandbox finish landing
    return RunOutcome(tenant, day, "killed", killed, books_writes=count() - before,
                      failed_checks=[] if killed else ["the run ended before it wrote to the books"])


def _objects_in_books(quickbooks, xero) -> int:
    total = 0
    for company in quickbooks.companies.values():
        with company.lock:
            total += sum(len(objects) for objects in company.objects.values())
    if xero is not None:
        with xero.sandbox.lock:
            total += sum(len(rows) for org in xero.sandbox.organisations.values()
                         for name, rows in org.data.items() if name != "meta")
    return total


def _faults_seen(stripe, quickbooks, xero) -> dict[str, int]:
    """The 429s and 5xx each sandbox answered, and the token requests QuickBooks saw."""
    statuses = {"stripe": [stripe.stats.snapshot()["by_status"]],
                "quickbooks": [r.get("statuses", {}) for r in quickbooks.stats.snapshot()["realms"].values()]}
    if xero is not None:
        statuses["xero"] = [t.get("by_status", {}) for t in xero.sandbox.stats.snapshot()["tenants"].values()]
    seen: dict[str, int] = {}
    for name, counters in statuses.items():
        for counter in counters:
            for status, n in counter.items():
                if status == "429" or str(status).startswith("5"):
                    key = f"{name} {'429' if status == '429' else '5xx'}"
                    seen[key] = seen.get(key, 0) + n
    seen["quickbooks token requests"] = quickbooks.stats.snapshot()["oauth"].get("token_requests", 0)
    return seen
