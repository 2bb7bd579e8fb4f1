"""POST /batch: up to `max_items` operations run one after another; each item answers on its own.

A failing item gets a Fault in its BatchItemResponse (matched by bId) and does not stop the others,
the way python-quickbooks expects (`BatchResponse.faults`).
"""

from __future__ import annotations

from typing import Any

from . import errors, operations, query
from .entities import SPECS
from .errors import QBOFault
from .store import Company


def run(company: Company, body: Any, now: float, max_items: int) -> list[dict]:
    items = body.get("BatchItemRequest") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise errors.required_param("BatchItemRequest", "batch")
    if len(items) > max_items:
        raise errors.fault(1000, "Operation failed",
                           f"Batch size limit exceeded: {len(items)} BatchItemRequest items were sent; the "
                           f"maximum is {max_items}.", "BatchItemRequest")
    return [_one(company, item, now) for item in items]


def _one(company: Company, item: Any, now: float) -> dict:
    bid = item.get("bId") if isinstance(item, dict) else None
    try:
        if not isinstance(item, dict):
            raise errors.invalid_property("BatchItemRequest items must be objects")
        if "Query" in item:
            return {"bId": bid, "QueryResponse": query.run(company, item["Query"])}
        entity = next((key for key in item if key in SPECS), None)
        if entity is None:
            raise errors.invalid_property("no supported entity in the batch item", "BatchItemRequest")
        operation = (item.get("operation") or "create").lower()
        body = item[entity]
        options = item.get("optionsData") or []
        options = options if isinstance(options, list) else [options]
        include = ",".join(str(o) for o in options)
        if operation == "create":
            body = {k: v for k, v in body.items() if k != "Id"}
            result = operations.write(company, entity, body, {"include": include}, now)
        elif operation == "update":
            if body.get("Id") in (None, ""):
                raise errors.required_param("Id", entity)
            result = operations.write(company, entity, body, {"include": include}, now)
        elif operation == "delete":
            result = operations.write(company, entity, body, {"operation": "delete"}, now)
        elif operation == "void":
            result = operations.write(company, entity, body, {"operation": "void"}, now)
        else:
            raise errors.unsupported(operation, entity)
        return {"bId": bid, entity: result}
    except QBOFault as fault:
        return {"bId": bid, "Fault": fault.fault_json()}
