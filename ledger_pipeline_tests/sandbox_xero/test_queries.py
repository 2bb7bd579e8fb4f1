"""List parameters the loader relies on: where, order, IDs, page/pageSize, If-Modified-Since; and request size."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from xero_python.accounting.models import Contact, Contacts
from xero_python.exceptions import HTTPStatusException

from ledger_pipeline.sandbox.xero import US_TENANT_ID


def test_where_order_ids_paging_and_if_modified_since(xero, sandbox):
    api, t = xero.api, xero.tenant
    first = api.create_contacts(t, Contacts(contacts=[Contact(name=f"Customer {n:02d}", contact_number=f"cus_{n:02d}",
                                                              email_address=f"c{n}@example.com") for n in range(12)]))
    ids = [c.contact_id for c in first.contacts]
    sandbox.advance(600)  # ten sandbox minutes later (the token lasts thirty)
    later = api.create_contacts(t, Contacts(contacts=[Contact(name="Zed Late", contact_number="cus_late")]))

    assert [c.name for c in api.get_contacts(t, where='ContactNumber=="cus_03"').contacts] == ["Customer 03"]
    assert [c.name for c in api.get_contacts(t, where='Name.StartsWith("customer 1")', order="Name DESC").contacts] == [
        "Customer 11", "Customer 10"]
    assert len(api.get_contacts(t, where='Name!="Zed Late" AND EmailAddress.Contains("@example.com")').contacts) == 12
    assert {c.contact_id for c in api.get_contacts(t, i_ds=ids[:2]).contacts} == set(ids[:2])

    page2 = api.get_contacts(t, page=2, page_size=5, order="Name")
    assert [c.name for c in page2.contacts] == [f"Customer {n:02d}" for n in range(5, 10)]
    assert (page2.pagination.page, page2.pagination.page_count, page2.pagination.item_count) == (2, 3, 13)

    since = dt.datetime(2024, 5, 1, 12, 5)  # between the two batches, UTC, as xero-python sends it
    assert [c.contact_id for c in api.get_contacts(t, if_modified_since=since).contacts] == [
        later.contacts[0].contact_id]

    with pytest.raises(HTTPStatusException) as bad_where:
        api.get_contacts(t, where='Nonsense=="x"')
    assert bad_where.value.status == 400
    assert b"QueryParseException" in bad_where.value.body


def test_request_over_3_5_mb_is_refused(server, sandbox):
    token = sandbox.issue_tokens(US_TENANT_ID)
    body = b'{"Contacts":[{"Name":"' + b"x" * 3_600_000 + b'"}]}'
    answer = requests.put(f"{server.base_url}/api.xro/2.0/Contacts", data=body, timeout=10, headers={
        "Authorization": f"Bearer {token['access_token']}", "xero-tenant-id": US_TENANT_ID,
        "Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.headers["X-MinLimit-Remaining"]
    assert not sandbox.organisations[US_TENANT_ID]["contacts"]
