"""POST /batch through python-quickbooks' BatchManager: size limit, per-item Faults matched by bId."""

from __future__ import annotations

import json

import pytest
from quickbooks.batch import BatchManager, batch_create, batch_delete, batch_update
from quickbooks.exceptions import GeneralException
from quickbooks.objects import Customer


def customers(names):
    out = []
    for name in names:
        c = Customer()
        c.DisplayName = name
        out.append(c)
    return out


def test_more_than_30_items_in_one_batch_is_refused(qb):
    # python-quickbooks chunks at 30 by itself; ask it for 31 in one request to meet the limit
    with pytest.raises(GeneralException) as err:
        BatchManager("create", max_request_items=31).save(customers(f"Bulk {n}" for n in range(31)), qb=qb)
    assert err.value.error_code == 1000 and "maximum is 30" in err.value.detail
    assert Customer.count(qb=qb) == 0
    # the stock helper splits 31 into 30 + 1 and both go through
    result = batch_create(customers(f"Bulk {n}" for n in range(31)), qb=qb)
    assert len(result.successes) == 31 and not result.faults


def test_batch_of_30_with_duplicate_names_reports_per_item_faults(qb):
    taken = customers(["Taken A", "Taken B"])
    for c in taken:
        c.save(qb=qb)
    names = [f"Fresh {n}" for n in range(28)] + ["Taken A", "taken b"]
    objects = customers(names)
    result = batch_create(objects, qb=qb)
    assert len(result.successes) == 28 and len(result.faults) == 2
    assert {f.original_object.DisplayName for f in result.faults} == {"Taken A", "taken b"}
    assert all(f.Error[0].code == "6240" for f in result.faults)
    assert sorted(c.DisplayName for c in result.successes) == sorted(names[:28])
    assert all(c.Id and c.SyncToken == "0" for c in result.successes)
    assert Customer.count(qb=qb) == 30


def test_batch_update_delete_and_query_items(qb, h):
    made = batch_create(customers(["Upd 1", "Upd 2"]), qb=qb).successes
    for c in made:
        c.Notes = "updated in batch"
    updated = batch_update(made, qb=qb)
    assert [c.SyncToken for c in updated.successes] == ["1", "1"]
    stale = batch_update(made, qb=qb)  # SyncToken 0 again: both stale
    assert [f.Error[0].code for f in stale.faults] == ["5010", "5010"]

    je = h.journal([("1", "Debit", 12.5), ("24", "Credit", 12.5)]).save(qb=qb)
    assert not batch_delete([je], qb=qb).faults

    answer = qb.batch_operation(json.dumps({"BatchItemRequest": [
        {"bId": "q1", "Query": "SELECT * FROM Customer WHERE DisplayName LIKE 'Upd%'"},
        {"bId": "q2", "Query": "SELECT COUNT(*) FROM JournalEntry"},
        {"bId": "bad", "Query": "SELECT FROM"},
    ]}))
    by_id = {item["bId"]: item for item in answer["BatchItemResponse"]}
    assert len(by_id["q1"]["QueryResponse"]["Customer"]) == 2
    assert by_id["q2"]["QueryResponse"] == {"totalCount": 0}
    assert by_id["bad"]["Fault"]["Error"][0]["code"] == "4000"
