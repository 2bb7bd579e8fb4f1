"""`ledger-pipeline export`: the books written out for independent proof.

  export beancount   each tenant's journal as a Beancount ledger with balance assertions from Stripe's
                     figures; `--check` runs Beancount's own bean-check on every file written
  export audit       the audit pack: journal, lineage, bookings, quarantine, mapping versions, check results
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("export", help="write the books out: a Beancount ledger, the audit pack")
    kinds = parser.add_subparsers(dest="export", required=True)

    beancount = kinds.add_parser("beancount", help="each tenant's journal as a Beancount ledger bean-check proves")
    _common(beancount, "folder (one <tenant>.beancount each) or a .beancount file (one tenant)")
    beancount.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, metavar="DATE",
                           help="first entry date shown; what came before is brought forward")
    beancount.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, metavar="DATE",
                           help="last entry date shown")
    beancount.add_argument("--check", action="store_true", help="run bean-check on every ledger written")
    beancount.set_defaults(handler=beancount_command)

    audit = kinds.add_parser("audit", help="the audit pack: one file per table, with a manifest of sha256s")
    _common(audit, "folder for the packs (one sub-folder per tenant)")
    audit.add_argument("--format", choices=("csv", "parquet"), default="csv")
    audit.set_defaults(handler=audit_command)


def _common(parser: argparse.ArgumentParser, out_help: str) -> None:
    parser.add_argument("--tenant", dest="tenants", action="extend", nargs="+", metavar="T",
                        help="tenant key(s) (default: every tenant with a warehouse file)")
    parser.add_argument("--out", type=Path, help=f"{out_help} (default: exports/ beside the warehouse folder)")
    parser.add_argument("--warehouse", type=Path, help="warehouse folder (default: the config's warehouse.directory)")


def _warehouse_and_tenants(args: argparse.Namespace):
    from ledger_pipeline.config import load_config
    from ledger_pipeline.warehouse import WarehouseResource

    config = load_config()
    warehouse = WarehouseResource(directory=str(args.warehouse or config.warehouse.directory))
    known = warehouse.tenant_keys()
    tenants = args.tenants or known
    missing = [t for t in tenants if t not in known]
    if missing:
        raise SystemExit(f"no warehouse file for {', '.join(missing)} in {warehouse.directory} "
                         f"(tenants there: {', '.join(known) or 'none'})")
    return config, warehouse, tenants


def _default_out(warehouse_directory: str, kind: str) -> Path:
    return Path(warehouse_directory).resolve().parent / "exports" / kind


def beancount_command(args: argparse.Namespace) -> int:
    from ledger_pipeline.export.bean_check import bean_check
    from ledger_pipeline.export.beancount import write_ledgers

    _, warehouse, tenants = _warehouse_and_tenants(args)
    out = args.out or _default_out(warehouse.directory, "beancount")
    try:
        written = write_ledgers(warehouse, tenants, out, args.date_from, args.date_to)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    failed = 0
    for ledger, path in written:
        line = (f"{path}  {ledger.tenant} {ledger.mode}: {ledger.entries} entries, "
                f"{ledger.assertions} balance assertions, books in {ledger.books_currency.upper()}")
        if args.check:
            result = bean_check(path)
            failed += not result.passed
            line += "  bean-check: " + ("ok" if result.passed else "FAILED")
            if not result.passed:
                line += "\n" + result.output
        print(line, flush=True)
    if not written:
        print(f"no journal entries for {', '.join(tenants) or 'any tenant'}: nothing written")
    return 1 if failed else 0


def audit_command(args: argparse.Namespace) -> int:
    from ledger_pipeline.config import ConfigError
    from ledger_pipeline.export.audit import write_pack

    config, warehouse, tenants = _warehouse_and_tenants(args)
    out = args.out or _default_out(warehouse.directory, "audit")
    for key in tenants:
        try:
            tenant = config.tenant(key)
        except ConfigError as exc:
            raise SystemExit(str(exc)) from None
        with warehouse.connect(key, read_only=True) as conn:
            files = write_pack(conn, tenant, config.start_date, out / key, args.format)
        rows = ", ".join(f"{f.table} {f.rows}" for f in files)
        print(f"{out / key}/  {rows}", flush=True)
    return 0
