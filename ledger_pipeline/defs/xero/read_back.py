"""Reading the books back after posting: the checks on `xero/posted_entries` (not blocking: nothing runs
after them, and the alert sensors report a failed check of a successful run).

- `every_record_posted`: every record this run handled is in the books as built; each one Xero refused is
  named with its ValidationErrors and the fix (ERROR). Records left for the next day's call budget are a
  WARN: "N records wait for tomorrow's Xero budget".
- `trial_balance_matches`: Xero's TrialBalance at the end of the partition's month (YTD columns) equals the
  warehouse's journal lines of everything live in the books, per account code (revenue and expenses from
  the start of the financial year, earlier years' in retained earnings).
- `one_object_per_record`: in the partition's month, each record live in the books has exactly one live
  Xero object carrying its marker, with the lines (journals) or total (documents) the warehouse holds (a
  payment's part: its share of the payment's lines, payment_parts.py); an object carrying this tenant's
  marker that no live record owns is reported.
When Xero's day is spent before the books could be read, the two read-back checks say so (WARN) and the
next run reads them back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

import dagster as dg
import duckdb

from ledger_pipeline.defs.quickbooks import documents as quickbooks_documents
from ledger_pipeline.defs.quickbooks.entries import SQL as SHARED_SQL, Line, entry_key_of
from ledger_pipeline.defs.xero import adapter, payment_parts
from ledger_pipeline.defs.xero.organisation import Organisation
from ledger_pipeline.defs.xero.post import OUT_OF_BUDGET, Posted, failure
from ledger_pipeline.lib.checks import CheckSet, month, records
from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.money import to_decimal
from ledger_pipeline.posting import TargetError
from ledger_pipeline.targets.xero.errors import TARGET
from ledger_pipeline.targets.xero.kinds import kind_of, status_of

SQL = "ledger_pipeline.defs.xero"
POSTED = dg.AssetKey(["xero", "posted_entries"])
SHOWN = 25
EVERY_RECORD = "every_record_posted"
TRIAL_BALANCE = "trial_balance_matches"
ONE_OBJECT = "one_object_per_record"
CHECKS = CheckSet(POSTED, {
    EVERY_RECORD: "Every record this run handled is in Xero; each refusal is named with Xero's message and the fix; "
                  "records left for the next day's API budget are a warning.",
    TRIAL_BALANCE: "Xero's trial balance equals the warehouse's journal lines of what is in the books, per account "
                   "code.",
    ONE_OBJECT: "Each record in the books has exactly one live Xero object carrying its marker, with the "
                "warehouse's lines; no object carries our marker without a record.",
})
WARN = dg.AssetCheckSeverity.WARN
PROFIT_AND_LOSS = frozenset({"REVENUE", "EXPENSE"})
RETAINED_EARNINGS = "RETAINEDEARNINGS"


def _text(value: object) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def budget_spent(name: str, error: TargetError) -> dg.AssetCheckResult:
    return CHECKS.result(name, False, f"not read back: {error.message}; the next run reads the books back",
                         severity=WARN, kind=error.kind.value)


# --- every record posted ------------------------------------------------------------------------------------
def every_record_posted(posted: Posted) -> dg.AssetCheckResult:
    failures = [failure(o) for o in posted.failures]
    waiting = len(posted.waiting)
    wait_text = f"{records(waiting)} wait for tomorrow's Xero budget" if waiting else ""
    if not failures and not waiting:
        return CHECKS.result(EVERY_RECORD, True, f"{records(len(posted.report.outcomes))} in the books as built",
                             counts=posted.counts())
    if not failures:
        return CHECKS.result(EVERY_RECORD, False, f"{wait_text} (the next run posts them)", severity=WARN,
                             waiting=posted.waiting[:SHOWN], waiting_count=waiting, counts=posted.counts())
    shown = "; ".join(f"{f['record_key']}: {f['message']} Fix: {f['fix'] or 'see the message'}" for f in failures[:3])
    return CHECKS.result(EVERY_RECORD, False, f"{len(failures)} record(s) not in Xero: {shown}"
                         + (f"; {wait_text}" if waiting else ""),
                         not_posted=failures[:SHOWN], not_posted_count=len(failures), waiting_count=waiting,
                         counts=posted.counts())


# --- the trial balance ------------------------------------------------------------------------------------------
def year_start(on: dt.date, end_day: int, end_month: int) -> dt.date:
    """First day of the financial year holding `on`, for a year that ends on (end_day, end_month)."""
    for year in (on.year, on.year - 1):
        try:
            end = dt.date(year, end_month, end_day)
        except ValueError:  # 29 February in a common year
            end = dt.date(year, end_month, 28)
        if end < on:
            return end + dt.timedelta(days=1)
    return dt.date(on.year - 1, 1, 1)


def trial_balance_matches(conn: duckdb.DuckDBPyConnection, org: Organisation, day: dt.date, organisation: Any,
                          base_currency: str, adapter_key: str) -> dg.AssetCheckResult:
    where = {"target": TARGET, "company": org.tenant_id}
    first = conn.execute(load_sql(SHARED_SQL, "posted_window"), where).fetchone()[0]
    _, end = month(day)
    if first is None or first > end:
        return CHECKS.result(TRIAL_BALANCE, True, "nothing of this tenant is in the books yet")
    currencies = {row[0] for row in conn.execute(load_sql(SHARED_SQL, "posted_currencies"), where).fetchall()}
    if currencies - {base_currency.upper()}:
        return CHECKS.result(TRIAL_BALANCE, True, f"books in {', '.join(sorted(currencies))}, reports in "
                             f"{base_currency}: compared object by object instead ({ONE_OBJECT})")
    start = year_start(end, int(organisation.financial_year_end_day or 31),
                       int(organisation.financial_year_end_month or 12))
    try:
        chart = {str(a.account_id): a for a in org.client.accounts()}
        report = org.client.trial_balance(end)
    except TargetError as error:
        if error.kind not in OUT_OF_BUDGET:
            raise
        return budget_spent(TRIAL_BALANCE, error)
    by_code = {a.code: a for a in chart.values() if a.code}
    expected: dict[str, tuple[str, int]] = {}
    earlier_profit = 0
    for code, name, through_end, before_year in conn.execute(load_sql(SQL, "posted_balances"), {
            **where, "end": end, "year_start": start}).fetchall():
        account = by_code.get(code)
        if account is not None and _text(account._class) in PROFIT_AND_LOSS:
            earlier_profit += int(before_year)
            expected[code] = (name, int(through_end) - int(before_year))
        else:
            expected[code] = (name, int(through_end))
    retained = next((a.code for a in by_code.values() if _text(a.system_account) == RETAINED_EARNINGS), None)
    if earlier_profit and retained:
        name, balance = expected.get(retained, ("Retained Earnings", 0))
        expected[retained] = (name, balance + earlier_profit)
    books = {(chart[line.account_id].code if line.account_id in chart else line.account_id): line
             for line in report.lines}
    compared, different = [], []
    for code, (name, balance) in sorted(expected.items()):
        ours = to_decimal(balance, base_currency)
        theirs = books[code].balance if code in books else Decimal(0)
        row = {"account": code, "name": name, "warehouse": str(ours), "xero": str(theirs),
               "difference": str(theirs - ours)}
        compared.append(row)
        if theirs != ours:
            different.append(row)
    others = [{"account": code, "name": line.name, "xero": str(line.balance)}
              for code, line in books.items() if code not in expected and line.balance]
    stale = [r[0] for r in conn.execute(load_sql(SHARED_SQL, "posted_records"), {
        **where, "start": first, "end": end, "adapter": adapter_key}).fetchall() if r[7]]
    description = (f"{len(compared)} accounts at {end} equal the warehouse (debits {report.total_debit}, credits "
                   f"{report.total_credit})" if not different else
                   f"{len(different)} of {len(compared)} accounts differ from the warehouse: "
                   + ", ".join(f"{d['name']} ({d['account']}) off by {d['difference']}" for d in different[:5])
                   + (f"; {len(stale)} record(s) changed in the journal since they were posted" if stale else ""))
    return CHECKS.result(TRIAL_BALANCE, not different, description, as_of=str(end), year_start=str(start),
                         accounts=compared[:SHOWN * 2], differences=different[:SHOWN],
                         other_activity_in_xero=others[:SHOWN], changed_since_posted=stale[:SHOWN])


# --- one object per record ----------------------------------------------------------------------------------------
def one_object_per_record(conn: duckdb.DuckDBPyConnection, org: Organisation, tenant: str, day: dt.date,
                          adapter_key: str) -> dg.AssetCheckResult:
    start, end = month(day)
    where = {"target": TARGET, "company": org.tenant_id}
    rows = conn.execute(load_sql(SHARED_SQL, "posted_records"),
                        {**where, "start": start, "end": end, "adapter": adapter_key}).fetchall()
    tag = adapter.tenant_tag(tenant) + "-"
    remote: dict[str, list[Any]] = defaultdict(list)
    try:
        for kind in sorted({r[1] for r in rows} | {adapter.MANUAL_JOURNALS}):
            for obj in _marked(org, kind, tag, start, end):
                remote[_marker_of(obj, kind, tag)].append((kind, obj))
    except TargetError as error:
        if error.kind not in OUT_OF_BUDGET:
            raise
        return budget_spent(ONE_OBJECT, error)
    lines: dict[str, list[Line]] = defaultdict(list)  # per entry: a part's record holds its share (split)
    keys = sorted({entry_key_of(r[0]) for r in rows})
    for row in conn.execute(load_sql(SHARED_SQL, "entry_lines"), {"keys": keys}).fetchall():
        lines[row[0]].append(Line(*row))

    problems: list[dict[str, Any]] = []
    owned: set[str] = set()
    for record_key, kind, remote_id, marker, _date, currency, total, stale in rows:
        owned.add(marker)
        found = remote.get(marker, [])
        ids = [_id(k, o) for k, o in found]
        if not found:
            problems.append({"record_key": record_key, "problem": f"no live {kind} carries its marker {marker} "
                             f"({remote_id} was voided or deleted in Xero, or its marker edited)",
                             "fix": "if it was removed on purpose, delete the record's row in sync.external_ids "
                                    "and re-run its day to post it again; else put the marker back"})
        elif len(found) > 1:
            problems.append({"record_key": record_key, "problem": f"{len(found)} {kind} carry its marker {marker}: "
                             + ", ".join(ids), "fix": f"keep {remote_id} and void or delete the others in Xero"})
        elif ids[0] != str(remote_id):
            problems.append({"record_key": record_key, "problem": f"the {kind} carrying {marker} is {ids[0]}, the "
                             f"warehouse recorded {remote_id}"})
        elif not stale:
            own = payment_parts.record_lines(record_key, lines[entry_key_of(record_key)])
            difference = _content_difference(found[0][1], kind, list(own), currency, int(total))
            if difference:
                problems.append({"record_key": record_key, "problem": f"{kind} {remote_id} was changed in Xero: "
                                 f"{difference}",
                                 "fix": "undo the edit in Xero (the warehouse is the source: the next change of this "
                                        "entry overwrites the object), or change the mapping"})
    strays = [{"marker": m, "ids": [_id(k, o) for k, o in objs], "kind": objs[0][0]}
              for m, objs in sorted(remote.items()) if m not in owned]
    said = []
    if problems:
        said.append(f"{len(problems)} record(s) do not match their Xero object: "
                    + "; ".join(f"{p['record_key']}: {p['problem']}" for p in problems[:2]))
    if strays:
        said.append(f"{len(strays)} Xero object(s) carry this tenant's marker but no record (manual duplicates or "
                    "edits): " + ", ".join(f"{s['kind']} {s['ids'][0]} ({s['marker']})" for s in strays[:3]))
    description = " | ".join(said) or (f"{records(len(rows))} in {start:%Y-%m}: each has exactly one object in Xero, "
                                       "as built")
    return CHECKS.result(ONE_OBJECT, not problems and not strays, description, month=f"{start:%Y-%m}",
                         records=len(rows), objects_found=sum(len(v) for v in remote.values()),
                         problems=problems[:SHOWN], marked_without_record=strays[:SHOWN])


def _marked(org: Organisation, kind: str, tag: str, start: dt.date, end: dt.date) -> list[Any]:
    """Live objects of `kind` dated in the window that carry this tenant's marker."""
    spec = kind_of(kind)
    literal = '"' + tag.replace('"', '\\"') + '"'
    dates = (f"Date >= DateTime({start.year},{start.month:02d},{start.day:02d}) AND "
             f"Date <= DateTime({end.year},{end.month:02d},{end.day:02d})")
    rows = org.client.list_where(kind, f"{spec.marker_field}.Contains({literal}) AND {dates}")
    # a bank transfer's two legs are bank transactions carrying its reference: they are the transfer's
    return [o for o in rows if status_of(o, spec) not in spec.dead and not _text(getattr(o, "type", "")).endswith(
        "-TRANSFER")]


