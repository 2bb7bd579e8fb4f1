"""Per-transaction documents (journal.entries in per_transaction mode, with journal.documents) -> the Xero
object each one is, built from its lines so the books post exactly the journal's amounts.

    document_type   Xero object                   head line (the money)            line items (the other lines)
    sales_receipt   BankTransaction RECEIVE       Stripe Clearing debit            credits +, debits - (discounts)
    invoice         Invoice ACCREC, AUTHORISED    receivables debit (Xero's A/R)   as a sales receipt
    credit_note     CreditNote ACCRECCREDIT       receivables credit               debits +; allocated to its invoice
                    BankTransaction SPEND         (refunded in cash) clearing credit
    refund_receipt  BankTransaction SPEND         clearing credit                  debits +, credits -
    expense         BankTransaction SPEND         clearing credit (contact Stripe) debits + (the fees), credits -
    payment         Payment                       clearing debit: Account          receivables credit -> its Invoice
                    + BankTransaction RECEIVE-OVERPAYMENT   what the invoice no longer owed  (parts:
                    + BankTransaction SPEND/RECEIVE         the exchange difference          payment_parts.py)
    transfer        BankTransfer                  credit: FromBankAccount, debit: ToBankAccount
    journal_entry   BankTransaction on its one bank line; otherwise a ManualJournal

Why bank transactions: a charge paid without an invoice is Xero's "receive money" on the Stripe Clearing
bank account, what Xero's own Stripe feed writes and what an accountant reconciles against Stripe: one
object holding the journal's lines, where an invoice and a payment would be two requests and a receivable
that never existed. Xero refuses manual journals on bank accounts ("You can't post a manual journal to a
bank account in Xero", Xero help), so any other money in or out of Stripe Clearing is receive/spend money
too. A document whose lines do not fit its Xero shape takes the next that does (transfer, bank
transaction, manual journal) and says why: the books get the journal's amounts either way.

Tax: Xero books tax from each line's TaxType, so every tax line of the journal is spread over the lines
with its tax code as their TaxAmount (the journal's amounts as Stripe charged them, never Xero's own
arithmetic), LineAmountTypes Exclusive; documents without tax are NoTax. Discounts stay lines of their own
on the discounts account: DiscountAmount would net them into the sales account.
Amounts: Decimal from minor units (money.py). Xero keeps two decimals, so a three-decimal currency's
amount whose last digit is not 0 cannot be posted exactly: NotPostable says so, nothing is rounded.
InvoiceNumber / CreditNoteNumber: Stripe's number, what the customer was sent. Xero requires it unique
among sales invoices; Stripe's numbers are unique per account (prefix + sequence); a clash is refused by
Xero and recorded with its message, never renumbered. Without a number Xero numbers it (INV-0001).
Markers (kinds.py): Reference; the end of the Narration on a ManualJournal.

A payment that also leaves credit or an exchange difference posts as its parts (payment_parts.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from xero_python.accounting.models import (Account, Allocation, BankTransaction, BankTransfer, Contact, CreditNote,
                                           CurrencyCode, Invoice, LineAmountTypes, LineItem, LineItemTracking,
                                           Payment)

from ledger_pipeline.defs.quickbooks.entries import Entry, Line
from ledger_pipeline.defs.xero import adapter
from ledger_pipeline.money import exponent, to_decimal

BANK_TRANSACTION, BANK_TRANSFER, CREDIT_NOTE = "BankTransactions", "BankTransfers", "CreditNotes"
INVOICE, MANUAL_JOURNAL, PAYMENT = "Invoices", "ManualJournals", "Payments"
CONTACT_KINDS = frozenset({BANK_TRANSACTION, CREDIT_NOTE, INVOICE})  # Xero refuses these without a contact
BANK_ROLES = frozenset({"clearing", "bank", "topups"})  # bank-type accounts, when the chart is not known
NO_TAX = "NONE"           # Xero's "no tax" rate, on the untaxed lines of a taxed document
CENT = Decimal("0.01")    # Xero keeps every amount to two decimals
EXCHANGE_ROLE = "exchange_gain_loss"     # a payment's exchange difference (payment_parts.py)


class NotReady(ValueError):
    """The document needs something that is not in the books yet (its contact, the invoice a payment pays)."""


class NotPostable(NotReady):
    """Xero cannot hold the document as the journal has it (fils it cannot keep, a manual journal in another
    currency than the base one): a run will not change that, the mapping or a person must. Recorded as failed,
    like NotReady."""


@dataclass(frozen=True)
class Shape:
    """How a document goes to Xero: its collection, its head line, its line items and their tax."""

    kind: str
    head: Line | None = None
    items: tuple[Line, ...] = ()           # the line items that name an item (master data must have it)
    reason: str = ""                       # why it is not its document type's own object, when it is not
    lines: tuple[Line, ...] = ()           # every line that becomes a line item
    taxes: tuple[tuple[int, int, str | None], ...] = ()  # (line_no, tax in minor units, tax code) per share
    overpayment: bool = False              # a RECEIVE-OVERPAYMENT: `lines` are the customer's credit

    @property
    def needs_contact(self) -> bool:
        return self.kind in CONTACT_KINDS


@dataclass
class Links:
    """What the documents point at in the books: contacts and items (master data), other documents."""

    party: Callable[[Entry], str | None]                  # ContactID of the document's contact
    item: Callable[[Line], str | None]                    # ItemCode for the line (None: no item)
    posted: Callable[[str], tuple[str, str] | None]       # entry key -> (kind, id) live in the books
    party_kind: Callable[[Entry], str | None] = field(default=lambda entry: None)  # QuickBooks' twin; unused
    currency_rate: Callable[[Entry], Decimal | None] = field(default=lambda entry: None)  # None: Xero's rate


def bank_account_codes(accounts: list[Any]) -> frozenset[str]:
    """The codes of the organisation's bank accounts (`XeroClient.accounts()`), for `shape`."""
    return frozenset(str(a.code) for a in accounts if a.code and str(getattr(a.type, "value", a.type)) == "BANK")


