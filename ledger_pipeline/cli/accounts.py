"""`ledger-pipeline accounts`: the company's chart of accounts, and the tenant's mapping checked against it.

  accounts --tenant KEY                 the chart of the company the tenant's mapping posts to
  accounts --tenant KEY --check         every account the mapping names: there, active, of a fitting type
  accounts --tenant KEY --write FILE    a starter mapping with the best-guess accounts, to review
  --target quickbooks|xero --company ID stand in for a mapping that does not exist yet
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("accounts", help="list the books' chart of accounts; check or write a mapping")
    parser.add_argument("--tenant", metavar="KEY", help="the tenant whose mapping names the company")
    parser.add_argument("--target", choices=("quickbooks", "xero"), help="without a mapping: the books")
    parser.add_argument("--company", metavar="ID", help="without a mapping: QuickBooks realm id / Xero tenant id")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="check every account the tenant's mapping names")
    action.add_argument("--write", type=Path, metavar="FILE", help="write a starter mapping file to review")
    parser.add_argument("--force", action="store_true", help="with --write: replace an existing file")
    parser.set_defaults(handler=accounts_command)


def accounts_command(args: argparse.Namespace) -> int:
    from ledger_pipeline.cli.books import SetupError, explain
    from ledger_pipeline.config import ConfigError
    from ledger_pipeline.defs.journal.mapping_file import MappingError
    from ledger_pipeline.posting.errors import TargetError

    try:
        return _run(args)
    except (SetupError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except MappingError as exc:
        print(f"error: the mapping file {exc.file} cannot be used:\n{exc}", file=sys.stderr)
    except TargetError as error:
        print(f"error: {explain(error)}", file=sys.stderr)
    return 1


def _run(args: argparse.Namespace) -> int:
    from ledger_pipeline.cli.books import COMPANY_WORDS, TARGET_NAMES, SetupError, company_client
    from ledger_pipeline.cli.chart import chart_table, read_chart
    from ledger_pipeline.config import project_config

    config = project_config()
    mapping = path = None
    if args.tenant:
        config.tenant(args.tenant)
        if args.check or not (args.target and args.company):
            mapping, path = _tenant_mapping(config, args.tenant)
    if args.check and mapping is None:
        raise SetupError("--check needs --tenant KEY: it checks that tenant's mapping file")
    if args.target and args.company:
        target, company = args.target, args.company
    elif mapping is not None:
        target, company = mapping.content.books.target, mapping.content.books.company
    else:
        raise SetupError("say which books: --tenant KEY (its mapping names them), or --target and --company")
    chart = read_chart(target, company, company_client(config, target, company))
    print(f"{TARGET_NAMES[target]} {COMPANY_WORDS[target]} {chart.company_name!r} ({company}), home currency "
          f"{chart.home_currency}: {len(chart.accounts)} accounts")
    if args.check:
        return _check(mapping, path.read_text(encoding="utf-8"), chart)
    print(chart_table(chart))
    if args.write:
        return _write(args, chart)
    return 0


def _tenant_mapping(config, tenant: str):
    from ledger_pipeline.config import mappings_directory
    from ledger_pipeline.defs.journal.mapping_asset import shown_path
    from ledger_pipeline.defs.journal.mapping_file import load_mapping, mapping_path

    path = mapping_path(tenant, mappings_directory(config))
    return load_mapping(path, shown_path(path)), path


def _check(mapping, text: str, chart) -> int:
    from ledger_pipeline.cli.mapping_check import check_mapping

    problems = check_mapping(mapping, text, chart)
    for problem in problems:
        print(problem.render(mapping.file))
    if problems:
        print(f"{len(problems)} problem(s) in {mapping.file}")
        return 1
    print(f"{mapping.file}: every account it names is in the chart, active, and of a type that fits its key")
    return 0


def _write(args: argparse.Namespace, chart) -> int:
    from ledger_pipeline.cli.mapping_check import check_mapping
    from ledger_pipeline.cli.starter_mapping import starter_mapping
    from ledger_pipeline.defs.journal.mapping_file import MappingError, load_mapping

    path: Path = args.write
    if path.exists() and not args.force:
        print(f"error: {path} exists; choose another file, or add --force to replace it", file=sys.stderr)
        return 1
    text = starter_mapping(chart, args.tenant or path.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    review = sum("REVIEW" in line for line in text.splitlines() if not line.startswith("#"))
    print(f"wrote {path}: {review} line(s) marked REVIEW to look at before the first run")
    try:
        problems = check_mapping(load_mapping(path), text, chart)
    except MappingError as exc:
        print(f"before it can be used, fix:\n{exc}")
        return 0
    for problem in problems:
        print(problem.render(str(path)))
    return 0
