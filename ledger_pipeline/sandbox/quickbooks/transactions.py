"""Transactions: QuickBooks' business rules for each kind, and the totals it computes on save.

`prepare` validates a cleaned object in place and fills TotalAmt, Balance, tax, HomeTotalAmt, line Ids.
Amounts stay Decimal throughout; nothing here touches float.
"""

from __future__ import annotations

from decimal import Decimal

from . import account_types as at
from . import errors
from .jsonutil import money
from .store import Company
from .validation import (account_currency, amount, check_account_currency, check_date, check_ref,
                         currency_of, ref_value)

ZERO = Decimal("0")
SALES_SIGN = {"Invoice": 1, "SalesReceipt": 1, "CreditMemo": -1, "RefundReceipt": -1}


def _account(company: Company, ref: dict | None, element: str) -> dict:
    ident = ref_value(ref)
    if ident is None:
        raise errors.required_param(element.split(".")[-1], element)
    return check_ref(company, "Account", ident, element)


def default_ar(company: Company, currency: str) -> dict:
    account = company.find_account(account_type=at.AR, currency=currency)
    if account is None:
        raise errors.business(f"There is no Accounts Receivable account in {currency}.", "ARAccountRef")
    return account


def undeposited_funds(company: Company) -> dict:
    account = company.find_account(subtype="UndepositedFunds")
    if account is None:
        raise errors.business("The company has no Undeposited Funds account.", "DepositToAccountRef")
    return account


def open_applied(company: Company, target_type: str, target_id: str, exclude: tuple[str, str] | None = None
                 ) -> Decimal:
    """How much Payments apply to an Invoice/CreditMemo (leaving out the one being saved)."""
    total = ZERO
    for src in company.linked_from.get((target_type, target_id), set()):
        if src == exclude or src[0] != "Payment":
            continue
        payment = company.get(*src)
        for line in (payment or {}).get("Line", []):
            for link in line.get("LinkedTxn", []):
                if link.get("TxnType") == target_type and str(link.get("TxnId")) == target_id:
                    total += Decimal(line.get("Amount", 0))
    return total


def prepare(company: Company, entity: str, obj: dict, self_id: str | None, today: str) -> None:
    obj["TxnDate"] = check_date(obj["TxnDate"], "TxnDate") if obj.get("TxnDate") else today
    currency, rate = currency_of(company, obj)
    obj["CurrencyRef"] = {"value": currency, "name": _currency_name(currency)}
    obj["ExchangeRate"] = rate
    PREPARERS[entity](company, entity, obj, self_id, currency, rate)
    if "TotalAmt" in obj:
        obj["HomeTotalAmt"] = money(Decimal(obj["TotalAmt"]) * rate)
    if obj.get("PrivateNote") and len(obj["PrivateNote"]) > 4000:
        raise errors.fault(2050, "String length specified does not match the supported length",
                           "PrivateNote is longer than 4000 characters", "PrivateNote")


def _currency_name(code: str) -> str:
    return at.CURRENCY_NAMES.get(code, code)


# --- Journal entries ------------------------------------------------------------------------------