# --- shaping ----------------------------------------------------------------------------------------
class _Misfit(ValueError):
    pass


def shape(entry: Entry, bank_accounts: Collection[str] | None = None) -> Shape:
    """The Xero object a document becomes. `bank_accounts`: the codes of the organisation's bank accounts
    (default: the clearing, bank and top-up lines are the bank ones)."""
    is_bank = _bank_test(bank_accounts)
    lines = list(entry.lines)
    try:
        return _shape(entry, lines, is_bank)
    except _Misfit as misfit:
        fitted = _first_fit(entry, lines, is_bank)
        return fitted if entry.document_type == "journal_entry" else replace(fitted, reason=str(misfit))


def _bank_test(bank_accounts: Collection[str] | None) -> Callable[[Line], bool]:
    if bank_accounts is None:
        return lambda line: line.role in BANK_ROLES
    codes = frozenset(bank_accounts)
    return lambda line: line.account_ref in codes


def _shape(entry: Entry, lines: list[Line], is_bank: Callable[[Line], bool]) -> Shape:
    doc = entry.document_type
    if doc == "transfer":
        return _transfer(entry, lines, is_bank)
    if doc == "payment":
        return _payment(entry, lines, is_bank)
    if doc == "invoice" or (doc == "credit_note" and not any(is_bank(line) for line in lines)):
        kind, debit = (INVOICE, True) if doc == "invoice" else (CREDIT_NOTE, False)
        head = _one([l for l in lines if l.role == "receivables" and (l.amount > 0) == debit],
                    f"receivables {'debit' if debit else 'credit'}")
        rest = [line for line in lines if line is not head]
        if any(is_bank(line) or line.role == "receivables" for line in rest):
            raise _Misfit(f"a {doc.replace('_', ' ')} moves receivables only")
        return Shape(kind, head, **_line_items(entry, rest, head))
    if doc in ("sales_receipt", "credit_note", "refund_receipt", "expense", "journal_entry"):
        return _bank_transaction(entry, lines, is_bank)
    raise _Misfit(f"no Xero document for {doc!r}")


