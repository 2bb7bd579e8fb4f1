"""`ledger-pipeline bench`: measured figures, as ratios to the limits where a limit exists."""

from __future__ import annotations

import argparse
import json


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("bench", help="run the benchmarks on the sandboxes")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    which = parser.add_subparsers(dest="benchmark")
    extract = which.add_parser("extract", help="Stripe extraction throughput against the rate limit")
    extract.add_argument("--balance-transactions", type=int, default=100_000)
    extract.add_argument("--rate", type=float, default=25.0, help="sandbox rate limit R, requests/second")
    extract.add_argument("--latency-ms", type=float, default=50.0, help="sandbox latency L per request")
    extract.add_argument("--json", action="store_true", dest="json_sub")
    parser.set_defaults(handler=bench_command)


def bench_command(args: argparse.Namespace) -> int:
    report: dict[str, dict] = {}
    if args.benchmark in (None, "extract"):
        from ledger_pipeline.bench import extract

        report["extract"] = extract.run(
            balance_transactions=getattr(args, "balance_transactions", 100_000),
            rate=getattr(args, "rate", 25.0),
            latency_ms=getattr(args, "latency_ms", 50.0),
        )
    if args.json or getattr(args, "json_sub", False):
        print(json.dumps(report, indent=2, default=str))
    else:
        for name, figures in report.items():
            print(f"== {name}")
            width = max(len(k) for k in figures)
            for key, value in figures.items():
                shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
                print(f"  {key:<{width}}  {shown}")
    return 0