def _journal(company: Company, entity: str, obj: dict, self_id: str | None, currency: str, rate: Decimal) -> None:
    debits = credits = ZERO
    lines = obj.get("Line") or []
    if not lines:
        raise errors.required_param("Line", entity)
    for n, line in enumerate(lines):
        line["Id"] = str(n)
        element = f"Line[{n}]"
        kind = line.get("DetailType")
        if kind == "DescriptionOnly":
            continue
        if kind != "JournalEntryLineDetail":
            raise errors.invalid_property(f"DetailType {kind!r} is not valid on a JournalEntry line", element)
        detail = line.get("JournalEntryLineDetail") or {}
        posting = detail.get("PostingType")
        if posting not in ("Debit", "Credit"):
            raise errors.required_param("PostingType", entity)
        value = amount(line.get("Amount"), f"{element}.Amount", currency)
        if value < 0:
            raise errors.business("Journal entry line amounts can't be negative; use PostingType instead.",
                                  f"{element}.Amount")
        line["Amount"] = value
        account = _account(company, detail.get("AccountRef"), f"{element}.JournalEntryLineDetail.AccountRef")
        check_account_currency(company, account, currency, f"{element}.AccountRef",
                               exact=account["AccountType"] in (at.AR, at.AP))
        entity_type = (detail.get("Entity") or {}).get("Type", "")
        has_entity = ref_value((detail.get("Entity") or {}).get("EntityRef")) is not None
        if account["AccountType"] == at.AR and not (has_entity and entity_type.lower() == "customer"):
            raise errors.business("When you use Accounts Receivable, you must choose a customer in the Name "
                                  "field.", f"{element}.JournalEntryLineDetail.Entity")
        if account["AccountType"] == at.AP and not (has_entity and entity_type.lower() == "vendor"):
            raise errors.business("When you use Accounts Payable, you must choose a supplier in the Name "
                                  "field.", f"{element}.JournalEntryLineDetail.Entity")
        if posting == "Debit":
            debits += value
        else:
            credits += value
    if debits != credits:
        raise errors.business(f"You must balance debits and credits before you can save this journal entry. "
                              f"Debits total {debits}, credits total {credits}.", "Line")
    obj["TotalAmt"] = debits


# --- Sales forms ----------------------------------------------------------------------------------

def _income_account(company: Company, detail: dict, element: str) -> dict:
    if ref_value(detail.get("ItemAccountRef")):
        return _account(company, detail["ItemAccountRef"], f"{element}.ItemAccountRef")
    item = check_ref(company, "Item", ref_value(detail["ItemRef"]), f"{element}.ItemRef")
    ident = ref_value(item.get("IncomeAccountRef")) or ref_value(item.get("ExpenseAccountRef"))
    if ident is None:
        raise errors.business(f"The item {item.get('Name')!r} has no income account.", f"{element}.ItemRef")
    return check_ref(company, "Account", ident, f"{element}.ItemRef")


def tax_rates(company: Company, code_id: str) -> list[tuple[str, Decimal]]:
    code = check_ref(company, "TaxCode", code_id, "TxnTaxDetail.TxnTaxCodeRef")
    rates = []
    for detail in (code.get("SalesTaxRateList") or {}).get("TaxRateDetail", []):
        rate_id = ref_value(detail.get("TaxRateRef"))
        rate = check_ref(company, "TaxRate", rate_id, "TxnTaxDetail.TxnTaxCodeRef")
        rates.append((rate_id, Decimal(rate.get("RateValue", 0))))
    return rates


