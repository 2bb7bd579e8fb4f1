"""Post one tenant-day to QuickBooks through the shared posting protocol (ledger_pipeline.posting).

In this order: the customers, vendors and items the documents name (matched before created); the
documents and journal entries (new ones in batches of 30, paced under the realm's batch ceiling; changed
ones updated; voided ones voided); then the payments, which point at the invoices just posted; then the
removal of objects whose journal entry is gone. Every request carries a requestid derived from the record
key and its content hash. A refusal for good is recorded against its record (QuickBooks' message and the
fix) and the rest carries on; anything about the connection stops here with the intent pending, for the
next run to settle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb

from ledger_pipeline.defs.quickbooks import adapter, documents, master_data
from ledger_pipeline.defs.quickbooks.company import Company
from ledger_pipeline.defs.quickbooks.entries import TARGET, Entry, Line, entries_to_post, records_gone
from ledger_pipeline.posting import Outbox, Outcome, Poster, PostRecord, PostReport

RESULTS = ("created", "updated", "skipped", "voided", "deleted", "recovered", "failed", "pending")
WRITES = ("created", "updated", "voided", "deleted", "recovered")
SLICE = 300  # records per Poster call: batches stay full, and what was done before a stop is reported


@dataclass
class Posted:
    """What one run did: every record's outcome, the ones we could not build, master data, the calls it took."""

    entries: list[Entry] = field(default_factory=list)
    report: PostReport = field(default_factory=PostReport)
    not_built: list[Outcome] = field(default_factory=list)
    master: PostReport = field(default_factory=PostReport)
    linked: int = 0                      # master data found in the company rather than created
    journal_entries_instead: list[dict[str, str]] = field(default_factory=list)
    calls: int = 0
    batches: int = 0

    def counts(self) -> dict[str, int]:
        counts = {name: 0 for name in RESULTS}
        for outcome in [*self.report.outcomes, *self.not_built]:
            counts[outcome.result] = counts.get(outcome.result, 0) + 1
        return counts

    @property
    def failures(self) -> list[Outcome]:
        every = [*self.report.outcomes, *self.not_built, *self.master.outcomes]
        return [o for o in every if o.result in ("failed", "pending")]

    @property
    def objects_written(self) -> int:
        every = [*self.report.outcomes, *self.master.outcomes]
        return sum(1 for o in every if o.result in WRITES) - self.linked

    def metadata(self, shown: int = 10) -> dict[str, Any]:
        remote = [{"record_key": o.record_key, "result": o.result, "remote_id": o.remote_id}
                  for o in self.report.outcomes if o.remote_id and o.result in WRITES][:shown]
        master = self.master.counts()
        if self.linked:
            master["linked to existing"] = self.linked
            master["created"] = master.get("created", 0) - self.linked
        return {
            "counts": self.counts(),
            "master_data": {k: v for k, v in master.items() if v},
            "remote_ids": remote,
            "api_calls": self.calls,
            "batch_requests": self.batches,
            "objects_per_call": round(self.objects_written / self.calls, 2) if self.calls else 0.0,
            "posted_as_journal_entries": self.journal_entries_instead[:shown],
            "failures": [failure(o) for o in self.failures[:25]],
        }


def failure(outcome: Outcome) -> dict[str, Any]:
    error = outcome.error
    return {"record_key": outcome.record_key, "result": outcome.result,
            "code": error.code if error else None, "message": error.message if error else outcome.reason,
            "fix": error.fix if error else None}


def post_day(conn: duckdb.DuckDBPyConnection, company: Company, tenant: str, day: dt.date, home_currency: str,
             run_id: str | None) -> Posted:
    """Post the partition's entries, update the changed ones, void the voided, remove the ones that are gone."""
    target = company.target
    outbox = Outbox(conn, TARGET, company.realm_id, key_length=target.key_length,
                    batch_key_length=target.batch_key_length, run_id=run_id)
    poster = Poster(outbox, target)
    posted = Posted(entries=entries_to_post(conn, tenant, day, company.realm_id, adapter.adapter_key(home_currency)))
    calls_before, batches_before = company.count.calls, target.batches
    try:
        shapes: dict[str, documents.Shape] = {}
        settled: set[str] = set()
        for entry in posted.entries:
            if entry.reversal:  # the journal's reversal of a voided document: QuickBooks voids that one instead
                posted.report.outcomes.append(Outcome(entry.entry_key, "skipped", None,
                                                      f"reverses {entry.applies_to}, voided in QuickBooks instead"))
                continue
            shapes[entry.entry_key] = documents.shape(entry)
            if _settled(outbox, entry):
                settled.add(entry.entry_key)
        links = _master_data(company, tenant, home_currency, posted, shapes, settled, outbox)
        first = [e for e in posted.entries if e.entry_key in shapes and shapes[e.entry_key].kind != "Payment"]
        then = [e for e in posted.entries if e.entry_key in shapes and shapes[e.entry_key].kind == "Payment"]
        for wave in (first, then):  # payments point at invoices: those go first
            records = [r for r in (_record(tenant, e, shapes[e.entry_key], home_currency, links, posted,
                                           e.entry_key in settled) for e in wave) if r is not None]
            _post(poster, records, posted.report)
        gone = records_gone(conn, company.realm_id, adapter.TRANSACTION_KINDS)
        _post(poster, [adapter.removal(g) for g in gone], posted.report)
    finally:
        posted.calls = company.count.calls - calls_before
        posted.batches = target.batches - batches_before
    return posted


