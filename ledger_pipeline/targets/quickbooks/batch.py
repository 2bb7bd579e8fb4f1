"""QuickBooks batch requests (POST /batch), built and read here so each item's answer maps back to its item.

python-quickbooks' own batch path gives items 36-character random bIds and matches answers by object
identity; here each item's bId is its position ("0".."29"), operations may be mixed, and every item
comes back as a `Remote` or a `TargetError` classified by its own Fault code. Intuit recommends at most
30 items; the items run one after another and cannot see each other's results.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ledger_pipeline.posting.errors import TargetError
from ledger_pipeline.posting.records import Remote
from ledger_pipeline.targets.quickbooks.errors import fault_error

MAX_ITEMS = 30
OPERATIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class BatchItem:
    operation: str   # create | update | delete
    entity: Any      # a python-quickbooks object (JournalEntry, Invoice, ...)

    @property
    def kind(self) -> str:
        return self.entity.qbo_object_name


def batch_body(items: list[BatchItem]) -> str:
    if not items or len(items) > MAX_ITEMS:
        raise ValueError(f"a QuickBooks batch takes 1 to {MAX_ITEMS} items, not {len(items)}")
    requests = []
    for position, item in enumerate(items):
        if item.operation not in OPERATIONS:
            raise ValueError(f"batch operation must be one of {OPERATIONS}, not {item.operation!r}")
        requests.append({"bId": str(position), "operation": item.operation,
                         item.kind: json.loads(item.entity.to_json())})
    return json.dumps({"BatchItemRequest": requests})


def batch_results(data: dict, items: list[BatchItem], secrets: tuple[str, ...] = ()) -> list[Remote | TargetError]:
    answers: dict[str, dict] = {str(a.get("bId")): a for a in data.get("BatchItemResponse", [])}
    results: list[Remote | TargetError] = []
    for position, item in enumerate(items):
        answer = answers.get(str(position))
        if answer is None:
            results.append(fault_error(None, "QuickBooks sent no answer for this batch item", secrets=secrets))
        elif "Fault" in answer:
            errors = answer["Fault"].get("Error") or [{}]
            first = errors[0]
            error = fault_error(first.get("code"), first.get("Message", ""), first.get("Detail", ""),
                                secrets=secrets)
            error.details.extend(f"{e.get('code')}: {e.get('Message')} {e.get('Detail', '')}".strip()
                                 for e in errors[1:])
            results.append(error)
        else:
            obj = answer.get(item.kind) or {}
            results.append(Remote(str(obj.get("Id")), _text(obj.get("SyncToken")), obj.get("status"), obj))
    return results


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
