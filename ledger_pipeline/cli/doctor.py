"""`ledger-pipeline doctor`: every preflight check for every tenant, and what to fix.

Tenants are the configured ones plus the connected accounts a `discover` platform already has a
warehouse file for. Each gets OK / FIX lines; the exit status is 1 when anything needs fixing.
"""

from __future__ import annotations

import argparse
import sys


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("doctor", help="check every tenant's mapping, credentials, tokens and books")
    parser.add_argument("--tenant", metavar="KEY", help="only this tenant (default: every tenant)")
    parser.set_defaults(handler=doctor_command)


def doctor_command(args: argparse.Namespace) -> int:
    from ledger_pipeline.cli.doctor_checks import check_tenant
    from ledger_pipeline.config import ConfigError, project_config
    from ledger_pipeline.warehouse import WarehouseResource

    try:
        config = project_config()
        warehouse = WarehouseResource(directory=config.warehouse.directory)
        tenants = [args.tenant] if args.tenant else tenant_keys(config, warehouse)
        for key in tenants:
            config.tenant(key)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not tenants:
        print("no tenants configured: add one under `tenants:` in the configuration")
        return 1
    to_fix = []
    for key in tenants:
        lines = check_tenant(config, key, warehouse)
        print(key)
        for line in lines:
            print(f"  {'OK ' if line.ok else 'FIX'}  {line.text}")
        if not all(line.ok for line in lines):
            to_fix.append(key)
    ready = len(tenants) - len(to_fix)
    print(f"{len(tenants)} tenant(s): {ready} ready" + (f", to fix: {', '.join(to_fix)}" if to_fix else ""))
    return 1 if to_fix else 0


def tenant_keys(config, warehouse) -> list[str]:
    """Configured tenants, then connected accounts with a warehouse file that the configuration accepts."""
    from ledger_pipeline.config import CONNECTED_SEPARATOR, ConfigError

    keys = config.configured_tenant_keys()
    for key in warehouse.tenant_keys():
        if CONNECTED_SEPARATOR not in key:
            continue
        try:
            config.tenant(key)
        except ConfigError:
            continue  # a leftover file of an account the platform no longer discovers
        keys.append(key)
    return list(dict.fromkeys(keys))
