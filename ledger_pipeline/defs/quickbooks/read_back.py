"""Reading the books back after posting: the checks on `quickbooks/posted_entries` (ERROR, not blocking:
nothing runs after them, and the alert sensors report a failed check of a successful run).

- `every_record_posted`: every record this run handled is in the books as built; each one QuickBooks
  refused is named with its message and the fix (it stays in the outbox as failed, the rest went on).
- `trial_balance_matches`: QuickBooks' TrialBalance report, from the first day we posted to the end of the
  partition's month, equals the warehouse's journal lines of everything live in the books, per account
  we post to (books in the home currency; foreign-currency books are compared object by object).
- `one_object_per_record`: in the partition's month, each record live in the books has exactly one object
  carrying its marker, with the lines the warehouse holds; an object carrying this tenant's marker that no
  live record owns (a manual duplicate, or an edit of ours) is reported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

import dagster as dg
import duckdb
from quickbooks.objects import (CreditMemo, Invoice, JournalEntry, Payment, Purchase, RefundReceipt, SalesReceipt,
                                Transfer)

from ledger_pipeline.defs.quickbooks import adapter, documents
from ledger_pipeline.defs.quickbooks.company import Company
from ledger_pipeline.defs.quickbooks.entries import SQL, TARGET, Line
from ledger_pipeline.defs.quickbooks.post import Posted, failure
from ledger_pipeline.lib.checks import CheckSet, month, records
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.money import to_decimal
from ledger_pipeline.targets.quickbooks.client import quote
from ledger_pipeline.targets.quickbooks.target import marker_field

POSTED = dg.AssetKey(["quickbooks", "posted_entries"])
SHOWN = 25
EVERY_RECORD = "every_record_posted"
TRIAL_BALANCE = "trial_balance_matches"
ONE_OBJECT = "one_object_per_record"
DESCRIPTIONS = {
    EVERY_RECORD: "Every record this run handled is in QuickBooks; each refusal is named with QuickBooks' message "
                  "and the fix.",
    TRIAL_BALANCE: "QuickBooks' trial balance equals the warehouse's journal lines of what is in the books, per "
                   "account we post to.",
    ONE_OBJECT: "Each record in the books has exactly one QuickBooks object carrying its marker, with the warehouse's "
                "lines; no object carries our marker without a record.",
}
CLASSES = {cls.qbo_object_name: cls for cls in (JournalEntry, SalesReceipt, Invoice, Payment, RefundReceipt,
                                                 CreditMemo, Purchase, Transfer)}


CHECKS = CheckSet(POSTED, DESCRIPTIONS)
check_specs, not_applicable, _result, _records = CHECKS.specs, CHECKS.not_applicable, CHECKS.result, records


# --- every record posted ------------------------------------------------------------------------------------
def every_record_posted(posted: Posted) -> dg.AssetCheckResult:
    failures = [failure(o) for o in posted.failures]
    if not failures:
        return _result(EVERY_RECORD, True, f"{_records(len(posted.report.outcomes))} in the books as built",
                       counts=posted.counts())
    shown = "; ".join(f"{f['record_key']}: {f['message']} Fix: {f['fix'] or 'see the message'}" for f in failures[:3])
    return _result(EVERY_RECORD, False, f"{len(failures)} record(s) not in QuickBooks: {shown}",
                   not_posted=failures[:SHOWN], not_posted_count=len(failures), counts=posted.counts())


# --- the trial balance ------------------------------------------------------------------------------------------
def trial_balance_matches(conn: duckdb.DuckDBPyConnection, company: Company, day: dt.date,
                          home_currency: str, adapter_key: str) -> dg.AssetCheckResult:
    where = {"target": TARGET, "company": company.realm_id}
    first = conn.execute(load_sql(SQL, "posted_window"), where).fetchone()[0]
    _, end = month(day)
    if first is None or first > end:
        return _result(TRIAL_BALANCE, True, "nothing of this tenant is in the books yet")
    expected = {ref: (name, balance) for ref, name, balance in
                conn.execute(load_sql(SQL, "posted_totals"), {**where, "end": end}).fetchall()}
    currencies = {row[0] for row in conn.execute(load_sql(SQL, "posted_currencies"), where).fetchall()}
    if currencies - {home_currency.upper()}:
        return _result(TRIAL_BALANCE, True,
                       f"books in {', '.join(sorted(currencies))}, reports in {home_currency} (the home "
                       f"currency): compared object by object instead ({ONE_OBJECT})", start=str(first),
                       end=str(end))
    report = company.client.trial_balance(first, end)
    books = report.balances()
    compared, different = [], []
    for ref, (name, balance) in sorted(expected.items()):
        ours = to_decimal(int(balance), home_currency)
        theirs = books.get(ref, Decimal(0))
        row = {"account": ref, "name": name, "warehouse": str(ours), "quickbooks": str(theirs),
               "difference": str(theirs - ours)}
        compared.append(row)
        if theirs != ours:
            different.append(row)
    others = [{"account": line.account_id, "name": line.name, "quickbooks": str(line.balance)}
              for line in report.lines if line.account_id not in expected and line.balance]
    stale = [r[0] for r in conn.execute(load_sql(SQL, "posted_records"), {
        **where, "start": first, "end": end, "adapter": adapter_key}).fetchall() if r[7]]
    description = (f"{len(compared)} accounts from {first} to {end} equal the warehouse "
                   f"(debits {report.total_debit}, credits {report.total_credit})" if not different else
                   f"{len(different)} of {len(compared)} accounts differ from the warehouse: "
                   + ", ".join(f"{d['name']} (Id {d['account']}) off by {d['difference']}" for d in different[:5])
                   + (f"; {len(stale)} record(s) changed in the journal since they were posted" if stale else ""))
    return _result(TRIAL_BALANCE, not different, description, start=str(first), end=str(end),
                   accounts=compared[:SHOWN * 2], differences=different[:SHOWN],
                   other_activity_in_quickbooks=others[:SHOWN], changed_since_posted=stale[:SHOWN])


# --- one object per record ----------------------------------------------------------------------------------------
def one_object_per_record(conn: duckdb.DuckDBPyConnection, company: Company, tenant: str, day: dt.date,
                          adapter_key: str) -> dg.AssetCheckResult:
    start, end = month(day)
    where = {"target": TARGET, "company": company.realm_id}
    records = conn.execute(load_sql(SQL, "posted_records"),
                           {**where, "start": start, "end": end, "adapter": adapter_key}).fetchall()
    tag = adapter.tenant_tag(tenant) + "-"
    kinds = sorted({r[1] for r in records} | {"JournalEntry"})
    remote: dict[str, list[Any]] = defaultdict(list)
    for kind in kinds:
        for obj in _marked(company, kind, tag, start, end):
            remote[_marker_of(obj, kind, tag)].append(obj)
    lines: dict[str, list[Line]] = defaultdict(list)
    for row in conn.execute(load_sql(SQL, "entry_lines"), {"keys": [r[0] for r in records]}).fetchall():
        lines[row[0]].append(Line(*row))

    problems: list[dict[str, Any]] = []
    owned: set[str] = set()
    for record_key, kind, remote_id, marker, _date, currency, total, stale in records:
        owned.add(marker)
        found = remote.get(marker, [])
        if not found:
            problems.append({"record_key": record_key, "problem": f"no {kind} carries its marker {marker} (Id "
                             f"{remote_id} was deleted, voided or renumbered in QuickBooks)",
                             "fix": "if it was deleted on purpose, delete the record's row in sync.external_ids "
                                    "and re-run its day to post it again; else put the number back"})
        elif len(found) > 1:
            problems.append({"record_key": record_key, "problem": f"{len(found)} {kind} objects carry its marker "
                             f"{marker}: Ids {', '.join(str(o.Id) for o in found)}",
                             "fix": f"keep Id {remote_id} and delete the others in QuickBooks"})
        elif str(found[0].Id) != str(remote_id):
            problems.append({"record_key": record_key, "problem": f"the {kind} carrying {marker} is Id "
                             f"{found[0].Id}, the warehouse recorded Id {remote_id}"})
        elif not stale:
            difference = _content_difference(found[0], kind, lines[record_key], currency, total)
            if difference:
                problems.append({"record_key": record_key, "problem": f"{kind} Id {remote_id} was changed in "
                                 f"QuickBooks: {difference}",
                                 "fix": "undo the edit in QuickBooks (the warehouse is the source: the next change "
                                        "of this entry overwrites the object), or change the mapping"})
    strays = [{"marker": m, "ids": [str(o.Id) for o in objs], "kind": objs[0].qbo_object_name,
               "date": str(getattr(objs[0], "TxnDate", "")), "note": str(getattr(objs[0], "PrivateNote", ""))[:120]}
              for m, objs in sorted(remote.items()) if m not in owned]
    passed = not problems and not strays
    said = []
    if problems:
        said.append(f"{len(problems)} record(s) do not match their QuickBooks object: "
                    + "; ".join(f"{p['record_key']}: {p['problem']}" for p in problems[:2]))
    if strays:
        said.append(f"{len(strays)} QuickBooks object(s) carry this tenant's marker but no record (manual "
                    "duplicates or edits): " + ", ".join(f"{s['kind']} Id {s['ids'][0]} ({s['marker']})"
                                                         for s in strays[:3]))
    description = " | ".join(said) or (f"{_records(len(records))} in {start:%Y-%m}: each has exactly one object in "
                                       "QuickBooks, as built")
    return _result(ONE_OBJECT, passed, description, month=f"{start:%Y-%m}", records=len(records),
                   objects_found=sum(len(v) for v in remote.values()), problems=problems[:SHOWN],
                   marked_without_record=strays[:SHOWN])


def _marked(company: Company, kind: str, tag: str, start: dt.date, end: dt.date) -> list[Any]:
    """Live objects of `kind` dated in the window that carry this tenant's marker, as python-quickbooks objects."""
    dates = f"TxnDate >= {quote(start.isoformat())} AND TxnDate <= {quote(end.isoformat())}"
    if marker_field(kind) == "DocNumber":
        rows = company.client.query_all(kind, f"DocNumber LIKE {quote(tag + '%')} AND {dates}")
    else:
        rows = [r for r in company.client.query_all(kind, dates) if tag in str(r.get("PrivateNote") or "")]
    live = [r for r in rows if not str(r.get("PrivateNote") or "").startswith("Voided")]
    return [CLASSES[kind].from_json(row) for row in live]


