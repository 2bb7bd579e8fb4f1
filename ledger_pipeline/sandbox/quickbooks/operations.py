"""Create, read, update, delete and void against one company, keeping the ledger and indexes in step.

Callers hold `company.lock`; every function here either finishes its change or raises a QBOFault
before touching state.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from . import account_types as at
from . import errors, lists, transactions
from .dates import timestamp, today
from .entities import COMPUTED, NAME_FIELDS, REF_TARGETS, SPECS
from .jsonutil import money
from .postings import postings_for
from .store import Company
from .validation import check_doc_number, check_refs, clean, ref_value

ZERO = Decimal("0")
VOIDED_NOTE = "Voided"


# --- reading --------------------------------------------------------------------------------------

def read(company: Company, entity: str, ident: str) -> dict:
    if entity == "CompanyInfo" and ident == company.realm_id:
        ident = "1"
    obj = company.get(entity, ident)
    if obj is None:
        raise errors.object_not_found(entity, ident)
    return render(company, entity, obj)


def render(company: Company, entity: str, obj: dict) -> dict:
    """The object as QuickBooks answers it: live balances, names in refs, SyncToken as a string."""
    out = copy.deepcopy(obj)
    out["SyncToken"] = str(out.get("SyncToken", "0"))
    if entity == "Customer":
        balance = customer_balance(company, out["Id"])
        out["Balance"] = balance
        out["BalanceWithJobs"] = balance
    elif entity == "Account":
        native = company.ledger.native_balance.get(out["Id"], ZERO)
        if not at.is_balance_sheet(out):
            native = ZERO  # QBO shows a current balance for balance sheet accounts only
        elif not at.is_debit_normal(out):
            native = -native
        out["CurrentBalance"] = native
        out["CurrentBalanceWithSubAccounts"] = native + sum(
            (Decimal(render(company, "Account", child)["CurrentBalance"]) for child in company.all("Account")
             if ref_value(child.get("ParentRef")) == out["Id"]), ZERO)
    elif entity in ("Invoice", "CreditMemo"):
        links = sorted(company.linked_from.get((entity, out["Id"]), set()), key=lambda s: (s[0], int(s[1])))
        if links:
            out["LinkedTxn"] = [{"TxnId": i, "TxnType": t} for t, i in links]
    elif entity in ("Payment", "SalesReceipt"):
        deposits = sorted(company.linked_from.get((entity, out["Id"]), set()))
        if deposits:
            out["LinkedTxn"] = [{"TxnId": i, "TxnType": t} for t, i in deposits]
    _fill_ref_names(company, entity, out)
    return out


def _fill_ref_names(company: Company, entity: str, value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _fill_ref_names(company, entity, item)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if isinstance(item, dict) and (key in REF_TARGETS or key == "ParentRef") and ref_value(item):
            target = company.get(REF_TARGETS.get(key, entity), ref_value(item))
            if target is not None:
                item["name"] = target.get(NAME_FIELDS.get(REF_TARGETS.get(key, entity), "Name"), "")
        else:
            _fill_ref_names(company, entity, item)


def customer_balance(company: Company, customer_id: str) -> Decimal:
    """Open invoices less open credits and unapplied payments, plus A/R journal lines naming the customer."""
    balance = ZERO
    for kind, ident in company.by_customer.get(customer_id, set()):
        obj = company.get(kind, ident)
        if obj is None:
            continue
        if kind == "Invoice":
            balance += Decimal(obj.get("Balance", 0))
        elif kind == "CreditMemo":
            balance -= Decimal(obj.get("Balance", 0))
        elif kind == "Payment":
            balance -= Decimal(obj.get("UnappliedAmt", 0))
        elif kind == "JournalEntry":
            for line in obj.get("Line", []):
                detail = line.get("JournalEntryLineDetail") or {}
                account = company.get("Account", ref_value(detail.get("AccountRef"))) or {}
                entity_ref = (detail.get("Entity") or {}).get("EntityRef")
                if account.get("AccountType") == at.AR and ref_value(entity_ref) == customer_id:
                    sign = 1 if detail.get("PostingType") == "Debit" else -1
                    balance += sign * Decimal(line.get("Amount", 0))
    return balance


# --- writing --------------------------------------------------------------------------------------

def write(company: Company, entity: str, body: dict, params: dict[str, str], now: float) -> dict:
    """POST /{entity}: create, update, sparse update, delete or void, as the query string says."""
    if not isinstance(body, dict):
        raise errors.invalid_property("the request body must be a JSON object")
    operation = (params.get("operation") or "").lower()
    include = {p.strip().lower() for p in (params.get("include") or "").split(",") if p.strip()}
    if operation == "delete":
        return delete(company, entity, body, now)
    if operation == "void" or (operation == "update" and "void" in include):
        return void(company, entity, body, now)
    if operation not in ("", "create", "update"):
        raise errors.unsupported(operation, entity)
    allow_duplicate = "allowduplicatedocnum" in include
    if entity in ("Preferences", "CompanyInfo"):
        body = {**body, "Id": "1"}
    if body.get("Id") not in (None, ""):
        return save(company, entity, body, now, existing_id=str(body["Id"]), allow_duplicate=allow_duplicate)
    return save(company, entity, body, now, existing_id=None, allow_duplicate=allow_duplicate)


def _check_sync_token(existing: dict, body: dict) -> None:
    sent = body.get("SyncToken")
    if sent is None or str(sent) != str(existing.get("SyncToken", "0")):
        raise errors.stale_object("SyncToken")


def save(company: Company, entity: str, body: dict, now: float, *, existing_id: str | None,
         allow_duplicate: bool = False) -> dict:
    spec = SPECS[entity]
    existing = None
    if existing_id is not None:
        if not spec.update:
            raise errors.unsupported("Update", entity)
        existing = company.get(entity, existing_id)
        if existing is None:
            raise errors.object_not_found(entity, existing_id, "Id")
        _check_sync_token(existing, body)
    elif not spec.create:
        raise errors.unsupported("Create", entity)

    incoming = clean({k: v for k, v in body.items() if k not in COMPUTED and k != "Id"})
    if entity == "Payment" and "TotalAmt" not in incoming and existing is not None and body.get("sparse"):
        incoming["TotalAmt"] = existing["TotalAmt"]
    if existing is not None and body.get("sparse") is True:
        obj = {k: copy.deepcopy(v) for k, v in existing.items() if k not in COMPUTED and k != "Id"}
        obj.update(incoming)  # sparse: only the fields sent change
    else:
        obj = incoming
    if entity in ("Invoice", "CreditMemo", "SalesReceipt"):
        obj.pop("LinkedTxn", None)  # computed from the Payments and Deposits that link them
    if spec.kind == "txn" and entity != "Payment":
        obj.pop("TotalAmt", None)  # QBO computes it from the lines

    check_refs(company, entity, obj)
    if spec.kind == "txn":
        check_doc_number(company, entity, obj, existing_id, allow_duplicate)
        custom_numbers = company.preferences.get("SalesFormsPrefs", {}).get("CustomTxnNumbers", False)
        if spec.sales_doc and not obj.get("DocNumber") and not custom_numbers and existing is None:
            obj["DocNumber"] = _next_doc_number(company, entity)  # QBO numbers sales forms unless custom
        transactions.prepare(company, entity, obj, existing_id, today(now, company.timezone))
    else:
        lists.PREPARERS[entity](company, entity, obj, existing, existing_id)

    stamp = timestamp(now, company.timezone)
    obj["Id"] = existing_id or company.new_id(entity)
    obj["SyncToken"] = str(int(existing["SyncToken"]) + 1) if existing else "0"
    obj["MetaData"] = {"CreateTime": (existing or {}).get("MetaData", {}).get("CreateTime", stamp),
                       "LastUpdatedTime": stamp}
    obj["domain"] = "QBO"
    obj["sparse"] = False
    company.put(entity, obj)
    if spec.kind == "txn":
        reindex_txn(company, entity, existing, obj)
    return render(company, entity, obj)


def _next_doc_number(company: Company, entity: str) -> str:
    return str(max(company.max_doc_number[entity], 1000) + 1)


def delete(company: Company, entity: str, body: dict, now: float) -> dict:
    spec = SPECS[entity]
    if not spec.delete:
        raise errors.unsupported("Delete", entity)
    ident = str(body.get("Id", ""))
    existing = company.get(entity, ident)
    if existing is None:
        raise errors.object_not_found(entity, ident, "Id")
    _check_sync_token(existing, body)
    _refuse_if_linked(company, entity, ident, "delete")
    existing["MetaData"] = {**existing.get("MetaData", {}), "LastUpdatedTime": timestamp(now, company.timezone)}
    company.remove(entity, ident)  # kept as a tombstone for change data capture
    reindex_txn(company, entity, existing, None)
    return {"status": "Deleted", "domain": "QBO", "Id": ident}


def void(company: Company, entity: str, body: dict, now: float) -> dict:
    spec = SPECS[entity]
    if not spec.void:
        raise errors.unsupported("Void", entity)
    ident = str(body.get("Id", ""))
    existing = company.get(entity, ident)
    if existing is None:
        raise errors.object_not_found(entity, ident, "Id")
    _check_sync_token(existing, body)
    _refuse_if_linked(company, entity, ident, "void")
    obj = copy.deepcopy(existing)
    for line in obj.get("Line", []):  # QBO keeps the lines of a voided transaction with zero amounts
        if "Amount" in line:
            line["Amount"] = ZERO
        for detail in ("SalesItemLineDetail",):
            if detail in line:
                line[detail].pop("Qty", None)
    for field in ("TotalAmt", "Balance", "HomeBalance", "HomeTotalAmt", "UnappliedAmt", "RemainingCredit"):
        if field in obj:
            obj[field] = ZERO
    if obj.get("TxnTaxDetail"):
        obj["TxnTaxDetail"] = {**obj["TxnTaxDetail"], "TotalTax": ZERO, "TaxLine": []}
    note = obj.get("PrivateNote", "")
    obj["PrivateNote"] = VOIDED_NOTE if not note else f"{VOIDED_NOTE} - {note}"
    obj["SyncToken"] = str(int(existing["SyncToken"]) + 1)
    obj["MetaData"] = {**existing.get("MetaData", {}), "LastUpdatedTime": timestamp(now, company.timezone)}
    company.put(entity, obj)
    reindex_txn(company, entity, existing, obj)
    return render(company, entity, obj)


def _refuse_if_linked(company: Company, entity: str, ident: str, action: str) -> None:
    users = company.linked_from.get((entity, ident), set())
    if users:
        kinds = ", ".join(f"{t} {i}" for t, i in sorted(users))
        raise errors.business(f"You can't {action} this {entity} because other transactions are linked to it "
                              f"({kinds}). Remove those links first.", "Id")


# --- indexes --------------------------------------------------------------------------------------

def _links(entity: str, obj: dict | None) -> set[tuple[str, str]]:
    if not obj or entity not in ("Payment", "Deposit"):
        return set()
    found = set()
    for line in obj.get("Line", []):
        if entity == "Payment" and not Decimal(line.get("Amount", 0)):
            continue  # a voided payment no longer holds its invoices
        for link in line.get("LinkedTxn") or []:
            found.add((link["TxnType"], str(link["TxnId"])))
    return found


def _customers(entity: str, obj: dict | None) -> set[str]:
    if not obj:
        return set()
    found = set()
    if ref_value(obj.get("CustomerRef")):
        found.add(ref_value(obj["CustomerRef"]))
    if entity == "JournalEntry":
        for line in obj.get("Line", []):
            entity_ref = ((line.get("JournalEntryLineDetail") or {}).get("Entity") or {})
            if str(entity_ref.get("Type", "")).lower() == "customer" and ref_value(entity_ref.get("EntityRef")):
                found.add(ref_value(entity_ref["EntityRef"]))
    return found


def reindex_txn(company: Company, entity: str, old: dict | None, new: dict | None) -> None:
    ident = (new or old)["Id"]
    source = (entity, ident)
    old_links, new_links = _links(entity, old), _links(entity, new)
    for target in old_links - new_links:
        company.linked_from[target].discard(source)
        if not company.linked_from[target]:
            del company.linked_from[target]
    for target in new_links:
        company.linked_from[target].add(source)
    for customer in _customers(entity, old) - _customers(entity, new):
        company.by_customer[customer].discard(source)
    for customer in _customers(entity, new):
        company.by_customer[customer].add(source)
    if new is None:
        company.ledger.remove(entity, ident)
    else:
        company.ledger.set(entity, ident, postings_for(company, entity, new))
    if entity == "Payment":
        for target in old_links | new_links:
            refresh_balance(company, *target)


def refresh_balance(company: Company, entity: str, ident: str) -> None:
    obj = company.get(entity, ident)
    if obj is None or entity not in ("Invoice", "CreditMemo"):
        return
    balance = Decimal(obj["TotalAmt"]) - transactions.open_applied(company, entity, ident)
    obj["Balance"] = balance
    obj["HomeBalance"] = money(balance * Decimal(obj.get("ExchangeRate", 1) or 1))
    if entity == "CreditMemo":
        obj["RemainingCredit"] = balance


def reindex(company: Company) -> None:
    """Rebuild the ledger and link indexes from the stored objects (after loading a saved file)."""
    company.ledger.clear()
    company.linked_from.clear()
    company.by_customer.clear()
    order = ["Invoice", "CreditMemo", "SalesReceipt", "RefundReceipt", "JournalEntry", "Payment", "Deposit",
             "Transfer", "Purchase"]
    for entity in order:
        for obj in list(company.all(entity)):
            reindex_txn(company, entity, None, obj)
