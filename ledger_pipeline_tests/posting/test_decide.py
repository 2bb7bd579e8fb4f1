"""The decisions and the derived keys, without any target."""

from __future__ import annotations

from ledger_pipeline.posting import Action, ExternalId, Intent, PostRecord, decide, idempotency_key, marker_for
from ledger_pipeline.posting.keys import batch_key


def _record(h="h1", voided=False, repost=False, kind="JournalEntry"):
    return PostRecord("k", kind, h, marker_for("k"), object(), voided, repost)


def _current(h="h1", status="posted", kind="JournalEntry"):
    return ExternalId("quickbooks", "r", "k", kind, "1", "0", h, marker_for("k"), status, "key")


def test_decisions():
    pending = Intent("key", "quickbooks", "r", "k", "JournalEntry", "create", "h1", 0, "m", None, "pending")
    assert decide(_record(), _current(), pending, True).action is Action.RECOVER
    assert decide(_record(), None, None, True).action is Action.CREATE
    assert decide(_record(), _current(), None, True).action is Action.SKIP
    assert decide(_record("h2"), _current(), None, True).action is Action.UPDATE
    assert decide(_record("h2"), _current(), None, False).action is Action.VOID      # cannot update: repost
    assert decide(_record("h2", repost=True), _current(), None, True).action is Action.VOID
    assert decide(_record(kind="Invoice"), _current(), None, True).action is Action.VOID  # kind changed
    assert decide(_record(voided=True), _current(), None, True).action is Action.VOID
    assert decide(_record(voided=True), None, None, True).action is Action.SKIP
    assert decide(_record(voided=True), _current(status="voided"), None, True).action is Action.SKIP
    assert decide(_record(), _current(status="deleted"), None, True).action is Action.CREATE


def test_keys_are_derived_and_fit_the_targets():
    qbo = idempotency_key("quickbooks", "r", "payout:po_1", "create", "h1", 0, 50)
    assert qbo == idempotency_key("quickbooks", "r", "payout:po_1", "create", "h1", 0, 50) and len(qbo) == 50
    assert qbo != idempotency_key("quickbooks", "r", "payout:po_1", "create", "h1", 1, 50)  # after a refusal
    assert qbo != idempotency_key("quickbooks", "r", "payout:po_1", "create", "h2", 0, 50)
    assert len(idempotency_key("xero", "t", "k" * 500, "update", "h", 0, 128)) <= 128
    assert len(batch_key(["b", "a"], 36)) == 36 and batch_key(["a", "b"], 36) == batch_key(["b", "a"], 36)
    marker = marker_for("payout:po_1")
    assert marker.startswith("LP-") and len(marker) == 19 and marker == marker_for("payout:po_1")
