"""`ledger-pipeline`: the project's command line."""

from __future__ import annotations

import argparse
import logging
import sys

from ledger_pipeline.cli import bench, chaos, demo, export, sandbox, webhooks
from ledger_pipeline.cli import accounts, connect, doctor


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ledger-pipeline",
        description="Keep QuickBooks Online / Xero books in step with Stripe, to the cent, with proof.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sandbox.register(commands)
    demo.register(commands)
    bench.register(commands)
    webhooks.register(commands)
    export.register(commands)
    chaos.register(commands)
    connect.register(commands)
    accounts.register(commands)
    doctor.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
