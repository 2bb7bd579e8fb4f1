"""How each transaction lands in the ledger: QuickBooks' debit/credit rules, per entity.

Lines are collected in the transaction currency (debit positive), converted to home currency per line
at the transaction's ExchangeRate, and any cent left over by rounding goes to Exchange Gain or Loss,
so every transaction balances in home currency too.
"""

from __future__ import annotations

from decimal import Decimal

from .jsonutil import money
from .ledger import Posting
from .store import Company
from .transactions import SALES_SIGN, default_ar
from .validation import account_currency, ref_value

ZERO = Decimal("0")


def _name(company: Company, entity: str, ref: dict | None) -> str:
    obj = company.get(entity, ref_value(ref)) if ref else None
    return (obj or {}).get("DisplayName", "")


def _item_account(company: Company, detail: dict) -> str:
    if ref_value(detail.get("ItemAccountRef")):
        return ref_value(detail["ItemAccountRef"])
    item = company.get("Item", ref_value(detail.get("ItemRef"))) or {}
    return ref_value(item.get("IncomeAccountRef")) or ref_value(item.get("ExpenseAccountRef")) or ""


def _expense_item_account(company: Company, detail: dict) -> str:
    item = company.get("Item", ref_value(detail.get("ItemRef"))) or {}
    found = ref_value(item.get("ExpenseAccountRef"))
    if found:
        return found
    fallback = company.find_account(name="Uncategorized Expense") or company.find_account(account_type="Expense")
    return fallback["Id"] if fallback else ""


def _tax_account(company: Company) -> str:
    account = company.find_account(subtype="SalesTaxPayable")
    return account["Id"] if account else ""


def _at_rate(value: Decimal, txn: dict) -> Decimal:
    rate = Decimal(txn.get("ExchangeRate", 1) or 1)
    return value if rate == 1 else money(value * rate)