def _first_fit(entry: Entry, lines: list[Line], is_bank: Callable[[Line], bool]) -> Shape:
    for attempt in (_transfer, _bank_transaction):
        try:
            return attempt(entry, lines, is_bank)
        except _Misfit:
            continue
    return Shape(MANUAL_JOURNAL)


def _one(lines: list[Line], what: str) -> Line:
    if len(lines) != 1:
        raise _Misfit(f"expected one {what}, found {len(lines)}")
    return lines[0]


def _transfer(entry: Entry, lines: list[Line], is_bank: Callable[[Line], bool]) -> Shape:
    if len(lines) != 2 or not all(is_bank(line) for line in lines) or lines[0].amount != -lines[1].amount:
        raise _Misfit("a transfer moves money from one bank account to another")
    return Shape(BANK_TRANSFER)


def _payment(entry: Entry, lines: list[Line], is_bank: Callable[[Line], bool]) -> Shape:
    """A payment, or one of the parts payment_parts.split takes out of it."""
    rest = [line for line in lines if not is_bank(line)]
    if rest and all(line.role == EXCHANGE_ROLE for line in rest):  # the exchange difference: spend/receive money
        return _bank_transaction(entry, lines, is_bank)
    head = _one([line for line in lines if is_bank(line) and line.amount > 0], "bank debit")
    rest = [line for line in lines if line is not head]
    if rest and all(line.role == "receivables" and line.role_key == "unapplied" and line.amount < 0 for line in rest):
        return Shape(BANK_TRANSACTION, head, lines=tuple(rest), overpayment=True)
    if any(line.role != "receivables" or line.role_key != "applied" or line.amount > 0 for line in rest):
        raise _Misfit("a Xero payment settles its invoice only (payment_parts.split takes its unapplied credit and "
                      "exchange difference apart, when it has one bank line and applies some of it)")
    return Shape(PAYMENT, head)


def _bank_transaction(entry: Entry, lines: list[Line], is_bank: Callable[[Line], bool]) -> Shape:
    head = _one([line for line in lines if is_bank(line)], "bank-account line")
    rest = [line for line in lines if line is not head]
    if any(line.role == "receivables" for line in rest):
        raise _Misfit("Xero keeps receivables on invoices: receive/spend money cannot post to them")
    return Shape(BANK_TRANSACTION, head, **_line_items(entry, rest, head))


def _line_items(entry: Entry, rest: list[Line], head: Line) -> dict[str, tuple]:
    """The line items (every line but the tax) and each tax line spread over the lines carrying its code,
    in proportion to them; amounts oriented so the document's own side is positive. Money paid out names no
    item: those would have to be items Xero buys."""
    sign = -1 if head.amount > 0 else 1
    line_items = tuple(line for line in rest if line.role != "tax")
    if not line_items:
        raise _Misfit("nothing to put on its line items")
    step = 10 ** max(exponent(entry.books_currency) - 2, 0)  # whole cents where the currency has finer units
    taxes: list[tuple[int, int, str | None]] = []
    for tax in (line for line in rest if line.role == "tax"):
        amount = sign * tax.amount
        if amount <= 0:
            raise _Misfit("tax on the wrong side for this document")
        same_side = [line for line in line_items if sign * line.amount > 0]
        carriers = [line for line in same_side if line.tax_code_ref == tax.tax_code_ref] or same_side
        if not carriers:
            raise _Misfit("no line to carry its tax")
        for line, part in zip(carriers, spread(amount, [sign * line.amount for line in carriers], step)):
            taxes.append((line.line_no, part, tax.tax_code_ref))
    sales = head.amount > 0 or head.role == "receivables"  # money in, or a sales document
    named = tuple(line for line in line_items if line.item_ref) if sales else ()
    return {"lines": line_items, "items": named, "taxes": tuple(taxes)}


