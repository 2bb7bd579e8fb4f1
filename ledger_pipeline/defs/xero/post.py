"""Post one tenant-day to Xero through the shared posting protocol (ledger_pipeline.posting).

In this order, as the QuickBooks loader: the contacts and items the documents name (matched before created);
the documents and manual journals (new ones up to 50 a request with summarizeErrors=false, changed ones
updated, voided ones voided); then the payments, which point at the invoices just posted, each followed by
its parts (payment_parts.py: its overpayment, its exchange difference, records `<entry key>#<part>`); then
the removal of objects whose journal entry is gone, and of parts an entry no longer has. Every request
carries an Idempotency-Key derived from the record key and its content hash. A refusal for good (Xero's
ValidationErrors) is recorded against its record with the fix and the rest carries on; anything about the
connection stops here with the intent pending.

The day's budget: each step's calls are counted before it begins (budget.py). When the next step does not
fit above `min_calls_left`, posting stops there: the rest waits (no intent written) for the next run, which
finishes the job. Xero saying the day is spent (429 daily) stops it the same way; what was sent stays
pending and is settled by marker or the same key next time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import duckdb

from ledger_pipeline.defs.quickbooks import post as quickbooks_post
from ledger_pipeline.defs.quickbooks.entries import (Entry, Gone, Line, entries_to_post, entry_key_of, part_key,
                                                     records_gone)
from ledger_pipeline.defs.xero import adapter, budget, documents, master_data, payment_parts
from ledger_pipeline.defs.xero.organisation import Organisation
from ledger_pipeline.posting import ErrorKind, Outbox, Outcome, Poster, PostRecord, PostReport, TargetError
from ledger_pipeline.targets.xero.errors import TARGET

OUT_OF_BUDGET = frozenset({ErrorKind.BUDGET, ErrorKind.DAILY_LIMIT})
PAYMENTS, CREDIT_NOTES = "Payments", "CreditNotes"
WAITING = "waiting"   # not sent: waits for the next day's budget
failure = quickbooks_post.failure


@dataclass
class Posted(quickbooks_post.Posted):
    """What one run did (see the QuickBooks loader's), and what waits for the next day's budget."""

    waiting: list[str] = field(default_factory=list)    # record keys not sent for the budget
    stopped_for_daily_limit: bool = False
    tracking_added: list[str] = field(default_factory=list)      # "Category: Option" added by master data
    tracking_problems: list[str] = field(default_factory=list)
    allocations: int = 0                                          # credit notes allocated to their invoices
    allocation_problems: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {**super().counts(), WAITING: len(self.waiting)}

    def metadata(self, shown: int = 10) -> dict[str, Any]:
        out = super().metadata(shown)
        out["posted_as_another_document"] = out.pop("posted_as_journal_entries")
        out["stopped_for_daily_limit"] = self.stopped_for_daily_limit
        out["waiting_for_budget"] = len(self.waiting)
        if self.tracking_added or self.tracking_problems:
            out["tracking_options"] = {"added": self.tracking_added, "problems": self.tracking_problems}
        if self.allocations or self.allocation_problems:
            out["credit_note_allocations"] = {"allocated": self.allocations, "problems": self.allocation_problems}
        return out


def post_day(conn: duckdb.DuckDBPyConnection, org: Organisation, tenant: str, day: dt.date, base_currency: str,
             run_id: str | None) -> Posted:
    """Post the partition's entries, update the changed ones, void the voided, remove the ones that are gone."""
    target = org.target
    outbox = Outbox(conn, TARGET, org.tenant_id, key_length=target.key_length,
                    batch_key_length=target.batch_key_length, run_id=run_id)
    poster = Poster(outbox, target)
    posted = Posted(entries=entries_to_post(conn, tenant, day, org.tenant_id, adapter.adapter_key(base_currency),
                                            target=TARGET))
    calls_before, batches_before = org.count.calls, target.batches
    try:
        shapes: dict[str, documents.Shape] = {}
        settled: set[str] = set()
        banks: list[frozenset[str]] = []  # the organisation's bank account codes, read once when a shape needs them

        def bank_accounts() -> frozenset[str]:
            if not banks:
                banks.append(documents.bank_account_codes(org.client.accounts()))
            return banks[0]

        pieces: dict[str, list[Entry]] = {}  # entry key -> what it posts as: itself, or a payment's parts
        gone: list[Gone] = []
        for entry in posted.entries:
            if entry.reversal:  # the journal's reversal of a voided document: Xero voids that one instead
                posted.report.outcomes.append(Outcome(entry.entry_key, "skipped", None,
                                                      f"reverses {entry.applies_to}, voided in Xero instead"))
                continue
            pieces[entry.entry_key] = payment_parts.split(entry)
            gone += _parts_gone(outbox, entry, pieces[entry.entry_key])
            for piece in pieces[entry.entry_key]:
                current = outbox.current(piece.entry_key)
                if quickbooks_post._settled(outbox, piece) or (piece.voided and current is not None):
                    settled.add(piece.entry_key)  # skipped or voided as the books hold it: nothing to shape
                    shapes[piece.entry_key] = documents.Shape(current.remote_kind)
                else:
                    shapes[piece.entry_key] = documents.shape(piece, bank_accounts())
        links = _links(org, tenant, base_currency, [p for ps in pieces.values() for p in ps], shapes, settled,
                       outbox, posted)
        # payments point at invoices: those go first; a payment's parts go right after it
        first = [p for ps in pieces.values() if shapes[ps[0].entry_key].kind != PAYMENTS for p in ps]
        then = [p for ps in pieces.values() if shapes[ps[0].entry_key].kind == PAYMENTS for p in ps]
        for wave in (first, then):
            if posted.stopped_for_daily_limit:
                posted.waiting += [e.entry_key for e in wave]
                continue
            records = _records(tenant, wave, shapes, base_currency, links, posted, settled)
            done = len(posted.report.outcomes)
            _post(poster, records, posted.report, org, posted)
            if wave is first:  # credit notes are in the first wave: allocate them before the payments
                _allocate(org, wave, shapes, links, posted.report.outcomes[done:], posted)
        gone += records_gone(conn, org.tenant_id, adapter.TRANSACTION_KINDS, target=TARGET)
        _post(poster, [adapter.removal(g) for g in gone], posted.report, org, posted)
    finally:
        posted.calls = org.count.calls - calls_before
        posted.batches = target.batches - batches_before
    return posted


def _post(poster: Poster, records: list[PostRecord], report: PostReport, org: Organisation, posted: Posted) -> None:
    """Post step by step while the day's budget lasts; the rest waits, unsent, for the next run."""
    for step in budget.steps(poster.outbox, poster.target, records):
        if posted.stopped_for_daily_limit or not org.budget.allows(step.calls):
            posted.stopped_for_daily_limit = True
            posted.waiting += [r.record_key for r in step.records]
            continue
        try:
            report.outcomes.extend(poster.post(step.records, batch=True).outcomes)
        except TargetError as error:
            if error.kind not in OUT_OF_BUDGET:
                raise
            posted.stopped_for_daily_limit = True  # Xero's day is spent: what went out stays pending
            posted.waiting += [r.record_key for r in step.records]


def _parts_gone(outbox: Outbox, entry: Entry, pieces: list[Entry]) -> list[Gone]:
    """Parts of the entry the books hold that it no longer posts as (its journal changed): removed."""
    keys = {piece.entry_key for piece in pieces}
    out = []
    for key in (part_key(entry.entry_key, part) for part in payment_parts.PARTS):
        current = outbox.current(key)
        if key not in keys and current is not None and current.live:
            out.append(Gone(key, current.remote_kind, current.content_hash, current.marker))
    return out


def _records(tenant: str, wave: list[Entry], shapes: dict[str, documents.Shape], base_currency: str,
             links: documents.Links, posted: Posted, settled: set[str]) -> list[PostRecord]:
    """The wave's records; a payment's parts only with the payment itself (it is the first of its pieces): a
    payment that waits for its invoice keeps its overpayment and exchange difference waiting too."""
    out: list[PostRecord] = []
    waiting_for: set[str] = set()
    for piece in wave:
        entry_key = entry_key_of(piece.entry_key)
        if entry_key in waiting_for:
            continue
        record = _record(tenant, piece, shapes[piece.entry_key], base_currency, links, posted,
                         piece.entry_key in settled)
        if record is None:
            waiting_for.add(entry_key)
        else:
            out.append(record)
    return out


def _record(tenant: str, entry: Entry, how: documents.Shape, base_currency: str, links: documents.Links,
            posted: Posted, settled: bool) -> PostRecord | None:
    mark = adapter.marker(tenant, entry.entry_key)
    if entry.voided or settled:  # void what the books have, or skip: nothing to build either way
        return PostRecord(entry.entry_key, how.kind, entry.record_hash, mark, None, voided=entry.voided)
    try:
        payload = documents.build(entry, how, mark, base_currency, links)
    except (documents.NotReady, adapter.NotInBaseCurrency) as exc:
        posted.not_built.append(Outcome(entry.entry_key, "failed", None, str(exc)))
        return None
    if how.reason:
        posted.journal_entries_instead.append({"record_key": entry.entry_key, "as": how.kind, "why": how.reason})
    return PostRecord(entry.entry_key, how.kind, entry.record_hash, mark, payload)


def _links(org: Organisation, tenant: str, base_currency: str, entries: list[Entry],
           shapes: dict[str, documents.Shape], settled: set[str], outbox: Outbox, posted: Posted) -> documents.Links:
    """Contacts and items of the documents about to be built (`entries`: every piece); the Links they are
    built with."""

    def in_books(entry_key: str) -> tuple[str, str] | None:
        current = outbox.current(entry_key)
        return (current.remote_kind, current.remote_id) if current is not None and current.live else None

    live = {e.entry_key: e for e in entries if e.entry_key in shapes and not e.voided and e.entry_key not in settled}
    parties = {key: master_data.wanted_for(e, base_currency, shapes[key]) for key, e in live.items()}
    wanted = [w for w in parties.values() if w is not None]
    wanted += [w for key in live for line in shapes[key].items if (w := master_data.item_wanted(line)) is not None]
    ids = outbox.live_ids({w.key for w in wanted})  # linked by an earlier run: no need to look again
    missing = [w for w in wanted if w.key not in ids]
    if missing:
        records, by_marker = master_data.master_records(tenant, missing)
        target = master_data.MatchingTarget(org, master_data.Directory(org), by_marker)
        _post(Poster(outbox, target), records, posted.master, org, posted)
        posted.linked = target.linked
        ids.update(outbox.live_ids(r.record_key for r in records))
    _tracking(org, [line for entry in live.values() for line in entry.lines], posted)

    def party(entry: Entry) -> str | None:
        wanted_one = parties.get(entry.entry_key)
        if wanted_one is None:
            return None
        if wanted_one.key not in ids:
            raise documents.NotReady(f"{entry.entry_key}: its contact '{wanted_one.name}' is not in Xero (see the "
                                     "master data failures)")
        return ids[wanted_one.key]

    def item(line: Line) -> str | None:
        wanted_one = master_data.item_wanted(line)
        return wanted_one.code if wanted_one is not None and wanted_one.key in ids else None

    return documents.Links(party=party, item=item, posted=in_books)


def _tracking(org: Organisation, lines: list[Line], posted: Posted) -> None:
    """The tracking options the lines name, added to their categories when missing (master data)."""
    wanted = master_data.tracking_wanted(lines)
    if not wanted or posted.stopped_for_daily_limit:
        return
    if not org.budget.allows(1 + sum(len(options) for options in wanted.values())):
        posted.stopped_for_daily_limit = True
        return
    report = master_data.ensure_tracking(org.client, wanted)
    posted.tracking_added += report.created
    posted.tracking_problems += report.problems


def _allocate(org: Organisation, wave: list[Entry], shapes: dict[str, documents.Shape], links: documents.Links,
              outcomes: list[Outcome], posted: Posted) -> None:
    """Each credit note created now is allocated to the invoice it credits (one call each), the key derived
    from the record, so a repeat is answered with the first answer."""
    created = {o.record_key: o.remote_id for o in outcomes if o.result in ("created", "recovered") and o.remote_id}
    for entry in wave:
        how = shapes[entry.entry_key]
        if how.kind != CREDIT_NOTES or entry.entry_key not in created:
            continue
        allocation = documents.allocation(entry, how, links)
        if allocation is None:
            continue
        if posted.stopped_for_daily_limit or not org.budget.allows(1):
            posted.stopped_for_daily_limit = True
            posted.allocation_problems.append(f"{entry.entry_key}: not allocated, the day's API budget is spent; "
                                              "allocate it in Xero or re-post the credit note")
            continue
        key = "lp-allocation-" + hashlib.sha256(f"{org.tenant_id}|{entry.entry_key}|{entry.record_hash}".encode()
                                                ).hexdigest()
        try:
            org.client.allocate_credit_note(created[entry.entry_key], allocation, key)
            posted.allocations += 1
        except TargetError as error:
            if not error.definitive:
                raise
            posted.allocation_problems.append(f"{entry.entry_key}: {error.message} Fix: {error.fix}")
