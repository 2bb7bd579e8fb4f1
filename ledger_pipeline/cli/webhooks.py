"""`ledger-pipeline webhooks serve`: receive Stripe webhooks into the event inbox the events sensor drains.

Point a Stripe webhook endpoint (Dashboard > Developers > Webhooks, or `stripe listen --forward-to`) at
`https://<your proxy>/webhooks/stripe/<tenant>` and export its signing secret (whsec_...) in the variable
`automation.webhooks.signing_secret_env` names (STRIPE_WEBHOOK_SECRET by default).
"""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("webhooks", help="receive Stripe webhooks for live updates")
    actions = parser.add_subparsers(dest="action", required=True)
    serve = actions.add_parser("serve", help="serve the Stripe webhook receiver until interrupted")
    serve.add_argument("--host", default=None, help="address to listen on (default: automation.webhooks.host, "
                                                    "127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="default: automation.webhooks.port (12114)")
    serve.add_argument("--tolerance", type=int, default=None, metavar="SECONDS",
                       help="oldest signature accepted (default: automation.webhooks.tolerance_seconds, 300)")
    serve.set_defaults(handler=serve_command)


def serve_command(args: argparse.Namespace) -> int:
    import dagster as dg
    import uvicorn

    from ledger_pipeline.config import config_path, load_config
    from ledger_pipeline.defs.automation.event_inbox import StripeEventInbox
    from ledger_pipeline.defs.automation.state_db import state_file
    from ledger_pipeline.defs.automation.webhook_receiver import build_webhook_app

    config = load_config()
    settings = config.automation.webhooks
    secrets, missing = {}, []
    for tenant in config.tenants:
        name = settings.secret_env(tenant.key)
        value = dg.EnvVar(name).get_value()
        if value:
            secrets[tenant.key] = value
        else:
            missing.append(f"{tenant.key} ({name})")
    if not secrets:
        raise SystemExit(f"no webhook signing secret is set: export the endpoint's secret (whsec_...) for "
                         f"{', '.join(missing) or 'a tenant'}; tenants are listed in {config_path()}")
    host, port = args.host or settings.host, args.port or settings.port
    inbox = StripeEventInbox(path=state_file(config))
    app = build_webhook_app(config, inbox, secrets, args.tolerance or settings.tolerance_seconds)
    for tenant in sorted(secrets):
        print(f"Stripe webhooks for {tenant}: http://{host}:{port}/webhooks/stripe/{tenant}", flush=True)
    if missing:
        print(f"no signing secret, not receiving: {', '.join(missing)}", flush=True)
    print(f"inbox: {inbox.path}. Ctrl-C stops.", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
    return 0