def legs(company: Company, entity: str, obj: dict) -> list[tuple]:
    """(account Id, signed amount in txn currency, name, memo, line number[, home amount]) per leg;
    without a home amount the leg converts at the transaction's own ExchangeRate."""
    out: list[tuple[str, Decimal, str, str, int]] = []
    memo = obj.get("PrivateNote", "")
    if entity == "JournalEntry":
        for n, line in enumerate(obj.get("Line", [])):
            detail = line.get("JournalEntryLineDetail")
            if not detail:
                continue
            sign = 1 if detail.get("PostingType") == "Debit" else -1
            entity_ref = (detail.get("Entity") or {})
            kind = (entity_ref.get("Type") or "Customer").capitalize()
            name = _name(company, kind, entity_ref.get("EntityRef"))
            out.append((ref_value(detail["AccountRef"]), sign * Decimal(line["Amount"]), name,
                        line.get("Description", memo), n))
    elif entity in SALES_SIGN:
        sign = SALES_SIGN[entity]
        name = _name(company, "Customer", obj.get("CustomerRef"))
        total = Decimal(obj["TotalAmt"])
        if entity in ("Invoice", "CreditMemo"):
            head = ref_value(obj.get("ARAccountRef")) or default_ar(company, obj["CurrencyRef"]["value"])["Id"]
        else:
            head = ref_value(obj["DepositToAccountRef"])
        out.append((head, sign * total, name, memo, 0))
        for n, line in enumerate(obj.get("Line", []), start=1):
            kind = line.get("DetailType")
            if kind == "SalesItemLineDetail":
                out.append((_item_account(company, line["SalesItemLineDetail"]), -sign * Decimal(line["Amount"]),
                            name, line.get("Description", memo), n))
            elif kind == "DiscountLineDetail":
                detail = line.get("DiscountLineDetail", {})
                account = ref_value(detail.get("DiscountAccountRef")) or (
                    company.find_account(subtype="DiscountsRefundsGiven") or {}).get("Id", "")
                out.append((account, sign * Decimal(line["Amount"]), name, line.get("Description", memo), n))
        tax = Decimal((obj.get("TxnTaxDetail") or {}).get("TotalTax", 0) or 0)
        if tax:
            out.append((_tax_account(company), -sign * tax, name, "Sales tax", 0))
    elif entity == "Payment":
        # applied amounts leave A/R at the rate of the invoice (or credit memo) they settle; the
        # difference to the payment's own rate is the realized exchange gain or loss
        name = _name(company, "Customer", obj.get("CustomerRef"))
        total = Decimal(obj["TotalAmt"])
        ar = ref_value(obj["ARAccountRef"])
        out.append((ref_value(obj["DepositToAccountRef"]), total, name, memo, 0))
        unapplied = total
        for n, line in enumerate(obj.get("Line", []), start=1):
            link = (line.get("LinkedTxn") or [{}])[0]
            target = company.get(link.get("TxnType"), str(link.get("TxnId"))) or {}
            value = Decimal(line["Amount"]) * (1 if link.get("TxnType") == "Invoice" else -1)
            out.append((ar, -value, name, memo, n, _at_rate(value, target) * -1))
            unapplied -= value
        out.append((ar, -unapplied, name, memo, 0))
    elif entity == "Deposit":
        out.append((ref_value(obj["DepositToAccountRef"]), Decimal(obj["TotalAmt"]), "", memo, 0))
        for n, line in enumerate(obj.get("Line", []), start=1):
            links = line.get("LinkedTxn") or []
            if links:  # leaves Undeposited Funds at the rate the payment came in
                source = company.get(links[0]["TxnType"], str(links[0]["TxnId"])) or {}
                account = ref_value(source.get("DepositToAccountRef"))
                name = _name(company, "Customer", source.get("CustomerRef"))
                value = Decimal(line["Amount"])
                out.append((account, -value, name, line.get("Description", memo), n, -_at_rate(value, source)))
                continue
            else:
                detail = line.get("DepositLineDetail", {})
                account = ref_value(detail.get("AccountRef"))
                entity_ref = detail.get("Entity") or {}
                name = _name(company, (entity_ref.get("type") or "Customer").capitalize(), entity_ref)
            out.append((account, -Decimal(line["Amount"]), name, line.get("Description", memo), n))
        cash_back = obj.get("CashBack")
        if cash_back:
            out.append((ref_value(cash_back["AccountRef"]), Decimal(cash_back["Amount"]), "",
                        cash_back.get("Memo", memo), 0))
    elif entity == "Transfer":
        value = Decimal(obj["Amount"])
        out.append((ref_value(obj["ToAccountRef"]), value, "", memo, 0))
        out.append((ref_value(obj["FromAccountRef"]), -value, "", memo, 0))
    elif entity == "Purchase":
        sign = -1 if obj.get("Credit") else 1  # a card refund runs the other way
        entity_ref = obj.get("EntityRef") or {}
        name = _name(company, (entity_ref.get("type") or "Vendor").capitalize(), entity_ref)
        out.append((ref_value(obj["AccountRef"]), -sign * Decimal(obj["TotalAmt"]), name, memo, 0))
        for n, line in enumerate(obj.get("Line", []), start=1):
            if line.get("DetailType") == "AccountBasedExpenseLineDetail":
                account = ref_value(line["AccountBasedExpenseLineDetail"]["AccountRef"])
            else:
                account = _expense_item_account(company, line.get("ItemBasedExpenseLineDetail", {}))
            out.append((account, sign * Decimal(line["Amount"]), name, line.get("Description", memo), n))
    return [leg for leg in out if leg[1] != 0]


def postings_for(company: Company, entity: str, obj: dict) -> list[Posting]:
    rate = Decimal(obj.get("ExchangeRate", 1) or 1)
    currency = (obj.get("CurrencyRef") or {}).get("value", company.home_currency)
    postings: list[Posting] = []
    home_sum = ZERO
    for account_id, value, name, memo, line, *fixed in legs(company, entity, obj):
        home = fixed[0] if fixed else (value if rate == 1 else money(value * rate))
        account = company.get("Account", account_id) or {}
        native = value if account_currency(company, account) == currency else home
        home_sum += home
        postings.append(Posting(account_id, home, native, obj["TxnDate"], entity, obj["Id"],
                                str(obj.get("DocNumber", "")), name, memo or "", line))
    if home_sum and postings:
        fx = company.find_account(subtype="ExchangeGainOrLoss") or company.find_account(name="Rounding")
        postings.append(Posting(fx["Id"], -home_sum, -home_sum, obj["TxnDate"], entity, obj["Id"],
                                str(obj.get("DocNumber", "")), "", "Exchange gain or loss", 0))
    return postings
