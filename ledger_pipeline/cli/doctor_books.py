"""`doctor`'s look at the books: the readiness check the pipeline's own preflight asset runs
(defs/quickbooks/readiness, defs/xero/readiness), on the mapping file as it stands now, loaded into a
scratch warehouse. Nothing is about to post, so the mapping's own accounts, lists and currency are checked.
"""

from __future__ import annotations

from typing import Any

from ledger_pipeline.cli.books import COMPANY_WORDS, TARGET_NAMES
from ledger_pipeline.cli.doctor_checks import Line
from ledger_pipeline.cli.scratch_mapping import scratch_mapping
from ledger_pipeline.defs.journal.mapping_file import Mapping, MappingError
from ledger_pipeline.warehouse import WarehouseResource


def books_lines(tenant: str, mapping: Mapping, client: Any, warehouse: WarehouseResource) -> list[Line]:
    target = mapping.content.books.target
    if target == "quickbooks":
        from ledger_pipeline.defs.quickbooks import readiness
    else:
        from ledger_pipeline.defs.xero import readiness
    try:
        with scratch_mapping(tenant, mapping, warehouse) as (conn, current):
            state = readiness.assess(client, conn, current, lambda home: [])
    except MappingError as exc:
        return [Line(False, problem.render(exc.file)) for problem in exc.problems]
    lines = []
    name = getattr(state, "company_name", None) or getattr(state, "organisation_name", "")
    if name:
        home = getattr(state, "home_currency", None) or getattr(state, "base_currency", "")
        extra = ", multicurrency on" if getattr(state, "multicurrency", False) else ""
        lines.append(Line(True, f"{TARGET_NAMES[target]} {COMPANY_WORDS[target]} {name!r} answers (home currency "
                                f"{home}{extra})"))
    for found in state.findings.values():
        lines += [Line(False, f"{finding.problem}. Fix: {finding.fix}") for finding in found]
    for area, checked in state.checked.items():
        if area != readiness.CONNECTION and checked and not state.findings.get(area):
            lines.append(Line(True, f"{area.replace('_', ' ')}: {checked} checked, all fit"))
    return lines