def spread(total: int, weights: list[int], step: int = 1) -> list[int]:
    """`total` in proportion to `weights`, in multiples of `step` (largest remainders first); what no step
    can hold goes to the heaviest weight."""
    units, left = divmod(total, step)
    whole = sum(weights)
    shares = [units * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda n: (-(units * weights[n] % whole), n))
    for n in order[:units - sum(shares)]:
        shares[n] += 1
    out = [share * step for share in shares]
    out[max(range(len(weights)), key=lambda n: (weights[n], -n))] += left
    return out


# --- building ---------------------------------------------------------------------------------------
def build(entry: Entry, how: Shape, marker: str, home_currency: str, links: Links) -> Any:
    """The xero-python object for the document, with our marker where its kind keeps it."""
    if how.kind == MANUAL_JOURNAL:
        try:
            return adapter.manual_journal(entry, marker, home_currency)
        except adapter.NotInBaseCurrency as refused:
            raise NotPostable(str(refused)) from refused
    obj = {BANK_TRANSACTION: _bank_transaction_object, INVOICE: _sales_document, CREDIT_NOTE: _sales_document,
           PAYMENT: _payment_object, BANK_TRANSFER: _bank_transfer}[how.kind](entry, how, links)
    obj.date, obj.reference = entry.entry_date, marker
    if _foreign(entry, home_currency) and how.kind != BANK_TRANSFER:  # a transfer's rate is Xero's to say
        if how.kind != PAYMENT:  # a payment is in its invoice's currency
            obj.currency_code = CurrencyCode(entry.books_currency.upper())
        obj.currency_rate = links.currency_rate(entry)
    return obj


def allocation(entry: Entry, how: Shape, links: Links) -> Allocation | None:
    """The credit note's allocation to the invoice it credits, when that invoice is in Xero: posted after the
    credit note (PUT /CreditNotes/{id}/Allocations). None when there is nothing to allocate to."""
    if how.kind != CREDIT_NOTE or how.head is None or not entry.applies_to:
        return None
    invoice = links.posted(entry.applies_to)
    if invoice is None or invoice[0] != INVOICE:
        return None
    return Allocation(invoice=Invoice(invoice_id=invoice[1]), date=entry.entry_date,
                      amount=_money(entry, -how.head.amount))


def _foreign(entry: Entry, home_currency: str) -> bool:
    return entry.books_currency.upper() != home_currency.upper()


def _money(entry: Entry, minor_units: int) -> Decimal:
    value = to_decimal(minor_units, entry.books_currency)
    if value != value.quantize(CENT):
        raise NotPostable(f"{entry.entry_key}: {value} {entry.books_currency.upper()} has more decimals than Xero "
                          "keeps (two); post this document by hand, or book the currency rounded in the journal")
    return value


def _contact(entry: Entry, how: Shape, links: Links) -> Contact:
    party = links.party(entry)
    if not party:
        raise NotReady(f"{entry.entry_key}: Xero needs a contact on {how.kind} and this one's is not in Xero "
                       "(see the master data failures)")
    return Contact(contact_id=party)


def _line_item_objects(entry: Entry, how: Shape, links: Links) -> list[LineItem]:
    assert how.head is not None
    sign = -1 if how.head.amount > 0 else 1
    carried: dict[int, int] = defaultdict(int)
    codes: dict[int, str | None] = {}
    for line_no, part, code in how.taxes:
        carried[line_no] += part
        codes.setdefault(line_no, code)
    out, named = [], {line.line_no for line in how.items}
    for n, line in enumerate(how.lines):
        amount = sign * line.amount
        out.append(item := LineItem(description=_describe(line, entry if n == 0 else None),
                                    account_code=line.account_ref, quantity=Decimal(1),
                                    unit_amount=_money(entry, amount), line_amount=_money(entry, amount),
                                    tracking=_tracking(line)))
        if line.quantity and line.unit_amount is not None and entry.books_currency == entry.currency \
                and line.quantity * line.unit_amount == amount:
            item.quantity, item.unit_amount = Decimal(line.quantity), _money(entry, line.unit_amount)
        if how.taxes:
            item.tax_type = line.tax_code_ref or codes.get(line.line_no) or NO_TAX
            item.tax_amount = _money(entry, carried[line.line_no])
        elif line.tax_code_ref:
            item.tax_type = line.tax_code_ref
        if line.line_no in named:
            item.item_code = links.item(line)
    return out


