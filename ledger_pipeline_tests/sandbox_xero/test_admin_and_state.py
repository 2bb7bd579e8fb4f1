"""Admin endpoints, injected faults, the default charts' stable IDs, and save/from_file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import requests
from xero_python.accounting.models import Contact, Contacts, Invoice, Invoices, LineItem
from xero_python.exceptions import HTTPStatusException

from ledger_pipeline.sandbox.common import Faults
from ledger_pipeline.sandbox.xero import GLOBAL_TENANT_ID, US_TENANT_ID, XeroSandbox, stable_id


def test_admin_health_clock_faults_stats_state(xero, sandbox, server):
    base = server.base_url
    health = requests.get(f"{base}/_sandbox/health", timeout=5).json()
    assert health["status"] == "ok" and health["tenants"][US_TENANT_ID] == "Demo Company (US)"

    clock = requests.post(f"{base}/_sandbox/clock", json={"advance": 60}, timeout=5).json()
    assert clock["now_ms"] == sandbox.now_ms()

    # A scripted 503 on PUT /Invoices: the client sees it, nothing is saved, the next call works.
    faults = requests.post(f"{base}/_sandbox/faults", json={"scripted": [
        {"path": "/Invoices$", "method": "PUT", "status": 503, "count": 1, "headers": {"Retry-After": "1"}}]},
        timeout=5).json()
    assert faults["scripted"][0]["status"] == 503
    batch = Invoices(invoices=[Invoice(type="ACCREC", contact=Contact(name="Vandelay"), line_items=[
        LineItem(description="x", unit_amount=Decimal("1.00"), account_code="200")])])
    with pytest.raises(HTTPStatusException) as unavailable:
        xero.api.create_invoices(xero.tenant, batch, idempotency_key="inv-1")
    assert unavailable.value.status == 503
    assert not sandbox.organisations[xero.tenant]["invoices"]
    made = xero.api.create_invoices(xero.tenant, batch, idempotency_key="inv-1")  # same key: runs for real now
    assert made.invoices[0].invoice_number == "INV-0001"

    # A garbled answer after the write: the retry with the same key gets the real answer, no duplicate.
    requests.post(f"{base}/_sandbox/faults", json={"scripted": [
        {"path": "/Contacts$", "kind": "malformed", "count": 1}]}, timeout=5)
    with pytest.raises(ValueError):
        xero.api.create_contacts(xero.tenant, Contacts(contacts=[Contact(name="Kramerica")]), idempotency_key="c-1")
    again = xero.api.create_contacts(xero.tenant, Contacts(contacts=[Contact(name="Kramerica")]), idempotency_key="c-1")
    assert again.contacts[0].name == "Kramerica"
    assert sum(c["Name"] == "Kramerica" for c in sandbox.organisations[xero.tenant]["contacts"].values()) == 1

    stats = requests.get(f"{base}/_sandbox/stats", timeout=5).json()
    mine = stats["tenants"][US_TENANT_ID]
    assert mine["faults"] == 2 and mine["by_status"]["503"] == 1 and mine["idempotent_replays"] == 1
    assert mine["operations"]["PUT /Invoices"] == 2

    state = requests.get(f"{base}/_sandbox/state/{US_TENANT_ID}", timeout=5).json()
    assert state["invoices"][0]["InvoiceNumber"] == "INV-0001"
    assert state["balances_by_code"] == {}  # a DRAFT posts nothing
    assert requests.get(f"{base}/_sandbox/state/nope", timeout=5).status_code == 404

    token = requests.post(f"{base}/_sandbox/tokens", json={"tenant_id": GLOBAL_TENANT_ID}, timeout=5).json()
    assert token["token_type"] == "Bearer" and token["scope"]


def test_default_charts_have_stable_ids_and_the_accounts_a_mapping_needs(xero):
    api = xero.api
    us = {a.code: a for a in api.get_accounts(US_TENANT_ID).accounts}
    assert us["090"].account_id == stable_id("demo-us", "account", "090")
    assert us["090"].type.value == "BANK" and us["091"].type.value == "BANK" and us["091"].name == "Stripe Clearing"
    assert us["610"].system_account == "DEBTORS" and us["820"].system_account == "GST"
    assert us["499"].system_account == "REALISEDCURRENCYGAIN" and us["860"].system_account == "ROUNDING"
    assert us["840"].system_account == "HISTORICAL"
    assert us["093"].enable_payments_to_account is True and us["094"].enable_payments_to_account is False
    for code in ("200", "205", "260", "270", "404", "405", "406", "095"):
        assert code in us
    assert {t.tax_type for t in api.get_tax_rates(US_TENANT_ID).tax_rates} >= {"NONE", "OUTPUT", "INPUT"}
    assert {c.name for c in api.get_tracking_categories(US_TENANT_ID).tracking_categories} == {"Region", "Channel"}
    glob = {a.code: a for a in api.get_accounts(GLOBAL_TENANT_ID).accounts}
    assert glob["096"].currency_code.value == "EUR" and glob["096"].type.value == "BANK"
    assert glob["090"].account_id != us["090"].account_id  # each organisation has its own IDs
    # Filters the loader uses.
    assert [a.code for a in api.get_accounts(US_TENANT_ID, where='Type=="BANK"', order="Code").accounts] == [
        "090", "091"]


def test_save_and_from_file_round_trip(xero, sandbox, tmp_path, client_for):
    api, t = xero.api, xero.tenant
    made = api.create_invoices(t, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(name="Pendant Publishing"), date=dt.date(2024, 5, 1), status="AUTHORISED",
        line_items=[LineItem(description="x", unit_amount=Decimal("12.34"), account_code="200", tax_type="OUTPUT")])]),
        idempotency_key="persist-1").invoices[0]
    path = tmp_path / "xero.json"
    sandbox.save(path)

    restored = XeroSandbox.from_file(path, faults=Faults())
    books = restored.organisations[t]
    invoice = books.get("invoices", made.invoice_id)
    assert invoice["Total"] == Decimal("13.36") and invoice["Date"] == dt.date(2024, 5, 1)
    assert restored.balances(t) == sandbox.balances(t)
    assert restored.now_ms() == sandbox.now_ms()
    with restored.serve() as server:
        # The old access token, the books and the idempotency record all came back.
        client = client_for(server.base_url, xero.store["token"], t)
        fetched = client.api.get_invoice(t, made.invoice_id).invoices[0]
        assert (fetched.total, fetched.contact.name) == (Decimal("13.36"), "Pendant Publishing")
        replay = client.api.create_invoices(t, Invoices(invoices=[Invoice(type="ACCREC", contact=Contact(name="Other"))]),
                                            idempotency_key="persist-1")
        assert replay.invoices[0].invoice_id == made.invoice_id
        assert len(restored.organisations[t]["invoices"]) == 1
