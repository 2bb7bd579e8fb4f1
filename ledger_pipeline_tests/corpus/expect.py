"""A case's `expect`, held against its outcome; every difference is reported, not only the first.

expect:
  success: true                 the run(s) succeeded (default true)
  failed_checks: [name, ...]    exactly these checks failed (default none)
  errors: [text, ...]           each appears in the step failures
  says: [text, ...]             each appears in what the run told a person (failures, failed checks,
                                quarantine reasons and the key to map a value in)
  not_said: [text, ...]         none of these appears there (a secret, a stack trace)
  quarantine:
    stripe_objects: {id: rows}  exactly these objects in quarantine.stripe_objects ("(no id)" for none)
    journal_entries: [{value_kind, value, mapping_key?}]   exactly these values hold entries back
  books_unchanged: true         the template's entries are all there, line for line; no quarantined or
                                `not_booked` object is named anywhere in the journal; and, unless `booked`
                                lists something, no entry was added
  booked: [txn, ...]            these balance transactions are booked
  not_booked: [id, ...]         these are not booked and the journal does not name them
  entries: {entry key: [[account, debit, credit, books debit, books credit], ...]}   these lines, in order
                                ({month} in a key is the day's YYYY-MM)
  stored: [{table, id, column, value}]   staging.<table>.<column> of row `id` is exactly `value`
  quickbooks: {unchanged: true} | {matches_warehouse: true, customers: [DisplayName, ...]}
  requests: n                   the Stripe sandbox answered at most n requests
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .outcome import Outcome
from .runner import Place
from .world import DAY

STAGING_TABLES = {"customers", "charges", "products", "invoices", "invoice_lines", "balance_transactions",
                  "payouts", "refunds", "tax_rates", "prices"}
STAGING_COLUMNS = {"name", "description", "metadata", "email", "amount", "fee", "net", "currency", "percentage",
                   "jurisdiction", "type", "reporting_category", "deleted", "display_name"}


def compare(expect: dict[str, Any], outcome: Outcome, place: Place, tenant: str) -> list[str]:
    problems: list[str] = []
    said = outcome.said()
    if outcome.success != expect.get("success", True):
        problems.append(f"success: expected {expect.get('success', True)}, got {outcome.success}")
    if outcome.failed_checks != set(expect.get("failed_checks", [])):
        problems.append(f"failed checks: expected {sorted(expect.get('failed_checks', []))}, "
                        f"got {sorted(outcome.failed_checks)}")
    errors = "\n".join(outcome.errors)
    problems += [f"errors do not say {text!r}" for text in expect.get("errors", []) if text not in errors]
    problems += [f"nothing says {text!r}" for text in expect.get("says", []) if text not in said]
    problems += [f"it says {text!r}, which it must not" for text in expect.get("not_said", []) if text in said]
    problems += _quarantine(expect.get("quarantine") or {}, outcome)
    problems += _books(expect, outcome)
    problems += _entries(expect.get("entries") or {}, outcome)
    problems += _stored(expect.get("stored", []), place, tenant)
    problems += _quickbooks(expect.get("quickbooks"), outcome)
    if "requests" in expect and outcome.requests > expect["requests"]:
        problems.append(f"the Stripe sandbox answered {outcome.requests} requests, expected at most "
                        f"{expect['requests']}")
    return problems


def _quarantine(expect: dict[str, Any], outcome: Outcome) -> list[str]:
    problems = []
    got: dict[str, int] = {}
    for row in outcome.quarantined_objects:
        got[row["object_id"] or "(no id)"] = got.get(row["object_id"] or "(no id)", 0) + 1
    if got != (expect.get("stripe_objects") or {}):
        problems.append(f"quarantine.stripe_objects: expected {expect.get('stripe_objects') or {}}, got {got}")
    wanted = expect.get("journal_entries") or []
    held = {(q["value_kind"], q["value"]) for q in outcome.quarantined_entries}
    if held != {(w["value_kind"], w["value"]) for w in wanted}:
        problems.append(f"quarantine.journal_entries: expected {sorted((w['value_kind'], w['value']) for w in wanted)}"
                        f", got {sorted(held)}")
    for w in wanted:
        keys = {q["mapping_key"] for q in outcome.quarantined_entries if (q["value_kind"], q["value"]) ==
                (w["value_kind"], w["value"])}
        if "mapping_key" in w and w["mapping_key"] not in keys:
            problems.append(f"{w['value_kind']} {w['value']!r} should be mapped at {w['mapping_key']!r}; "
                            f"the quarantine says {sorted(keys)}")
    return problems


def _books(expect: dict[str, Any], outcome: Outcome) -> list[str]:
    problems = []
    books, before = outcome.books, outcome.before
    booked = expect.get("booked", [])
    problems += [f"{txn} is not booked (bookings say {books.bookings.get(txn)!r})" for txn in booked
                 if books.bookings.get(txn) != "booked"]
    bad = set(expect.get("not_booked", [])) | {q["object_id"] for q in outcome.quarantined_objects if q["object_id"]}
    for q in outcome.quarantined_entries:
        bad |= set(q["balance_transaction_ids"])
    for object_id in sorted(expect.get("not_booked", [])):
        if books.bookings.get(object_id) == "booked":
            problems.append(f"{object_id} is booked, which it must not be")
    if expect.get("books_unchanged"):
        for key, lines in before.entries.items():
            if books.entries.get(key) != lines:
                problems.append(f"entry {key} changed: was {lines}, is {books.entries.get(key)}")
        added = sorted(set(books.entries) - set(before.entries))
        if added and not booked:
            problems.append(f"entries were added to unchanged books: {added}")
        named = sorted(bad & books.mentions)
        if named:
            problems.append(f"the journal names objects that must stay out of the books: {named}")
    return problems


def _entries(expect: dict[str, list[list]], outcome: Outcome) -> list[str]:
    problems = []
    for key, lines in expect.items():
        key = key.format(month=DAY.strftime("%Y-%m"))
        got = [list(line[1:6]) for line in outcome.books.entries.get(key, [])]
        if got != lines:
            problems.append(f"entry {key}: expected lines {lines}, got {got}")
    return problems


def _stored(expect: list[dict[str, Any]], place: Place, tenant: str) -> list[str]:
    problems = []
    for want in expect:
        table, column = want["table"], want["column"]
        if table not in STAGING_TABLES or column not in STAGING_COLUMNS:
            raise ValueError(f"stored: staging.{table}.{column} is not a table/column the corpus reads")
        rows = place.query(f"SELECT {column} FROM staging.{table} WHERE id = ?", [want["id"]], tenant=tenant)
        if len(rows) != 1:
            problems.append(f"staging.{table} has {len(rows)} rows for {want['id']}")
            continue
        value = rows[0][0]
        if column == "metadata" and isinstance(value, str):
            value = json.loads(value)
        if isinstance(value, Decimal):
            value = str(value)
        if value != want["value"]:
            problems.append(f"staging.{table}.{column} of {want['id']} is {str(value)[:120]!r}, "
                            f"expected {str(want['value'])[:120]!r}")
    return problems


def _quickbooks(expect: dict[str, Any] | None, outcome: Outcome) -> list[str]:
    if not expect:
        return []
    before, after = outcome.quickbooks_before, outcome.quickbooks_after
    problems = []
    if expect.get("unchanged") and (before["objects"], before["ledger"]) != (after["objects"], after["ledger"]):
        problems.append("the QuickBooks company changed")
    if expect.get("matches_warehouse"):
        posted = after["trial_balance"]
        warehouse = after["warehouse_balance"]
        if posted != warehouse:
            problems.append(f"QuickBooks' trial balance {posted} is not the warehouse's {warehouse}")
    names = {c.get("DisplayName") for c in after["objects"].get("Customer", {}).values()}
    problems += [f"QuickBooks has no customer named {name[:60]!r}" for name in expect.get("customers", [])
                 if name not in names]
    return problems