def _marker_of(obj: Any, kind: str, tag: str) -> str:
    if marker_field(kind) == "DocNumber":
        return str(obj.DocNumber)
    note = str(getattr(obj, "PrivateNote", "") or "")
    at = note.find(tag)
    return note[at:at + adapter.MARKER_LENGTH]


def _content_difference(obj: Any, kind: str, lines: list[Line], currency: str, total: int) -> str | None:
    if kind != "JournalEntry":  # a document: its total is the money line (what moved, or what is owed)
        money = [abs(l.amount) for l in lines if l.role in documents.MONEY | {"receivables"}]
        ours = to_decimal(max(money) if money else int(total), currency)
        theirs = _decimal(obj.Amount if kind == "Transfer" else getattr(obj, "TotalAmt", 0))
        return None if theirs == ours else f"total {theirs}, the warehouse says {ours}"
    theirs = Counter((str(l.JournalEntryLineDetail.AccountRef.value), l.JournalEntryLineDetail.PostingType,
                      _decimal(l.Amount)) for l in obj.Line if getattr(l, "JournalEntryLineDetail", None))
    ours = Counter((l.account_ref, "Debit" if l.amount > 0 else "Credit", to_decimal(abs(l.amount), currency))
                   for l in lines)
    if theirs == ours:
        return None
    missing, extra = ours - theirs, theirs - ours
    return (f"lines missing {sorted(missing.elements())[:3]}, lines not ours {sorted(extra.elements())[:3]}"
            .replace("Decimal(", "").replace("')", "'"))


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))