def _post(poster: Poster, records: list[PostRecord], report: PostReport) -> None:
    for start in range(0, len(records), SLICE):
        report.outcomes.extend(poster.post(records[start:start + SLICE], batch=True).outcomes)


def _settled(outbox: Outbox, entry: Entry) -> bool:
    """In the books as built already, nothing half sent: the Poster will skip it, so nothing to build."""
    current = outbox.current(entry.entry_key)
    return (current is not None and current.live and current.content_hash == entry.record_hash
            and not entry.voided and not outbox.pending(entry.entry_key))


def _record(tenant: str, entry: Entry, how: documents.Shape, home_currency: str, links: documents.Links,
            posted: Posted, settled: bool) -> PostRecord | None:
    doc_number = adapter.marker(tenant, entry.entry_key)
    if entry.voided or settled:  # void what the books have, or skip: nothing to build either way
        return PostRecord(entry.entry_key, how.kind, entry.record_hash, doc_number, None, voided=entry.voided)
    try:
        payload = documents.build(entry, how, doc_number, home_currency, links)
    except documents.NotReady as exc:
        posted.not_built.append(Outcome(entry.entry_key, "failed", None, str(exc)))
        return None
    if how.reason:
        posted.journal_entries_instead.append({"record_key": entry.entry_key, "why": how.reason})
    return PostRecord(entry.entry_key, how.kind, entry.record_hash, doc_number, payload)


def _master_data(company: Company, tenant: str, home_currency: str, posted: Posted,
                 shapes: dict[str, documents.Shape], settled: set[str], outbox: Outbox) -> documents.Links:
    """Customers, vendors and items of the documents about to be built; the Links they are built with."""
    live = {e.entry_key: e for e in posted.entries
            if e.entry_key in shapes and not e.voided and e.entry_key not in settled}
    parties = {key: master_data.wanted_for(e, home_currency) for key, e in live.items()}
    directory = master_data.Directory(company)  # reads a list only when something needs it
    wanted = [w for w in parties.values() if w is not None]
    by_line: dict[tuple[str, int], str] = {}
    for line in (line for key in live for line in shapes[key].items):
        if line.item_ref and directory.income_account(line.item_ref) == line.account_ref:
            by_line[(line.entry_key, line.line_no)] = line.item_ref  # the mapping's item books there
        else:
            wanted.append(master_data.item_wanted(line))
    ids = outbox.live_ids({w.key for w in wanted})  # linked by an earlier run: no need to look again
    missing = [w for w in wanted if w.key not in ids]
    if missing:
        records, by_marker = master_data.master_records(tenant, missing)
        target = master_data.MatchingTarget(company, directory, by_marker)
        posted.master = Poster(outbox, target).post(records, batch=True)
        posted.linked = target.linked
        ids.update(outbox.live_ids(r.record_key for r in records))

    def party(entry: Entry) -> str | None:
        wanted_one = parties.get(entry.entry_key)
        if wanted_one is None:
            return None
        if wanted_one.key not in ids:
            raise documents.NotReady(f"{entry.entry_key}: its {wanted_one.kind.lower()} '{wanted_one.name}' is not "
                                     "in QuickBooks (see the master data failures)")
        return ids[wanted_one.key]

    def party_kind(entry: Entry) -> str | None:
        wanted_one = parties.get(entry.entry_key)
        return wanted_one.kind if wanted_one else None

    def item(line: Line) -> str:
        found = by_line.get((line.entry_key, line.line_no)) or ids.get(f"item/{line.account_ref}")
        if found is None:
            raise documents.NotReady(f"{line.entry_key}: no item books to account {line.account_ref} "
                                     f"({line.account_name}) in QuickBooks (see the master data failures)")
        return found

    def in_books(entry_key: str) -> tuple[str, str] | None:
        current = outbox.current(entry_key)
        return (current.remote_kind, current.remote_id) if current is not None and current.live else None

    return documents.Links(party=party, item=item, posted=in_books, party_kind=party_kind)
