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
    transform = which.add_parser("transform", help="journal build and checks on synthesized staging, vs a plain "
                                                   "aggregate")
    transform.add_argument("--sizes", type=_sizes, default=(1_000_000, 10_000_000), metavar="N,N",
                           help="staged balance transactions per run (default 1000000,10000000)")
    transform.add_argument("--memory-limit", default="1.5GB", metavar="SIZE",
                           help="DuckDB memory_limit for the run (default 1.5GB, the 2 GiB goal's share; "
                                "`none`: DuckDB's own, 80%% of RAM)")
    transform.add_argument("--json", action="store_true", dest="json_sub")
    load = which.add_parser("load", help="posting to the books against the realm's rate ceiling (time-scaled)")
    load.add_argument("--target", choices=("quickbooks",), default="quickbooks")
    load.add_argument("--payments", type=int, default=600,
                      help="card payments in the day (a sales receipt, a fee expense and a customer each)")
    load.add_argument("--updates", type=int, default=600, help="of them changed and updated (one request each)")
    load.add_argument("--time-scale", type=float, default=1.5, help="sandbox minutes per real minute")
    load.add_argument("--json", action="store_true", dest="json_sub")
    parser.set_defaults(handler=bench_command)


def _limit(text: str) -> str | None:
    return None if text.lower() == "none" else text


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())


def bench_command(args: argparse.Namespace) -> int:
    report: dict[str, dict] = {}
    if args.benchmark in (None, "extract"):
        from ledger_pipeline.bench import extract

        report["extract"] = extract.run(
            balance_transactions=getattr(args, "balance_transactions", 100_000),
            rate=getattr(args, "rate", 25.0),
            latency_ms=getattr(args, "latency_ms", 50.0),
        )
    if args.benchmark in (None, "transform"):
        from ledger_pipeline.bench import transform

        report["transform"] = transform.run(sizes=getattr(args, "sizes", (1_000_000, 10_000_000)),
                                            memory_limit=_limit(getattr(args, "memory_limit", "1.5GB")))
    if args.benchmark == "load":  # a minute or more against the time-scaled limits: only when asked for
        from ledger_pipeline.bench import load_quickbooks

        report[f"load {args.target}"] = load_quickbooks.run(payments=args.payments, updates=args.updates,
                                                            time_scale=args.time_scale)
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