def _sales(company: Company, entity: str, obj: dict, self_id: str | None, currency: str, rate: Decimal) -> None:
    customer_id = ref_value(obj.get("CustomerRef"))
    if entity in ("Invoice", "CreditMemo") and customer_id is None:
        raise errors.required_param("CustomerRef", entity)
    if customer_id is not None:
        customer = check_ref(company, "Customer", customer_id, "CustomerRef")
        cust_currency = ref_value(customer.get("CurrencyRef")) or company.home_currency
        if cust_currency != currency:
            raise errors.business(f"The transaction currency ({currency}) must match the customer's currency "
                                  f"({cust_currency}).", "CurrencyRef")
    lines = obj.get("Line") or []
    if not lines:
        raise errors.required_param("Line", entity)
    net = taxable = running = ZERO
    for n, line in enumerate(lines):
        element = f"Line[{n}]"
        line["Id"], line["LineNum"] = str(n + 1), n + 1
        kind = line.get("DetailType")
        if kind == "SalesItemLineDetail":
            detail = line.setdefault("SalesItemLineDetail", {})
            if ref_value(detail.get("ItemRef")) is None:
                detail["ItemRef"] = {"value": "1"}  # QBO falls back to the default "Services" item
            _income_account(company, detail, element)
            qty = Decimal(detail["Qty"]) if detail.get("Qty") not in (None, "", 0) else None
            price = Decimal(detail["UnitPrice"]) if detail.get("UnitPrice") not in (None, "", 0) else None
            value = amount(line.get("Amount"), f"{element}.Amount", currency, required=False)
            if value is None:
                if qty is None or price is None:
                    raise errors.required_param("Amount", entity)
                value = money(qty * price)
            elif qty is not None and price is not None and money(qty * price) != value:
                raise errors.fault(6070, "Amount calculation incorrect in the request",
                                   f"Amount is not equal to UnitPrice * Qty. Supplied value:{value}",
                                   f"{element}.Amount")
            line["Amount"] = value
            net += value
            running += value
            code = ref_value(detail.get("TaxCodeRef"))
            if code is not None:
                tax_code = check_ref(company, "TaxCode", code, f"{element}.TaxCodeRef")
                if tax_code.get("Taxable"):
                    taxable += value
        elif kind == "DiscountLineDetail":
            detail = line.setdefault("DiscountLineDetail", {})
            if detail.get("PercentBased") and detail.get("DiscountPercent") not in (None, "", 0):
                value = money(running * Decimal(detail["DiscountPercent"]) / 100)
            else:
                value = amount(line.get("Amount"), f"{element}.Amount", currency)
            line["Amount"] = value
            net -= value
        elif kind in ("SubTotalLineDetail", "SubtotalLineDetail"):
            line["Amount"] = running
        elif kind == "DescriptionOnly":
            line.pop("Amount", None)
        else:
            raise errors.invalid_property(f"DetailType {kind!r} is not supported on a {entity} line", element)
    tax = _tax(company, obj, taxable, currency)
    total = net + tax
    if total < 0:
        raise errors.business(f"The {entity} total can't be negative ({total}).", "TotalAmt")
    obj["TotalAmt"] = total
    if entity in ("SalesReceipt", "RefundReceipt"):
        obj["Balance"] = ZERO
        account = (_account(company, obj["DepositToAccountRef"], "DepositToAccountRef")
                   if ref_value(obj.get("DepositToAccountRef")) else None)
        if account is None:
            if entity == "RefundReceipt":
                raise errors.business("You must select an account to refund from (DepositToAccountRef).",
                                      "DepositToAccountRef")
            account = undeposited_funds(company)
            obj["DepositToAccountRef"] = {"value": account["Id"]}
        allowed = {at.BANK, "Other Current Asset"} | ({at.CREDIT_CARD} if entity == "RefundReceipt" else set())
        if account["AccountType"] not in allowed:
            raise errors.business(f"{entity} money must go to a bank or other current asset account, not "
                                  f"{account['Name']!r} ({account['AccountType']}).", "DepositToAccountRef")
        check_account_currency(company, account, currency, "DepositToAccountRef")
    else:
        ar = (_account(company, obj["ARAccountRef"], "ARAccountRef") if ref_value(obj.get("ARAccountRef"))
              else default_ar(company, currency))
        if ar["AccountType"] != at.AR:
            raise errors.business("ARAccountRef must be an Accounts Receivable account.", "ARAccountRef")
        check_account_currency(company, ar, currency, "ARAccountRef", exact=True)
        applied = open_applied(company, entity, self_id) if self_id else ZERO
        if total < applied:
            raise errors.business(f"The {entity} total ({total}) is less than the payments already applied "
                                  f"to it ({applied}).", "TotalAmt")
        obj["Balance"] = total - applied
        obj["HomeBalance"] = money(obj["Balance"] * rate)
        if entity == "CreditMemo":
            obj["RemainingCredit"] = obj["Balance"]
        if entity == "Invoice" and not obj.get("DueDate"):
            obj["DueDate"] = obj["TxnDate"]


