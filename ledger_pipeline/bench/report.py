"""`ledger-pipeline bench`: every benchmark at one size, in one report.

Sections: extract (Stripe sandbox -> warehouse against the API rate ceiling), transform (the journal build
and checks), load_quickbooks and load_xero (posting against each target's rate ceiling and batch size),
demo_pipeline (the whole demo). Each holds its own figures, the wall time it took, and `ratio_to_limit`
where a limit exists: the busiest measured rate over the API's ceiling. A section that fails says why in
`error` and the others still run. Peak memory is the process's and its children's (transform and the demo
run in child processes) from getrusage, and each section's own where it samples it.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import time
import traceback
from importlib import util
from typing import Any, Callable

import psutil

# "small" stays within a few minutes on a laptop; "tiny" is for the test suite.
SIZES: dict[str, dict[str, dict[str, Any]]] = {
    "small": {
        "extract": {"balance_transactions": 20_000, "rate": 25.0, "latency_ms": 50.0, "days": 3},
        "transform": {"sizes": (300_000,)},
        "load_quickbooks": {"payments": 300, "updates": 100, "time_scale": 30.0},
        "load_xero": {"payments": 200, "updates": 50, "time_scale": 30.0, "month_days": 30},
        "demo_pipeline": {"days": 3, "charges_per_day": 5, "connected_accounts": 1},
    },
    "tiny": {
        "extract": {"balance_transactions": 200, "rate": 50.0, "latency_ms": 5.0, "days": 2,
                    "connected_accounts": 1, "naive": False},
        "transform": {"sizes": (5_000,)},
        "load_quickbooks": {"payments": 12, "updates": 4, "time_scale": 120.0},
        "load_xero": {"payments": 12, "updates": 4, "time_scale": 120.0, "month_days": 2},
        "demo_pipeline": {"days": 4, "charges_per_day": 3, "connected_accounts": 0},  # a payout lands in it
    },
}


def run_all(size: str = "small", only: tuple[str, ...] | None = None) -> dict[str, Any]:
    settings = SIZES[size]
    benchmarks: dict[str, dict[str, Any]] = {}
    for name, (runner, limits) in BENCHMARKS.items():
        if only and name not in only:
            continue
        began = time.monotonic()
        try:
            figures = runner(**settings[name])
        except Exception as exc:  # one broken benchmark is a figure too, not the end of the report
            figures = {"error": f"{type(exc).__name__}: {exc}",
                       "where": traceback.format_exc(limit=-3).strip().splitlines()[-3:]}
        if "skipped" not in figures:
            figures["seconds"] = round(time.monotonic() - began, 2)
            if "error" not in figures:
                figures.update({k: v for k, v in limits(figures).items() if v is not None})
        benchmarks[name] = figures
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024       # Linux reports KiB
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "size": size,
        "machine": {"cores": os.cpu_count(), "memory_bytes": psutil.virtual_memory().total,
                    "load_average_1m": round(os.getloadavg()[0], 2)},
        "benchmarks": benchmarks,
        "peak_memory_bytes": own,
        # the largest child's ru_maxrss; on Linux it counts what this process held when the child was forked
        "peak_memory": {"process_bytes": own, "children_bytes": children},
    }


# --- each benchmark, and its ratio to the limit it runs against -------------------------------------------

def _extract(**settings: Any) -> dict[str, Any]:
    from ledger_pipeline.bench import extract

    return extract.run(**settings)


def _transform(**settings: Any) -> dict[str, Any]:
    from ledger_pipeline.bench import transform

    return transform.run(**settings)


def _load_quickbooks(**settings: Any) -> dict[str, Any]:
    from ledger_pipeline.bench import load_quickbooks

    return load_quickbooks.run(**settings)


def _load_xero(**settings: Any) -> dict[str, Any]:
    if util.find_spec("ledger_pipeline.bench.load_xero") is None:
        return {"skipped": "not built"}
    from ledger_pipeline.bench import load_xero

    return load_xero.run(**settings)


def _demo(**settings: Any) -> dict[str, Any]:
    from ledger_pipeline.bench import demo_pipeline

    return demo_pipeline.run(**settings)


def _limits_extract(figures: dict[str, Any]) -> dict[str, float | None]:
    # objects a second over rate x 100: every request allowed, each a full page
    return {"ratio_to_limit": figures.get("ratio_to_ceiling")}


def _limits_quickbooks(figures: dict[str, Any]) -> dict[str, float | None]:
    """The busier phase's busiest sandbox minute over Intuit's ceiling for it (40 batch requests, 500
    requests), and how full the create batches were (30 objects to a batch request)."""
    ratios = [value for key, value in figures.items()
              if key.endswith("ratio: busiest sandbox minute / ceiling (40 batch requests)")
              or key.endswith("ratio: busiest sandbox minute / ceiling (500 requests)")]
    batches = figures.get("create batch_requests")
    return {"ratio_to_limit": max(ratios) if ratios else None,
            "ratio_to_batch_size": round(figures["create objects"] / batches / 30, 3) if batches else None}


def _limits_xero(figures: dict[str, Any]) -> dict[str, float | None]:
    # its own ratio_to_limit: the busiest sandbox minute's calls over Xero's 60; 50 objects to a request
    calls = figures.get("objects_per_call")
    return {"ratio_to_batch_size": round(calls / 50, 3) if calls else None}


def _no_limit(figures: dict[str, Any]) -> dict[str, float | None]:
    return {}


Runner = Callable[..., dict[str, Any]]
Limits = Callable[[dict[str, Any]], dict[str, float | None]]
BENCHMARKS: dict[str, tuple[Runner, Limits]] = {
    "extract": (_extract, _limits_extract),
    "transform": (_transform, _no_limit),            # no external limit: its goals are in its own figures
    "load_quickbooks": (_load_quickbooks, _limits_quickbooks),
    "load_xero": (_load_xero, _limits_xero),
    "demo_pipeline": (_demo, _no_limit),
}
