"""`ledger-pipeline chaos`: the whole pipeline for several tenants and days under injected 429s, 5xx
answers, timeouts, token expiries and a kill -9 in the middle of posting; then re-run. The books in both
accounting sandboxes must end identical to a clean run's: nothing lost, nothing duplicated.

Exits 0 when they are identical and every recovery run passed all its checks; 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class ChaosReport:
    clean: Any                  # chaos_world.WorldResult
    chaos: Any
    differences: list[str]

    @property
    def recovered(self) -> bool:
        recovery = [r for r in self.chaos.runs if r.phase == "recovery"]
        return bool(recovery) and all(r.success and not r.failed_checks for r in recovery)

    @property
    def identical(self) -> bool:
        return not self.differences and bool(self.clean.books)

    @property
    def passed(self) -> bool:
        clean_ok = all(r.success and not r.failed_checks for r in self.clean.runs)
        killed = self.chaos.killed is None or self.chaos.killed.success
        return clean_ok and self.recovered and self.identical and killed

    def as_dict(self) -> dict[str, Any]:
        from ledger_pipeline.cli.chaos_state import count_objects

        def phases(world) -> dict[str, dict[str, int]]:
            counts: dict[str, Counter] = {}
            for run in world.runs:
                ok = run.success and not run.failed_checks
                counts.setdefault(run.phase, Counter())["passed" if ok else "failed"] += 1
            return {k: dict(v) for k, v in counts.items()}

        return {"passed": self.passed, "identical_books": self.identical, "differences": self.differences[:50],
                "books": {k: count_objects(v) for k, v in self.clean.books.items()},
                "clean": {"runs": phases(self.clean), "seconds": round(self.clean.seconds, 1)},
                "chaos": {"runs": phases(self.chaos), "seconds": round(self.chaos.seconds, 1),
                          "faults_seen": self.chaos.faults_seen,
                          "killed": asdict(self.chaos.killed) if self.chaos.killed else None}}


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("chaos", help="prove the books survive faults and a kill -9 unchanged")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument("--days", type=int, default=4)
    parser.add_argument("--charges-per-day", type=int, default=12)
    parser.add_argument("--connected-accounts", type=int, default=2)
    parser.add_argument("--error-rate", type=float, default=0.05, help="share of answers that are 5xx")
    parser.add_argument("--timeout-rate", type=float, default=0.02, help="share of requests that time out")
    parser.add_argument("--no-kill", action="store_true", help="skip the kill -9")
    parser.add_argument("--keep", type=Path, default=None, help="keep the worlds' files in this folder")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(handler=chaos_command)


def chaos_command(args: argparse.Namespace) -> int:
    from ledger_pipeline.cli.chaos_world import ChaosSettings

    settings = ChaosSettings(error_rate=args.error_rate, timeout_rate=args.timeout_rate, kill=not args.no_kill)
    say = (lambda _: None) if args.json else print
    report = run_chaos(args.seed, args.days, args.charges_per_day, args.connected_accounts, settings,
                       keep=args.keep, say=say)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, default=str))
    else:
        print_report(report)
    return 0 if report.passed else 1


def run_chaos(seed: int, days: int, charges_per_day: int, connected_accounts: int, settings,
              mappings: Path | None = None, keep: Path | None = None, say=print) -> ChaosReport:
    from ledger_pipeline.cli.chaos_state import differences
    from ledger_pipeline.cli.chaos_world import run_world
    from ledger_pipeline.config import load_config, mappings_directory
    from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate

    world = generate(GeneratorSettings(seed=seed, days=days, charges_per_day=charges_per_day,
                                       connected_accounts=connected_accounts))
    mappings = (mappings or mappings_directory(load_config())).resolve()
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="ledger-chaos-"))
    try:
        say("Clean run (no faults):")
        clean = run_world(world, folder / "clean", mappings, None, say=say)
        target = max(clean.runs, key=lambda r: r.books_writes)  # the partition that posts the most
        say(f"Chaos run (faults on; kill -9 of {target.tenant} {target.day} while it posts), then a re-run:")
        chaos = run_world(world, folder / "chaos", mappings, settings, (target.tenant, target.day), say=say)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    found = []
    for company in sorted(set(clean.books) | set(chaos.books)):
        found += [f"{company}: {d}" for d in differences(clean.books.get(company, {}), chaos.books.get(company, {}))]
    return ChaosReport(clean, chaos, found)


def print_report(report: ChaosReport) -> None:
    data = report.as_dict()
    print("\nChaos report")
    print(f"  clean run   {data['clean']['runs']} in {data['clean']['seconds']} s")
    print(f"  chaos run   {data['chaos']['runs']} in {data['chaos']['seconds']} s")
    print(f"  faults      {', '.join(f'{k}: {v}' for k, v in sorted(data['chaos']['faults_seen'].items()))}")
    killed = data["chaos"]["killed"]
    if killed:
        print(f"  kill -9     {killed['tenant']} {killed['day']} after {killed['books_writes']} object(s) "
              f"reached the books")
    for company, n in sorted(data["books"].items()):
        print(f"  books       {company}: {n} objects")
    print(f"  identical   {'yes' if report.identical else 'NO'}")
    for line in report.differences[:40]:
        print(f"    {line}")
    print("PASSED: the books after the chaos equal a clean run's" if report.passed else "FAILED")