def _tax(company: Company, obj: dict, taxable: Decimal, currency: str) -> Decimal:
    """With a TxnTaxCodeRef the tax is computed from its rates (what a client sent as TotalTax is ignored,
    so a read-modify-save recomputes it); without one, an explicit TotalTax is taken as given."""
    detail = obj.get("TxnTaxDetail")
    if not detail:
        return ZERO
    code_id = ref_value(detail.get("TxnTaxCodeRef"))
    if code_id:
        lines = [(rid, pct, money(taxable * pct / 100)) for rid, pct in tax_rates(company, code_id)]
    else:
        given = amount(detail.get("TotalTax"), "TxnTaxDetail.TotalTax", currency, required=False) or ZERO
        lines = [(None, None, given)] if given else []
    tax = sum((t for _, _, t in lines), ZERO)
    detail["TotalTax"] = tax
    detail["TaxLine"] = [
        {"Amount": t, "DetailType": "TaxLineDetail",
         "TaxLineDetail": {**({"TaxRateRef": {"value": rid}} if rid else {}), "PercentBased": pct is not None,
                           **({"TaxPercent": pct} if pct is not None else {}), "NetAmountTaxable": taxable}}
        for rid, pct, t in lines]
    return tax


# --- Payments -------------------------------------------------------------------------------------

def _payment(company: Company, entity: str, obj: dict, self_id: str | None, currency: str, rate: Decimal) -> None:
    customer_id = ref_value(obj.get("CustomerRef"))
    if customer_id is None:
        raise errors.required_param("CustomerRef", entity)
    customer = check_ref(company, "Customer", customer_id, "CustomerRef")
    cust_currency = ref_value(customer.get("CurrencyRef")) or company.home_currency
    if cust_currency != currency:
        raise errors.business(f"The payment currency ({currency}) must match the customer's currency "
                              f"({cust_currency}).", "CurrencyRef")
    total = amount(obj.get("TotalAmt"), "TotalAmt", currency)
    if total < 0:
        raise errors.business("A payment amount can't be negative.", "TotalAmt")
    applied = ZERO
    for n, line in enumerate(obj.get("Line") or []):
        element = f"Line[{n}]"
        value = amount(line.get("Amount"), f"{element}.Amount", currency)
        line["Amount"] = value
        links = line.get("LinkedTxn") or []
        if len(links) != 1:
            raise errors.business("Each payment line must link exactly one Invoice or CreditMemo.", element)
        link = links[0]
        kind, target_id = link.get("TxnType"), str(link.get("TxnId", ""))
        if kind not in ("Invoice", "CreditMemo"):
            raise errors.business(f"A payment can't be applied to a {kind}.", f"{element}.LinkedTxn")
        target = company.get(kind, target_id)
        if target is None:
            raise errors.invalid_reference(kind, target_id, f"{element}.LinkedTxn")
        if ref_value(target.get("CustomerRef")) != customer_id:
            raise errors.business(f"{kind} {target_id} belongs to another customer.", f"{element}.LinkedTxn")
        open_amount = Decimal(target["TotalAmt"]) - open_applied(
            company, kind, target_id, exclude=("Payment", self_id) if self_id else None)
        if value > open_amount:
            raise errors.business(f"The amount applied to {kind} {target_id} ({value}) is more than its open "
                                  f"balance ({open_amount}).", f"{element}.Amount")
        applied += value if kind == "Invoice" else -value
    if applied > total:
        raise errors.business(f"The payment applies {applied}, more than its total {total}.", "TotalAmt")
    obj["TotalAmt"] = total
    obj["UnappliedAmt"] = total - applied
    if ref_value(obj.get("DepositToAccountRef")):
        account = _account(company, obj["DepositToAccountRef"], "DepositToAccountRef")
        if account["AccountType"] not in (at.BANK, "Other Current Asset"):
            raise errors.business("Payments must be deposited to a bank or other current asset account.",
                                  "DepositToAccountRef")
        check_account_currency(company, account, currency, "DepositToAccountRef")
    else:
        obj["DepositToAccountRef"] = {"value": undeposited_funds(company)["Id"]}
    if ref_value(obj.get("ARAccountRef")):
        ar = _account(company, obj["ARAccountRef"], "ARAccountRef")
        if ar["AccountType"] != at.AR:
            raise errors.business("ARAccountRef must be an Accounts Receivable account.", "ARAccountRef")
        check_account_currency(company, ar, currency, "ARAccountRef", exact=True)
    else:
        obj["ARAccountRef"] = {"value": default_ar(company, currency)["Id"]}


