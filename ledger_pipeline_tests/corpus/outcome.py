"""What came of a case: what the runs said (failures, checks), what was quarantined, and the books after.

`Books` is the journal as an accountant reads it (entry -> lines) plus every Stripe id it mentions, so
"the books are unchanged" can be checked entry by entry against the template's, and "the bad object is
not in the books" by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import dagster as dg
import duckdb


SQL_ENTRIES = """
SELECT e.entry_key, l.line_no, l.account_ref, l.debit, l.credit, l.books_debit, l.books_credit, l.description
FROM journal.entries e JOIN journal.lines l USING (entry_key) ORDER BY 1, 2
"""
# Every Stripe id the journal names: the transactions behind its lines and their sources, payouts,
# counterparties, products and tax rates, and the documents' own sources.
SQL_MENTIONS = """
SELECT balance_transaction_id FROM journal.line_lineage UNION SELECT source_id FROM journal.line_lineage
UNION SELECT charge_id FROM journal.line_lineage UNION SELECT payout_id FROM journal.line_lineage
UNION SELECT payout_id FROM journal.entries UNION SELECT counterparty FROM journal.entries
UNION SELECT product_id FROM journal.lines UNION SELECT tax_rate_id FROM journal.lines
UNION SELECT source_id FROM journal.documents
"""


@dataclass
class Books:
    entries: dict[str, list[tuple]]          # entry key -> (line, account, debit, credit, books dr, books cr, text)
    mentions: set[str]
    bookings: dict[str, str]                 # balance transaction -> booked | quarantined | awaiting_payout

    @classmethod
    def read(cls, conn: duckdb.DuckDBPyConnection) -> "Books":
        entries: dict[str, list[tuple]] = {}
        for key, *line in conn.execute(SQL_ENTRIES).fetchall():
            entries.setdefault(key, []).append(tuple(line))
        mentions = {row[0] for row in conn.execute(SQL_MENTIONS).fetchall() if row[0]}
        bookings = dict(conn.execute("SELECT balance_transaction_id, status FROM journal.bookings").fetchall())
        return cls(entries, mentions, bookings)


@dataclass
class Outcome:
    success: bool
    errors: list[str]                                   # step failures, as Dagster shows them
    checks: list[tuple[str, bool, str]]                 # (check, passed, description), every evaluation
    quarantined_objects: list[dict[str, Any]]
    quarantined_entries: list[dict[str, Any]]
    books: Books
    before: Books                                       # the template's books (what the case started from)
    requests: int = 0                                   # Stripe sandbox requests answered
    quickbooks_before: dict[str, Any] | None = None
    quickbooks_after: dict[str, Any] | None = None
    stored: dict[str, Any] = field(default_factory=dict)

    @property
    def failed_checks(self) -> set[str]:
        return {name for name, passed, _ in self.checks if not passed}

    def said(self) -> str:
        """Everything the runs told a person: failures, failed checks, quarantine reasons and fixes."""
        parts = list(self.errors)
        parts += [f"{name}: {text}" for name, passed, text in self.checks if not passed]
        parts += [q["reason"] for q in self.quarantined_objects]
        parts += [f"{q['value_kind']} {q['value']}: {q['reason']} -> {q['mapping_key']}"
                  for q in self.quarantined_entries]
        return "\n".join(parts)


def run_report(results: list[dg.ExecuteInProcessResult]) -> tuple[bool, list[str], list[tuple[str, bool, str]]]:
    errors, checks = [], []
    for result in results:
        for event in result.all_events:
            if event.event_type_value == "STEP_FAILURE":
                errors.append(_error_text(event.event_specific_data.error))
        checks += [(e.check_name, e.passed, e.description or "") for e in result.get_asset_check_evaluations()]
    return all(r.success for r in results), errors, checks


def _error_text(error: Any) -> str:
    """The message and its causes (a dg.Failure's description, an exception's text), not the stack."""
    texts = []
    while error is not None:
        texts.append(error.message.strip())
        error = error.cause
    return "\n  caused by: ".join(texts)


def quarantine(conn: duckdb.DuckDBPyConnection) -> tuple[list[dict], list[dict]]:
    objects = [dict(zip(("object_type", "object_id", "origin", "reason"), row)) for row in conn.execute(
        "SELECT object_type, object_id, origin, reason FROM quarantine.stripe_objects ORDER BY ALL").fetchall()]
    entries = [dict(zip(("entry_key", "value_kind", "value", "reason", "mapping_key", "balance_transaction_ids"),
                        row)) for row in conn.execute(
        "SELECT entry_key, value_kind, value, reason, mapping_key, balance_transaction_ids "
        "FROM quarantine.journal_entries ORDER BY ALL").fetchall()]
    return objects, entries
