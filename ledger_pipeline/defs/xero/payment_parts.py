"""A payment Xero cannot hold in one object, as the entries it posts as: its parts.

Xero refuses manual journals on receivables (and on bank accounts), so a payment that also leaves the
customer credit, or differs from the invoice's booked receivable by an exchange difference, is cut into
balanced parts, each a record of its own keyed `<entry key>#<part>` (entries.part_key) with the entry's
record hash, so one change of the entry moves them all:

    part                      lines                                  Xero object (documents.shape)
    the entry's own key       money line's share + receivables       Payment of what it applies
                              applied
    #overpayment              share + receivables unapplied          BankTransaction RECEIVE-OVERPAYMENT on the
                                                                     clearing account, the customer's credit
    #exchange_difference      share + exchange_gain_loss             spend (loss) or receive (gain) money on the
                                                                     clearing account, coded to that account

The shares add up to the money line, so the clearing account moves by what Stripe paid, receivables by
what the invoice is settled and credited, and the gain/loss account by the journal's own line.

Why not a Payment with CurrencyRate, letting Xero book the realised gain to its system account: the
documents are in the books currency, normally the organisation's base one, and Xero uses CurrencyRate only
on invoices in another currency (OpenAPI: Payment.CurrencyRate), so it would book no difference and leave
the invoice owing it. Posted as its own object, the difference lands on the account the journal names and
`trial_balance_matches` compares like with like, whatever that account is.
"""

from __future__ import annotations

from dataclasses import replace

from ledger_pipeline.defs.quickbooks.entries import Entry, Line, entry_key_of, part_key
from ledger_pipeline.defs.xero.documents import EXCHANGE_ROLE

OVERPAYMENT, EXCHANGE_DIFFERENCE = "overpayment", "exchange_difference"
PARTS = (OVERPAYMENT, EXCHANGE_DIFFERENCE)


def split(entry: Entry) -> list[Entry]:
    """The entries the entry posts as: itself, or its parts (split_lines), the entry's own key first."""
    pieces = split_lines(entry.entry_key, entry.lines)
    if len(pieces) == 1:
        return [entry]
    return [replace(entry, entry_key=key, lines=lines, books_total=sum(line.books_debit for line in lines))
            for key, lines in pieces]


def split_lines(entry_key: str, lines: tuple[Line, ...] | list[Line]) -> list[tuple[str, tuple[Line, ...]]]:
    """(record key, lines) of each part of a payment with one money line that applies some of it to its invoice
    and also leaves credit or an exchange difference; anything else is one part, the entry."""
    applied: list[Line] = []
    unapplied: list[Line] = []
    differences: list[Line] = []
    money: list[Line] = []
    for line in lines:
        if line.role == "receivables" and line.role_key in ("applied", "unapplied"):
            (applied if line.role_key == "applied" else unapplied).append(line)
        else:
            (differences if line.role == EXCHANGE_ROLE else money).append(line)
    if len(money) != 1 or not applied or not (unapplied or differences):
        return [(entry_key, tuple(lines))]
    out = []
    for key, own in ((entry_key, applied), (part_key(entry_key, OVERPAYMENT), unapplied),
                     (part_key(entry_key, EXCHANGE_DIFFERENCE), differences)):
        share = -sum(line.amount for line in own)  # what the money line gives this part (debit positive)
        if share:
            head = replace(money[0], entry_key=key, books_debit=max(share, 0), books_credit=max(-share, 0))
            out.append((key, (head, *(replace(line, entry_key=key) for line in own))))
    return out


def record_lines(record_key: str, lines: tuple[Line, ...] | list[Line]) -> tuple[Line, ...]:
    """The lines the record posts, from its entry's lines (a part's share, or all of them)."""
    return dict(split_lines(entry_key_of(record_key), lines)).get(record_key, ())