# --- Deposits, transfers, expenses ----------------------------------------------------------------

def _deposit(company: Company, entity: str, obj: dict, self_id: str | None, currency: str, rate: Decimal) -> None:
    target = _account(company, obj.get("DepositToAccountRef"), "DepositToAccountRef")
    if target["AccountType"] not in (at.BANK, "Other Current Asset") or target.get("AccountSubType") == \
            "UndepositedFunds":
        raise errors.business(f"You can only deposit to a bank or other current asset account, not "
                              f"{target['Name']!r} ({target['AccountType']}).", "DepositToAccountRef")
    check_account_currency(company, target, currency, "DepositToAccountRef")
    if account_currency(company, target) != currency:
        raise errors.business("A deposit must be in the currency of the account it goes to.", "CurrencyRef")
    total = ZERO
    lines = obj.get("Line") or []
    if not lines:
        raise errors.required_param("Line", entity)
    for n, line in enumerate(lines):
        element = f"Line[{n}]"
        line["Id"], line["LineNum"] = str(n + 1), n + 1
        value = amount(line.get("Amount"), f"{element}.Amount", currency)
        line["Amount"] = value
        links = line.get("LinkedTxn") or []
        if links:
            link = links[0]
            kind, txn_id = link.get("TxnType"), str(link.get("TxnId", ""))
            if kind not in ("Payment", "SalesReceipt"):
                raise errors.business(f"A deposit line can't link a {kind}.", f"{element}.LinkedTxn")
            source = company.get(kind, txn_id)
            if source is None:
                raise errors.invalid_reference(kind, txn_id, f"{element}.LinkedTxn")
            held_in = company.get("Account", ref_value(source.get("DepositToAccountRef")))
            if not held_in or held_in.get("AccountSubType") != "UndepositedFunds":
                raise errors.business(f"{kind} {txn_id} is not in Undeposited Funds.", f"{element}.LinkedTxn")
            others = {s for s in company.linked_from.get((kind, txn_id), set()) if s[0] == "Deposit"}
            if others - {("Deposit", self_id)}:
                raise errors.business(f"{kind} {txn_id} has already been deposited.", f"{element}.LinkedTxn")
            source_currency = (source.get("CurrencyRef") or {}).get("value", company.home_currency)
            if source_currency != currency:
                raise errors.business(f"{kind} {txn_id} is in {source_currency}; this deposit is in {currency}.",
                                      f"{element}.LinkedTxn")
            if value != Decimal(source["TotalAmt"]):
                raise errors.business(f"The deposit line for {kind} {txn_id} must be its full amount "
                                      f"{source['TotalAmt']}.", f"{element}.Amount")
        else:
            detail = line.get("DepositLineDetail") or {}
            line.setdefault("DetailType", "DepositLineDetail")
            account = _account(company, detail.get("AccountRef"), f"{element}.DepositLineDetail.AccountRef")
            check_account_currency(company, account, currency, f"{element}.DepositLineDetail.AccountRef",
                                   exact=account["AccountType"] in (at.AR, at.AP))
        total += value
    cash_back = obj.get("CashBack")
    if cash_back:
        value = amount(cash_back.get("Amount"), "CashBack.Amount", currency)
        cash_back["Amount"] = value
        _account(company, cash_back.get("AccountRef"), "CashBack.AccountRef")
        total -= value
    if total < 0:
        raise errors.business(f"The deposit total can't be negative ({total}).", "TotalAmt")
    obj["TotalAmt"] = total


