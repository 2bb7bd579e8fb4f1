"""`ledger-pipeline sandbox serve`: the Stripe, QuickBooks and Xero sandboxes on loopback."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path

STRIPE_PORT, QUICKBOOKS_PORT, XERO_PORT = 12111, 12112, 12113


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("sandbox", help="local stand-ins for Stripe, QuickBooks Online and Xero")
    actions = parser.add_subparsers(dest="action", required=True)
    serve = actions.add_parser("serve", help="serve the sandboxes on 127.0.0.1 until interrupted")
    add_stripe_data_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    serve.add_argument("--stripe-port", type=int, default=STRIPE_PORT)
    serve.add_argument("--quickbooks-port", type=int, default=QUICKBOOKS_PORT)
    serve.add_argument("--xero-port", type=int, default=XERO_PORT)
    serve.add_argument("--stripe-rate", type=float, default=25.0, help="Stripe requests/second before 429")
    serve.add_argument("--latency-ms", type=float, default=0.0, help="added to every answer")
    serve.set_defaults(handler=serve_command)


def add_stripe_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stripe-data", type=Path, metavar="FILE",
                        help='seed JSON: {"objects": [...], "payout_composition": {...}}')
    parser.add_argument("--seed", type=int, default=7, help="generator seed (without --stripe-data)")
    parser.add_argument("--days", type=int, default=7, help="days of generated history")
    parser.add_argument("--charges-per-day", type=int, default=20)
    parser.add_argument("--connected-accounts", type=int, default=2)


def stripe_seed(args: argparse.Namespace) -> dict:
    """The Stripe sandbox's data: the user's file, or the deterministic generator."""
    if args.stripe_data:
        try:
            seed = json.loads(args.stripe_data.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise SystemExit(f"--stripe-data {args.stripe_data}: cannot read it as JSON ({exc})") from None
        if not isinstance(seed, dict) or not isinstance(seed.get("objects"), list):
            raise SystemExit(f'--stripe-data {args.stripe_data}: expected {{"objects": [...]}} at the top level')
        return seed
    from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate

    return generate(GeneratorSettings(seed=args.seed, days=args.days, charges_per_day=args.charges_per_day,
                                      connected_accounts=args.connected_accounts))


def serve_command(args: argparse.Namespace) -> int:
    from ledger_pipeline.sandbox.common import Faults
    from ledger_pipeline.sandbox.stripe import StripeSandbox

    servers = []
    stripe = StripeSandbox(seed=stripe_seed(args), requests_per_second=args.stripe_rate,
                           faults=Faults(latency_ms=args.latency_ms))
    servers.append(("Stripe", stripe.serve(host=args.host, port=args.stripe_port)))
    for name, module, cls, port in (
        ("QuickBooks Online", "ledger_pipeline.sandbox.quickbooks", "QuickBooksSandbox", args.quickbooks_port),
        ("Xero", "ledger_pipeline.sandbox.xero", "XeroSandbox", args.xero_port),
    ):
        try:
            sandbox_cls = getattr(__import__(module, fromlist=[cls]), cls)
        except (ImportError, AttributeError):
            continue  # that sandbox is not part of this build yet
        servers.append((name, sandbox_cls(faults=Faults(latency_ms=args.latency_ms)).serve(host=args.host, port=port)))
    for name, server in servers:
        print(f"{name:<18} sandbox: {server.base_url}", flush=True)
    print("Stripe API key for the sandbox: sk_test_sandbox. Ctrl-C stops.", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    for _, server in servers:
        server.stop()
    return 0
