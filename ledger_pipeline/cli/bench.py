"""`ledger-pipeline bench`: measured figures, as ratios to the limits where a limit exists."""

from __future__ import annotations

import argparse
import json


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("bench", help="run the benchmarks on the sandboxes")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    parser.add_argument("--size", choices=("small", "tiny"), default="small",
                        help="without a benchmark named: every one at this size (small: a few minutes)")
    parser.add_argument("--only", default=None, metavar="NAME,NAME",
                        help="run just these of the report's benchmarks (extract, transform, load_quickbooks, "
                             "load_xero, demo_pipeline)")
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
    load.add_argument("--target", choices=("quickbooks", "xero"), default="quickbooks")
    # defaults per target (quickbooks: 600, 600, 1.5; xero: 1000, 300, 10): see bench/load_<target>.py
    load.add_argument("--payments", type=int, default=None,
                      help="card payments in the day (a sales receipt and a customer each, and their fees)")
    load.add_argument("--updates", type=int, default=None, help="of them changed and updated (one request each)")
    load.add_argument("--time-scale", type=float, default=None, help="sandbox minutes per real minute")
    load.add_argument("--json", action="store_true", dest="json_sub")
    parser.set_defaults(handler=bench_command)


def _limit(text: str) -> str | None:
    return None if text.lower() == "none" else text


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())


def bench_command(args: argparse.Namespace) -> int:
    if args.benchmark is None:  # every benchmark, one report (bench/report.py)
        from ledger_pipeline.bench.report import run_all
        from ledger_pipeline.bench.report_table import render

        everything = run_all(args.size, tuple(args.only.split(",")) if args.only else None)
        print(json.dumps(everything, indent=2, default=str) if args.json else render(everything))
        return 0
    report: dict[str, dict] = {}
    if args.benchmark == "extract":
        from ledger_pipeline.bench import extract

        report["extract"] = extract.run(
            balance_transactions=getattr(args, "balance_transactions", 100_000),
            rate=getattr(args, "rate", 25.0),
            latency_ms=getattr(args, "latency_ms", 50.0),
        )
    if args.benchmark == "transform":
        from ledger_pipeline.bench import transform

        report["transform"] = transform.run(sizes=getattr(args, "sizes", (1_000_000, 10_000_000)),
                                            memory_limit=_limit(getattr(args, "memory_limit", "1.5GB")))
    if args.benchmark == "load":  # a minute or more against the time-scaled limits: only when asked for
        from ledger_pipeline.bench import load_quickbooks, load_xero

        given = {"payments": args.payments, "updates": args.updates, "time_scale": args.time_scale}
        run = {"quickbooks": load_quickbooks.run, "xero": load_xero.run}[args.target]
        report[f"load {args.target}"] = run(**{k: v for k, v in given.items() if v is not None})
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
