"""Admin endpoints, and saving/loading the sandbox with its books and tokens."""

from __future__ import annotations

from decimal import Decimal

import requests
from quickbooks.objects import Customer, JournalEntry

from ledger_pipeline.sandbox.quickbooks import ACCOUNT_IDS, QuickBooksSandbox


def test_default_chart_has_stable_ids(sandbox, h):
    us = sandbox.companies[h.US].objects["Account"]
    assert us["3"]["Name"] == "Stripe Clearing" and us["3"]["AccountType"] == "Bank"
    assert us["31"]["Name"] == "Stripe Fees" and us["37"]["AccountSubType"] == "ExchangeGainOrLoss"
    assert ACCOUNT_IDS["Undeposited Funds"] == "4" and ACCOUNT_IDS["Stripe Clearing EUR"] == "50"
    multi = sandbox.companies[h.MULTI].objects["Account"]
    assert multi["50"]["CurrencyRef"]["value"] == "EUR" and "50" not in us


def test_admin_endpoints(qb, h, server, sandbox, connect):
    h.journal([("3", "Debit", 1.25), ("20", "Credit", 1.25)]).save(qb=qb)
    health = requests.get(server.base_url + "/_sandbox/health", timeout=10).json()
    assert health["status"] == "ok" and h.US in health["realms"]
    state = requests.get(server.base_url + f"/_sandbox/state/{h.US}", timeout=10).json()
    assert len(state["objects"]["JournalEntry"]) == 1
    assert state["ledger"]["balances"]["3"]["home"] == 1.25
    assert {p["AccountId"] for p in state["ledger"]["postings"]} == {"3", "20"}
    moved = requests.post(server.base_url + "/_sandbox/clock", json={"freeze_at": h.START + 86400},
                          timeout=10).json()
    assert moved["now"] == h.START + 86400
    qb = connect()  # a day later the first access token has expired
    assert h.journal([("3", "Debit", 1), ("20", "Credit", 1)], date="").save(qb=qb).TxnDate == "2024-05-02"
    settings = requests.post(server.base_url + f"/_sandbox/settings/{h.US}",
                             json={"forbid_duplicate_doc_numbers": False}, timeout=10).json()
    assert settings["forbid_duplicate_doc_numbers"] is False
    assert requests.post(server.base_url + "/_sandbox/faults", json={"bogus": 1}, timeout=10).status_code == 400


def test_save_and_load_keeps_books_tokens_and_request_ids(qb, h, sandbox, tmp_path, clock):
    customer = Customer()
    customer.DisplayName = "Persisted"
    customer = customer.save(qb=qb)
    je = h.journal([("5", "Debit", 33.33, customer.Id), ("20", "Credit", 33.33)]).save(qb=qb, request_id="keep-1")
    path = tmp_path / "qbo.json"
    sandbox.save(path)
    assert '"Amount": 33.33' in path.read_text()

    loaded = QuickBooksSandbox.from_file(path, clock=clock)
    assert loaded.trial_balance(h.US) == sandbox.trial_balance(h.US) == {"5": Decimal("33.33"),
                                                                         "20": Decimal("-33.33")}
    with loaded.serve() as server:
        qb.api_url_v3 = server.base_url + "/v3"  # same tokens, new server
        assert Customer.get(customer.Id, qb=qb).Balance == 33.33
        again = h.journal([("5", "Debit", 33.33, customer.Id), ("20", "Credit", 33.33)]).save(
            qb=qb, request_id="keep-1")
        assert again.Id == je.Id and JournalEntry.count(qb=qb) == 1
        other = Customer()
        other.DisplayName = "After reload"
        assert int(other.save(qb=qb).Id) > int(customer.Id)