def _line_amount_types(how: Shape) -> LineAmountTypes:
    return LineAmountTypes.EXCLUSIVE if how.taxes else LineAmountTypes.NOTAX


def _bank_transaction_object(entry: Entry, how: Shape, links: Links) -> BankTransaction:
    assert how.head is not None
    if how.overpayment:  # Xero books it to receivables itself: one line, its amount, no account
        credit = _money(entry, -sum(line.amount for line in how.lines))
        return BankTransaction(type="RECEIVE-OVERPAYMENT", contact=_contact(entry, how, links),
                               bank_account=Account(code=how.head.account_ref), status="AUTHORISED",
                               line_amount_types=LineAmountTypes.NOTAX,
                               line_items=[LineItem(description=_describe(how.lines[0], entry), line_amount=credit)])
    return BankTransaction(type="RECEIVE" if how.head.amount > 0 else "SPEND", contact=_contact(entry, how, links),
                           bank_account=Account(code=how.head.account_ref), status="AUTHORISED",
                           line_amount_types=_line_amount_types(how), line_items=_line_item_objects(entry, how, links))


def _sales_document(entry: Entry, how: Shape, links: Links) -> Invoice | CreditNote:
    lines = _line_item_objects(entry, how, links)
    common = {"contact": _contact(entry, how, links), "status": "AUTHORISED", "line_items": lines,
              "line_amount_types": _line_amount_types(how)}
    if how.kind == INVOICE:
        return Invoice(type="ACCREC", invoice_number=entry.number, due_date=entry.due_date or entry.entry_date,
                       **common)
    return CreditNote(type="ACCRECCREDIT", credit_note_number=entry.number, **common)


def _payment_object(entry: Entry, how: Shape, links: Links) -> Payment:
    assert how.head is not None
    invoice = links.posted(entry.applies_to or "")
    if invoice is None or invoice[0] != INVOICE:
        raise NotReady(f"{entry.entry_key}: the invoice it pays ({entry.applies_to}) is not in Xero yet; "
                       "post that invoice's day first, then re-run this one")
    return Payment(invoice=Invoice(invoice_id=invoice[1]), account=Account(code=how.head.account_ref),
                   amount=_money(entry, how.head.amount))


def _bank_transfer(entry: Entry, how: Shape, links: Links) -> BankTransfer:
    out_of = next(line for line in entry.lines if line.amount < 0)
    into = next(line for line in entry.lines if line.amount > 0)
    return BankTransfer(from_bank_account=Account(code=out_of.account_ref),
                        to_bank_account=Account(code=into.account_ref), amount=_money(entry, into.amount))


def _describe(line: Line, entry: Entry | None) -> str:
    """The line's own words; the first line item also says which Stripe object it was (the memo)."""
    text = line.description or (entry.memo if entry else "")
    if entry is not None and entry.memo and entry.memo not in text:
        text = f"{text} ({entry.memo})" if text else entry.memo
    return text[:adapter.DESCRIPTION_LIMIT]


def _tracking(line: Line) -> list[LineItemTracking] | None:
    """The line's option in its Xero tracking category, as the manual journals name it (adapter.tracking)."""
    category = adapter.tracking(line)
    if category is None:
        return None
    return [LineItemTracking(name=category.name, option=category.option,
                             tracking_option_id=category.tracking_option_id)]
