"""Play one case: copy its template (the base world already extracted, journaled and, for cases that post,
in the QuickBooks sandbox), feed the Stripe sandbox the case's objects and faults, run, and collect.

Templates are built once per session and mode (conftest.py): a case pays only for its own run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import pytest

from ledger_pipeline.money import to_decimal
from ledger_pipeline.sandbox.quickbooks import US_REALM

from .cases import Case
from .feed import case_world, faults, write_mapping
from .outcome import Books, Outcome, quarantine, run_report
from .runner import (JOURNAL, PIPELINE, QUICKBOOKS, Place, QuickBooks, StripeServer, materialize, new_place,
                     stripe_resource, stripe_sandbox)
from .world import base_world

QBO_STATE = "quickbooks.json"


@dataclass
class Templates:
    """The base world's places, built on first use: per posting mode, and posted to QuickBooks or not."""

    root: Path
    built: dict[tuple[str, bool], Place] = field(default_factory=dict)
    instance: dg.DagsterInstance = field(default_factory=dg.DagsterInstance.ephemeral)  # runs keep no state we read
    stripe: StripeServer = field(default_factory=StripeServer)

    def place(self, mode: str, posted: bool) -> Place:
        if (mode, posted) not in self.built:
            self.built[(mode, posted)] = self._build(mode, posted)
        return self.built[(mode, posted)]

    def _build(self, mode: str, posted: bool) -> Place:
        with pytest.MonkeyPatch.context() as patch:
            if posted:
                place = self.place(mode, False).copy_to(self.root / f"{mode}-posted")
                patch.setenv("LEDGER_PIPELINE_CONFIG", str(place.config))
                books = QuickBooks(place)
                try:
                    result = materialize(place, QUICKBOOKS, "demo", {"quickbooks": books.resource()},
                                         self.instance)
                    books.sandbox.save(place.folder / QBO_STATE)
                finally:
                    books.stop()
            else:
                place = new_place(self.root / mode, mode)
                patch.setenv("LEDGER_PIPELINE_CONFIG", str(place.config))
                with self.stripe.serving(stripe_sandbox(base_world())) as server:
                    result = materialize(place, PIPELINE, "demo", {"stripe": stripe_resource(server)},
                                         self.instance)
        _, errors, checks = run_report([result])
        failed = [(name, text) for name, passed, text in checks if not passed]
        assert result.success and not failed, f"the corpus's base world does not run clean: {errors} {failed}"
        return place


def play(case: Case, templates: Templates, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Outcome, Place]:
    feed = case.feed
    tenant = feed.get("tenant", "demo")
    place = templates.place(case.mode, case.post_to == "quickbooks").copy_to(folder)
    write_mapping(place.mappings, "demo.yaml", feed.get("mapping"))
    monkeypatch.setenv("LEDGER_PIPELINE_CONFIG", str(place.config))
    instance = templates.instance
    with place.reading() as conn:
        before = Books.read(conn)
    books = QuickBooks(place, place.folder / QBO_STATE) if case.post_to == "quickbooks" else None
    sandbox = stripe_sandbox(case_world(feed), faults(feed))
    results = []
    try:
        books_before = books.books() if books else None
        with templates.stripe.serving(sandbox) as server:
            resources = {"stripe": stripe_resource(server, **feed.get("stripe", {}))}
            assets = JOURNAL if case.run == "mapping" else PIPELINE
            if books:
                assets, resources["quickbooks"] = [*assets, *QUICKBOOKS], books.resource()
            results.append(materialize(place, assets, tenant, resources, instance))
            if case.run == "journal_after":
                results.append(materialize(place, JOURNAL, tenant, resources, instance))
        books_after = _quickbooks(books, place) if books else None
    finally:
        if books:
            books.stop()
    success, errors, checks = run_report(results)
    objects, entries = ([], [])
    if place.has_warehouse(tenant):  # a connected account refused at the first request has none
        with place.reading(tenant) as conn:
            objects, entries = quarantine(conn)
    with place.reading() as conn:
        after = Books.read(conn)
    outcome = Outcome(success=success, errors=errors, checks=checks, quarantined_objects=objects,
                      quarantined_entries=entries, books=after, before=before,
                      requests=sandbox.stats.snapshot().get("requests", 0),
                      quickbooks_before=books_before, quickbooks_after=books_after)
    return outcome, place


def _quickbooks(books: QuickBooks, place: Place) -> dict:
    """The company's objects and ledger, its trial balance, and the warehouse's balance by account."""
    state = books.books()
    state["trial_balance"] = books.sandbox.trial_balance(US_REALM)
    state["warehouse_balance"] = {ref: to_decimal(int(amount), "usd") for ref, amount in place.query(
        "SELECT account_ref, sum(books_debit) - sum(books_credit) FROM journal.lines GROUP BY 1 "
        "HAVING sum(books_debit) - sum(books_credit) <> 0")}
    return state

