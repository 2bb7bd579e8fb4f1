"""The books behind the API: every posted transaction leaves debit/credit postings on accounts.

Amounts are signed Decimals (debit positive, credit negative). `home` is in the company's home currency
(what reports show); `native` is in the account's own currency (what Account.CurrentBalance shows).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Iterator

ZERO = Decimal("0")


@dataclass(frozen=True)
class Posting:
    account_id: str
    home: Decimal
    native: Decimal
    date: str
    txn_type: str
    txn_id: str
    doc_number: str = ""
    name: str = ""
    memo: str = ""
    line: int = 0

    def to_json(self) -> dict:
        return {"AccountId": self.account_id, "Home": self.home, "Native": self.native, "Date": self.date,
                "TxnType": self.txn_type, "TxnId": self.txn_id, "DocNumber": self.doc_number,
                "Name": self.name, "Memo": self.memo, "Line": self.line}


class Ledger:
    """Postings by transaction, plus running balances per account (kept in step on every write)."""

    def __init__(self) -> None:
        self._by_txn: dict[tuple[str, str], list[Posting]] = {}
        self.home_balance: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self.native_balance: dict[str, Decimal] = defaultdict(lambda: ZERO)
        self._lock = threading.RLock()

    def set(self, txn_type: str, txn_id: str, postings: Iterable[Posting]) -> None:
        postings = list(postings)
        with self._lock:
            for old in self._by_txn.pop((txn_type, txn_id), []):
                self.home_balance[old.account_id] -= old.home
                self.native_balance[old.account_id] -= old.native
            if postings:
                self._by_txn[(txn_type, txn_id)] = postings
            for new in postings:
                self.home_balance[new.account_id] += new.home
                self.native_balance[new.account_id] += new.native

    def remove(self, txn_type: str, txn_id: str) -> None:
        self.set(txn_type, txn_id, [])

    def of(self, txn_type: str, txn_id: str) -> list[Posting]:
        with self._lock:
            return list(self._by_txn.get((txn_type, txn_id), []))

    def uses_account(self, account_id: str) -> bool:
        with self._lock:
            return any(p.account_id == account_id for ps in self._by_txn.values() for p in ps)

    def postings(self, start: str | None = None, end: str | None = None) -> Iterator[Posting]:
        """All postings dated within [start, end] (ISO dates compare as strings)."""
        with self._lock:
            snapshot = [p for ps in self._by_txn.values() for p in ps]
        for posting in snapshot:
            if start and posting.date < start:
                continue
            if end and posting.date > end:
                continue
            yield posting

    def clear(self) -> None:
        with self._lock:
            self._by_txn.clear()
            self.home_balance.clear()
            self.native_balance.clear()