def _id(kind: str, obj: Any) -> str:
    return str(getattr(obj, kind_of(kind).id_attr))


def _marker_of(obj: Any, kind: str, tag: str) -> str:
    text = str(getattr(obj, kind_of(kind).marker_attr, "") or "")
    at = text.find(tag)
    return text[at:at + adapter.MARKER_LENGTH]


def _content_difference(obj: Any, kind: str, lines: list[Line], currency: str, total: int) -> str | None:
    if kind != adapter.MANUAL_JOURNALS:  # a document: its total is the money line (what moved, or what is owed)
        if _text(getattr(obj, "currency_code", None) or currency).upper() != currency.upper():
            return None  # kept in the document's own currency: the trial balance compares its books value
        money = [abs(l.amount) for l in lines if l.role in quickbooks_documents.MONEY | {"receivables"}]
        ours = to_decimal(max(money) if money else total, currency)
        theirs = _decimal(getattr(obj, "amount", None) if kind in ("Payments", "BankTransfers")
                          else getattr(obj, "total", None))
        return None if theirs == ours else f"total {theirs}, the warehouse says {ours}"
    theirs = Counter((str(l.account_code), _decimal(l.line_amount)) for l in obj.journal_lines or [])
    ours = Counter((l.account_ref, to_decimal(l.amount, currency)) for l in lines)
    if theirs == ours:
        return None
    missing, extra = ours - theirs, theirs - ours
    return (f"lines missing {sorted(missing.elements())[:3]}, lines not ours {sorted(extra.elements())[:3]}"
            .replace("Decimal(", "").replace("')", "'"))