def _transfer(company: Company, entity: str, obj: dict, self_id: str | None, currency: str, rate: Decimal) -> None:
    source = _account(company, obj.get("FromAccountRef"), "FromAccountRef")
    dest = _account(company, obj.get("ToAccountRef"), "ToAccountRef")
    if source["Id"] == dest["Id"]:
        raise errors.business("You can't transfer money to the same account it comes from.", "ToAccountRef")
    for account, element in ((source, "FromAccountRef"), (dest, "ToAccountRef")):
        if not at.is_balance_sheet(account) or account["AccountType"] in (at.AR, at.AP):
            raise errors.business(f"Transfers move money between bank, card, asset, liability or equity "
                                  f"accounts, not {account['Name']!r} ({account['AccountType']}).", element)
        check_account_currency(company, account, currency, element)
    value = amount(obj.get("Amount"), "Amount", currency)
    if value <= 0:
        raise errors.business("The transfer amount must be greater than zero.", "Amount")
    obj["Amount"] = value


def _purchase(company: Company, entity: str, obj: dict, self_id: str | None, currency: str, rate: Decimal) -> None:
    kind = obj.get("PaymentType")
    if kind not in ("Cash", "Check", "CreditCard"):
        raise errors.required_param("PaymentType", entity)
    paid_from = _account(company, obj.get("AccountRef"), "AccountRef")
    wanted = {at.CREDIT_CARD} if kind == "CreditCard" else {at.BANK, "Other Current Asset"}
    if paid_from["AccountType"] not in wanted:
        raise errors.business(f"A {kind} expense must be paid from a "
                              f"{'credit card' if kind == 'CreditCard' else 'bank'} account, not "
                              f"{paid_from['Name']!r} ({paid_from['AccountType']}).", "AccountRef")
    check_account_currency(company, paid_from, currency, "AccountRef")
    total = ZERO
    lines = obj.get("Line") or []
    if not lines:
        raise errors.required_param("Line", entity)
    for n, line in enumerate(lines):
        element = f"Line[{n}]"
        line["Id"], line["LineNum"] = str(n + 1), n + 1
        value = amount(line.get("Amount"), f"{element}.Amount", currency)
        line["Amount"] = value
        if line.get("DetailType") == "AccountBasedExpenseLineDetail":
            detail = line.get("AccountBasedExpenseLineDetail") or {}
            account = _account(company, detail.get("AccountRef"), f"{element}.AccountBasedExpenseLineDetail"
                               ".AccountRef")
            check_account_currency(company, account, currency, f"{element}.AccountRef")
        elif line.get("DetailType") == "ItemBasedExpenseLineDetail":
            detail = line.get("ItemBasedExpenseLineDetail") or {}
            if ref_value(detail.get("ItemRef")) is None:
                raise errors.required_param("ItemRef", entity)
        else:
            raise errors.invalid_property(f"DetailType {line.get('DetailType')!r} is not valid on a Purchase line",
                                          element)
        total += value
    tax = obj.get("TxnTaxDetail", {}).get("TotalTax")
    if tax:
        raise errors.business("Purchase tax is not supported by the sandbox; book it as a line.", "TxnTaxDetail")
    if total < 0:
        raise errors.business(f"The expense total can't be negative ({total}).", "TotalAmt")
    obj["TotalAmt"] = total


PREPARERS = {
    "JournalEntry": _journal, "Invoice": _sales, "SalesReceipt": _sales, "CreditMemo": _sales,
    "RefundReceipt": _sales, "Payment": _payment, "Deposit": _deposit, "Transfer": _transfer,
    "Purchase": _purchase,
}
