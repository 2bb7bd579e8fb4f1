"""The audit pack's manifest and README: what each file holds, its row count and its sha256."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TABLES = {
    "entries": "journal entries of both posting modes, as built (journal.entries)",
    "lines": "their lines, in the transaction and the books currency (journal.lines)",
    "line_sources": "the balance transactions and parts (gross, fee, net) behind each line (journal.line_sources)",
    "line_lineage": "the same with the Stripe objects behind them (journal.line_lineage)",
    "bookings": "where every balance transaction stands: booked, quarantined, awaiting payout (journal.bookings)",
    "quarantine": "entries held back and the mapping key that releases them (quarantine.journal_entries)",
    "mapping_versions": "every mapping file version loaded, as parsed, and which is current (mapping.versions)",
    "mapping_accounts": "the accounts each mapping version names, by role (mapping.accounts)",
    "check_results": "the accounting checks per day partition, recomputed when this pack was written",
}
CHECKS_SOURCE = ("recomputed when the pack was written, for every day from the first day booked to the last "
                 "day with data, by ledger_pipeline.defs.journal.checks.evaluate (the code the journal asset runs)")


@dataclass(frozen=True)
class PackFile:
    table: str
    file: str
    rows: int
    sha256: str


def _what(file: PackFile) -> str:
    return TABLES.get(file.table) or (f"the {file.table.removeprefix('beancount_')} journal as a Beancount ledger "
                                      f"with balance assertions from Stripe's figures (rows: entries)")


def write_manifest(folder: Path, tenant: str, fmt: str, files: list[PackFile], bean_checks: dict[str, str]) -> None:
    written_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    manifest: dict[str, Any] = {
        "tenant": tenant, "written_at": written_at, "format": fmt, "check_results": CHECKS_SOURCE,
        "bean_check": bean_checks,
        "files": [{"file": f.file, "table": f.table, "rows": f.rows, "sha256": f.sha256, "what": _what(f)}
                  for f in files],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    readme = [f"# Audit pack: {tenant}", "",
              f"Written {written_at} by `ledger-pipeline export audit` from the tenant's warehouse. Amounts are "
              "integer minor units (cents; yen have none, dinars three decimals). Check each file against its "
              "sha256 (`sha256sum -c` reads the list at the end).", "",
              "| file | rows | what | sha256 |", "|---|---:|---|---|"]
    readme += [f"| {f.file} | {f.rows} | {_what(f)} | `{f.sha256}` |" for f in files]
    readme += ["", f"Check results: {CHECKS_SOURCE}.", ""]
    readme += [f"Beancount's `bean-check` on {name}: {verdict.splitlines()[0] if verdict else ''}"
               for name, verdict in bean_checks.items()]
    readme += ["", "```"]
    readme += [f"{f.sha256}  {f.file}" for f in files]
    readme += ["```", ""]
    (folder / "README.md").write_text("\n".join(readme), encoding="utf-8")


def sha256(path: Path) -> str:
    """The file's sha256, read a megabyte at a time (a big tenant's lineage runs to gigabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
