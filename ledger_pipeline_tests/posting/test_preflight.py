"""Preflight on both targets: each problem comes back as a Finding naming what to change and where."""

from __future__ import annotations

import time

from ledger_pipeline.posting import TokenSet
from ledger_pipeline.sandbox.quickbooks import MULTICURRENCY_REALM
from ledger_pipeline.sandbox.xero import GLOBAL_TENANT_ID
from ledger_pipeline.targets.quickbooks import preflight as qbo_preflight
from ledger_pipeline.targets.xero import preflight as xero_preflight


def _by(findings, check):
    return {f.subject: f for f in findings if f.check == check}


def test_quickbooks_preflight(qbo, qbo_resource, qbo_sandbox, token_store, h):
    assert qbo_preflight(qbo, accounts={"3": {"Bank"}, "31": {"Expense"}}, currencies={"USD"},
                         tax_codes={"TAX", "2"}) == []

    account = qbo.get("Account", "32")
    qbo.call(lambda qb: qb.update_object("Account", _json({**account, "Active": False, "sparse": True})),
             idempotent=False)
    findings = qbo_preflight(qbo, accounts={"999": set(), "32": {"Expense"}, "31": {"Bank"}},
                             currencies={"USD", "EUR"}, tax_codes={"TAX", "77"})
    accounts = [f for f in findings if f.check == "account"]
    assert [f.subject for f in accounts] == ["31", "32", "999"]
    assert "type Expense" in accounts[0].problem and "Bank" in accounts[0].problem
    assert "inactive" in accounts[1].problem and "Make active" in accounts[1].fix
    assert "no account with Id 999" in accounts[2].problem and "mapping" in accounts[2].fix
    assert "multicurrency is off" in _by(findings, "currency")["EUR"].problem
    assert "Multicurrency" in _by(findings, "currency")["EUR"].fix
    assert "no tax code with Id 77" in _by(findings, "tax")["77"].problem

    issued = qbo_sandbox.issue_tokens(MULTICURRENCY_REALM)
    token_store.save("quickbooks", MULTICURRENCY_REALM,
                     TokenSet(issued["access_token"], issued["refresh_token"], time.time() + 3600))
    multi = qbo_resource.model_copy(update={"realm_id": MULTICURRENCY_REALM}).client()
    findings = qbo_preflight(multi, currencies={"USD", "EUR", "JPY"})
    assert [(f.subject, f.problem) for f in findings] == [("JPY", "JPY is not in the company's currency list")]

    token_store.save("quickbooks", h.US_REALM, TokenSet("expired", "not-a-real-refresh-token", time.time() - 10))
    [broken] = qbo_preflight(qbo_resource.client())
    assert broken.check == "token" and "reconnect" in broken.fix


def test_xero_preflight(xero, xero_resource, xero_sandbox, h):
    assert xero_preflight(xero, accounts={"091": {"BANK"}, "405": {"EXPENSE"}}, payment_accounts={"091", "093"},
                          currencies={"USD"}, tax_types={"NONE", "OUTPUT"}) == []

    books = xero_sandbox.organisations[h.US_TENANT_ID]
    archived = next(a for a in books["accounts"].values() if a["Code"] == "404")
    archived["Status"] = "ARCHIVED"
    findings = xero_preflight(xero, accounts={"999": set(), "404": {"EXPENSE"}, "405": {"BANK"}},
                              payment_accounts={"094", "093"}, currencies={"USD", "EUR"}, tax_types={"TAX999"})
    accounts = [f for f in findings if f.check == "account"]
    assert [f.subject for f in accounts] == ["404", "405", "999"]
    assert "ARCHIVED" in accounts[0].problem and "Archive" in accounts[0].fix
    assert "type EXPENSE" in accounts[1].problem
    payments = _by(findings, "payment_account")
    assert list(payments) == ["094"] and "Enable payments to this account" in payments["094"].fix
    assert "EUR is not enabled" in _by(findings, "currency")["EUR"].problem
    assert "no tax rate TAX999" in _by(findings, "tax")["TAX999"].problem

    other = xero_resource.model_copy(update={"tenant_id": GLOBAL_TENANT_ID})
    xero_resource_store = other.connection().tokens.store
    xero_resource_store.save("xero", GLOBAL_TENANT_ID, xero_resource_store.load("xero", h.US_TENANT_ID))
    [not_connected] = xero_preflight(other.client())
    assert not_connected.check == "token" and "choose this organisation" in not_connected.fix


def _json(data: dict) -> str:
    import json
    return json.dumps(data, default=str)
