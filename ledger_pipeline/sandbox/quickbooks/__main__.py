"""Run the QuickBooks sandbox by hand: python -m ledger_pipeline.sandbox.quickbooks [--port N] [--state FILE]."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path

from ..common import Faults, SandboxClock
from . import DISCOVERY_PATH, US_REALM, QuickBooksSandbox


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--state", type=Path, help="load from and save to this JSON file")
    parser.add_argument("--time-scale", type=float, default=1.0, help="60 makes a rate-limit minute last 1 s")
    parser.add_argument("--throttle-body", choices=("json", "xml"), default="json")
    args = parser.parse_args(argv)

    clock, faults = SandboxClock(time_scale=args.time_scale), Faults()
    options = {"clock": clock, "faults": faults, "throttle_body": args.throttle_body}
    if args.state and args.state.exists():
        sandbox = QuickBooksSandbox.from_file(args.state, **options)
    else:
        sandbox = QuickBooksSandbox(**options)
    server = sandbox.serve(port=args.port)
    tokens = sandbox.issue_tokens(US_REALM)
    print(json.dumps({"base_url": server.base_url, "discovery": server.base_url + DISCOVERY_PATH,
                      "api_url_v3": server.base_url + "/v3", "clients": sandbox.clients,
                      "realms": sorted(sandbox.companies), "tokens": tokens}, indent=2), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    server.stop()
    if args.state:
        sandbox.save(args.state)


if __name__ == "__main__":
    main()
