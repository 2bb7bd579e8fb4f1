"""Per-transaction documents (journal.entries in per_transaction mode, with journal.documents) -> the
QuickBooks object each one is, built from its lines so the books post exactly the journal's amounts.

    document_type    QuickBooks      head line (the money)            the other lines
    sales_receipt    SalesReceipt    clearing debit: DepositToAccount  credits: item lines; tax: TotalTax;
                                                                       discounts (debit): discount lines
    invoice          Invoice         receivables debit: ARAccountRef   as a sales receipt
    credit_note      CreditMemo      receivables credit: ARAccountRef  debits: item lines; tax: TotalTax
                     RefundReceipt   (refunded in cash) clearing credit
    refund_receipt   RefundReceipt   clearing credit: DepositToAccount debits: item lines; tax: TotalTax
    payment          Payment         clearing debit: TotalAmt          receivables credit, applied to the
                                                                       invoice it pays (LinkedTxn)
    expense          Purchase (Cash) clearing credit: AccountRef       debits: account-based expense lines
    transfer         Transfer        credit: FromAccount, debit: ToAccount (two lines)
    journal_entry    JournalEntry    any lines (customer named on A/R lines)

Item lines book to their item's income account, so each takes an item that books to the line's account
(master_data). A document whose lines do not fit its QuickBooks shape is posted as a JournalEntry with the
same lines instead: the books get the journal's amounts either way. Customers and vendors come from
master_data; the Stripe number of an invoice or credit note goes in PrivateNote (DocNumber holds our marker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from quickbooks.objects.base import LinkedTxn
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.detailline import (AccountBasedExpenseLine, AccountBasedExpenseLineDetail, DiscountLine,
                                           DiscountLineDetail, SalesItemLine, SalesItemLineDetail)
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.journalentry import Entity
from quickbooks.objects.payment import Payment, PaymentLine
from quickbooks.objects.purchase import Purchase
from quickbooks.objects.refundreceipt import RefundReceipt
from quickbooks.objects.salesreceipt import SalesReceipt
from quickbooks.objects.tax import TxnTaxDetail
from quickbooks.objects.transfer import Transfer

from ledger_pipeline.defs.quickbooks.adapter import journal_entry, private_note, ref
from ledger_pipeline.defs.quickbooks.entries import Entry, Line
from ledger_pipeline.money import to_decimal
from ledger_pipeline.targets.quickbooks.target import marker_field

MONEY = frozenset({"clearing", "bank", "topups", "reserves"})   # balance-sheet lines money moves through
SALES_FORMS = frozenset({"SalesReceipt", "Invoice", "CreditMemo", "RefundReceipt"})


class NotReady(ValueError):
    """The document needs something that is not in the books yet (the invoice a payment pays)."""


@dataclass(frozen=True)
class Shape:
    """How a document goes to QuickBooks: its object, its head line, its item lines."""

    kind: str
    head: Line | None = None
    items: tuple[Line, ...] = ()           # lines that become item lines (each needs an item for its account)
    reason: str = ""                      # why it became a JournalEntry, when it did


@dataclass
class Links:
    """What the documents point at in the books: parties and items (master data), other documents."""

    party: Callable[[Entry], str | None]                  # customer / vendor Id of a document
    item: Callable[[Line], str]                           # item Id booking to the line's account
    posted: Callable[[str], tuple[str, str] | None]       # entry key -> (kind, Id) live in the books
    party_kind: Callable[[Entry], str | None] = field(default=lambda entry: None)


def shape(entry: Entry) -> Shape:
    """The QuickBooks object a document becomes; a JournalEntry when its lines do not fit that object."""
    try:
        return _shape(entry)
    except _Misfit as misfit:
        return Shape("JournalEntry", reason=str(misfit))


class _Misfit(ValueError):
    pass


def _shape(entry: Entry) -> Shape:
    lines = list(entry.lines)
    doc = entry.document_type
    if doc == "journal_entry":
        return Shape("JournalEntry")
    if doc == "transfer":
        if len(lines) != 2 or {line.role for line in lines} - MONEY or sorted(l.amount > 0 for l in lines) != [
                False, True]:
            raise _Misfit("a transfer moves money between two balance-sheet accounts")
        return Shape("Transfer")
    if doc == "payment":
        head = _head(lines, "clearing", debit=True)
        if any(line.role != "receivables" or line.amount > 0 for line in lines if line is not head):
            raise _Misfit("a payment settles receivables only")
        return Shape("Payment", head)
    if doc == "expense":
        head = _head(lines, "clearing", debit=False)
        if any(line.amount < 0 for line in lines if line is not head):
            raise _Misfit("an expense's lines other than what paid it must be debits")
        return Shape("Purchase", head)
    if doc in ("sales_receipt", "invoice"):
        head = _head(lines, "clearing" if doc == "sales_receipt" else "receivables", debit=True)
        return Shape("SalesReceipt" if doc == "sales_receipt" else "Invoice", head, _items(lines, head, credit=True))
    if doc in ("refund_receipt", "credit_note"):
        cash = doc == "refund_receipt" or any(l.role == "clearing" for l in lines)
        head = _head(lines, "clearing" if cash else "receivables", debit=False)
        return Shape("RefundReceipt" if cash else "CreditMemo", head, _items(lines, head, credit=False))
    raise _Misfit(f"no QuickBooks document for {doc!r}")


def _head(lines: list[Line], role: str, *, debit: bool) -> Line:
    heads = [line for line in lines if line.role == role and (line.amount > 0) == debit]
    if len(heads) != 1:
        raise _Misfit(f"expected one {role} {'debit' if debit else 'credit'}, found {len(heads)}")
    return heads[0]


def _items(lines: list[Line], head: Line, *, credit: bool) -> tuple[Line, ...]:
    """Lines that become item lines: the sales side (credits on a sale, debits on a refund). Tax goes to
    TotalTax; a discount (the other side) to a discount line, on sales only."""
    items = []
    for line in lines:
        if line is head or line.role == "tax":
            if line.role == "tax" and (line.amount < 0) != credit:
                raise _Misfit("tax on the wrong side for this document")
            continue
        if (line.amount < 0) == credit:
            items.append(line)
        elif not (credit and line.role == "discounts"):
            raise _Misfit(f"a {line.role} line on the wrong side for this document")
    if not items:
        raise _Misfit("no sales lines")
    return tuple(items)


# --- building ---------------------------------------------------------------------------------------
def build(entry: Entry, how: Shape, doc_number: str, home_currency: str, links: Links):
    """The python-quickbooks object for the document, with our marker in its marker field."""
    if how.kind == "JournalEntry":
        obj = journal_entry(entry, doc_number, home_currency)
        party = links.party(entry) if any(l.role == "receivables" for l in entry.lines) else None
        for line, source in zip(obj.Line, entry.lines):
            if party and source.role == "receivables":
                line.JournalEntryLineDetail.Entity = _entity(party, "Customer")
        return obj
    builder = {"SalesReceipt": _sales, "Invoice": _sales, "CreditMemo": _sales, "RefundReceipt": _sales,
               "Payment": _payment, "Purchase": _purchase, "Transfer": _transfer}[how.kind]
    obj = builder(entry, how, links)
    obj.TxnDate = entry.entry_date.isoformat()
    currency = entry.books_currency.upper()
    if currency != home_currency.upper():
        obj.CurrencyRef = ref(currency)
        obj.ExchangeRate = None  # QuickBooks' own rate for the day
    note = private_note(entry) if not entry.number else f"{entry.number}: {private_note(entry)}"
    if marker_field(how.kind) == "DocNumber":
        obj.DocNumber, obj.PrivateNote = doc_number, note
    else:
        obj.PrivateNote = f"{doc_number} {note}"
    return obj


def _amount(line: Line, currency: str) -> Decimal:
    return to_decimal(abs(line.amount), currency)


def _sales(entry: Entry, how: Shape, links: Links):
    obj = {"SalesReceipt": SalesReceipt, "Invoice": Invoice, "CreditMemo": CreditMemo,
           "RefundReceipt": RefundReceipt}[how.kind]()
    currency = entry.books_currency
    party = links.party(entry)
    if party:
        obj.CustomerRef = ref(party)
    head = how.head
    assert head is not None
    if how.kind in ("Invoice", "CreditMemo"):
        obj.ARAccountRef = ref(head.account_ref, head.account_name)
        if how.kind == "Invoice" and entry.due_date:
            obj.DueDate = entry.due_date.isoformat()
    else:
        obj.DepositToAccountRef = ref(head.account_ref, head.account_name)
    obj.Line = []
    tax = 0
    for line in entry.lines:
        if line is head:
            continue
        if line.role == "tax":
            tax += abs(line.amount)
        elif line in how.items:
            obj.Line.append(_item_line(line, currency, entry.currency, links.item(line)))
        else:
            obj.Line.append(_discount_line(line, currency))
    if tax:
        obj.TxnTaxDetail = TxnTaxDetail()
        obj.TxnTaxDetail.TotalTax = to_decimal(tax, currency)  # the journal's tax, as Stripe charged it
    return obj


def _item_line(line: Line, currency: str, paid_in: str, item_id: str) -> SalesItemLine:
    out = SalesItemLine()
    out.Amount = _amount(line, currency)
    out.Description = line.description
    detail = out.SalesItemLineDetail = SalesItemLineDetail()
    detail.ItemRef = ref(item_id)
    detail.Qty = detail.UnitPrice = None
    if line.quantity and line.unit_amount is not None and currency == paid_in \
            and line.quantity * line.unit_amount == abs(line.amount):
        detail.Qty, detail.UnitPrice = line.quantity, to_decimal(line.unit_amount, currency)
    if line.tax_code_ref:
        detail.TaxCodeRef = ref(line.tax_code_ref)
    if line.tracking_ref and (line.tracking_dimension or "").lower() == "class":
        detail.ClassRef = ref(line.tracking_ref, line.tracking_name)
    return out


def _discount_line(line: Line, currency: str) -> DiscountLine:
    out = DiscountLine()
    out.Amount = _amount(line, currency)
    out.Description = line.description
    detail = out.DiscountLineDetail = DiscountLineDetail()
    detail.PercentBased = False
    detail.DiscountPercent = None
    detail.DiscountAccountRef = ref(line.account_ref, line.account_name)
    return out


def _payment(entry: Entry, how: Shape, links: Links) -> Payment:
    head = how.head
    assert head is not None
    currency = entry.books_currency
    party = links.party(entry)
    if not party:
        raise NotReady(f"{entry.entry_key}: a payment needs its customer in QuickBooks")
    obj = Payment()
    obj.CustomerRef = ref(party)
    obj.TotalAmt = _amount(head, currency)
    obj.DepositToAccountRef = ref(head.account_ref, head.account_name)
    receivables = [line for line in entry.lines if line is not head]
    obj.ARAccountRef = ref(receivables[0].account_ref, receivables[0].account_name)
    applied = sum(-line.amount for line in receivables if line.role_key == "applied")
    obj.Line = []
    if applied:
        invoice = links.posted(entry.applies_to or "")
        if invoice is None or invoice[0] != "Invoice":
            raise NotReady(f"{entry.entry_key}: the invoice it pays ({entry.applies_to}) is not in QuickBooks yet; "
                           "post that invoice's day first, then re-run this one")
        line = PaymentLine()
        line.Amount = to_decimal(applied, currency)
        link = LinkedTxn()
        link.TxnId, link.TxnType = invoice[1], "Invoice"
        link.TxnLineId = None
        line.LinkedTxn = [link]
        obj.Line.append(line)
    return obj


def _purchase(entry: Entry, how: Shape, links: Links) -> Purchase:
    head = how.head
    assert head is not None
    obj = Purchase()
    obj.PaymentType = "Cash"
    obj.AccountRef = ref(head.account_ref, head.account_name)
    party = links.party(entry)
    if party:
        obj.EntityRef = ref(party)
        obj.EntityRef.type = links.party_kind(entry) or "Vendor"
    obj.Line = []
    for line in entry.lines:
        if line is head:
            continue
        out = AccountBasedExpenseLine()
        out.Amount = _amount(line, entry.books_currency)
        out.Description = line.description
        detail = out.AccountBasedExpenseLineDetail = AccountBasedExpenseLineDetail()
        detail.AccountRef = ref(line.account_ref, line.account_name)
        if line.tracking_ref and (line.tracking_dimension or "").lower() == "class":
            detail.ClassRef = ref(line.tracking_ref, line.tracking_name)
        obj.Line.append(out)
    return obj


def _transfer(entry: Entry, how: Shape, links: Links) -> Transfer:
    out_of = next(line for line in entry.lines if line.amount < 0)
    into = next(line for line in entry.lines if line.amount > 0)
    obj = Transfer()
    obj.FromAccountRef = ref(out_of.account_ref, out_of.account_name)
    obj.ToAccountRef = ref(into.account_ref, into.account_name)
    obj.Amount = _amount(into, entry.books_currency)
    return obj


def _entity(party: str, kind: str) -> Entity:
    entity = Entity()
    entity.Type = kind
    entity.EntityRef = ref(party)
    return entity
