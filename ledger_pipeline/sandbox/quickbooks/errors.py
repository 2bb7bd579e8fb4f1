"""QuickBooks Faults: the JSON error shape, the codes and texts, and the HTTP status each one rides on.

python-quickbooks raises on any body holding "Fault" and picks the exception class from `int(code)`
(1-499 auth, 500-599 unsupported, 610 not found, 600-1999 general, 2000-4999 validation, 5000-9999
plain QuickbooksException, 10000+ severe), so the codes here decide what a loader sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class QBOError:
    code: str
    message: str
    detail: str = ""
    element: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"Message": self.message, "Detail": self.detail, "code": self.code, "element": self.element}


@dataclass
class QBOFault(Exception):
    """Raised anywhere in request handling; the app turns it into a Fault body and a status."""

    errors: list[QBOError]
    type: str = "ValidationFault"
    status: int = 400
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{e.code} {e.message}: {e.detail}" for e in self.errors)

    def fault_json(self) -> dict[str, Any]:
        return {"Error": [e.as_json() for e in self.errors], "type": self.type}


def fault(code: str | int, message: str, detail: str = "", element: str = "", *, type: str = "ValidationFault",
          status: int = 400) -> QBOFault:
    return QBOFault([QBOError(str(code), message, detail, element)], type=type, status=status)


# --- the Faults QuickBooks answers most often, with its wording -------------------------------------

def stale_object(element: str = "") -> QBOFault:
    return fault(5010, "Stale Object Error",
                 "Stale Object Error : You and sandbox-user were working on this at the same time. "
                 "sandbox-user finished before you did, so your work was not saved.", element)


def duplicate_name(element: str = "DisplayName") -> QBOFault:
    return fault(6240, "Duplicate Name Exists Error",
                 "The name supplied already exists. : Another customer, vendor or employee is already using "
                 "this name. Please use a different name.", element)


def duplicate_list_name(kind: str, name: str, element: str = "Name") -> QBOFault:
    return fault(6240, "Duplicate Name Exists Error",
                 f"The name supplied already exists. : Another {kind.lower()} is already using the name "
                 f"{name!r}. Please use a different name.", element)


def duplicate_doc_number(doc_number: str, txn_type: str, txn_id: str) -> QBOFault:
    return fault(6140, "Duplicate Document Number Error",
                 "Duplicate Document Number Error : You must specify a different number. This number has "
                 f"already been used. DocNumber={doc_number} is assigned to TxnType={txn_type} with "
                 f"TxnId={txn_id}", "DocNumber")


def object_not_found(entity: str, ident: str, element: str = "") -> QBOFault:
    """What QuickBooks says for an inactive reference, or an Id that is not there (read/update/delete)."""
    return fault(610, "Object Not Found",
                 "Object Not Found : Something you're trying to use has been made inactive. Check the fields "
                 f"with accounts, customers, items, vendors or employees. ({entity} Id={ident})", element)


def invalid_reference(entity: str, ident: str, element: str = "") -> QBOFault:
    """A reference to an Id that never existed."""
    return fault(2500, "Invalid Reference Id",
                 f"Invalid Reference Id : {entity} element id {ident} not found", element)


def required_param(name: str, entity: str) -> QBOFault:
    return fault(2020, "Required param missing, need to supply the required value for the API",
                 f"Required parameter {name} is missing in the request", name)


def invalid_property(detail: str, element: str = "") -> QBOFault:
    return fault(2010, "Request has invalid or unsupported property", f"Property Name:{detail}", element)


def business(detail: str, element: str = "", code: int = 6000) -> QBOFault:
    return fault(code, "A business validation error has occurred while processing your request",
                 f"Business Validation Error: {detail}", element)


def unsupported(operation: str, entity: str) -> QBOFault:
    return fault(500, "Unsupported Operation", f"Operation {operation} is not supported for {entity}.",
                 type="ValidationFault")


def query_parse_error(detail: str) -> QBOFault:
    return fault(4000, "Error parsing query", f"QueryParserError: {detail}")


def query_validation_error(detail: str) -> QBOFault:
    return fault(4001, "Invalid query", f"QueryValidationError: {detail}")


def unknown_resource(name: str) -> QBOFault:
    return fault(500, "Unsupported Operation", f"Operation Could not find resource for relative : /{name} "
                 "of full path: is not supported.", status=400)


def auth_fault(detail: str = "Token expired") -> QBOFault:
    return fault(3200, "message=AuthenticationFailed; errorCode=003200; statusCode=401", detail,
                 type="AUTHENTICATION", status=401)


def forbidden_realm(realm: str) -> QBOFault:
    return fault(3100, "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
                 f"The access token is not authorized for company {realm}.", type="AuthorizationFault",
                 status=403)
