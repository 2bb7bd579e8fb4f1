"""`GET /v1/balance`: sums of balance transaction nets, available once `available_on` has passed."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from itertools import accumulate
from typing import Any

from .store import Account, Store


class Balances:
    def __init__(self, store: Store, default_currency: str = "usd"):
        self.store = store
        self.default_currency = default_currency
        self._version: tuple[int, ...] | None = None
        # (account, currency) -> (available_on ascending, running sum of net in that order)
        self._ledgers: dict[tuple[Account, str], tuple[list[int], list[int]]] = {}

    def balance(self, account: Account, now: float) -> dict[str, Any]:
        with self.store.lock:
            self._refresh()
            ledgers = {currency: ledger for (owner, currency), ledger in self._ledgers.items() if owner == account}
        available, pending = [], []
        for currency in sorted(ledgers) or [self.default_currency]:
            dates, running = ledgers.get(currency, ([], []))
            settled = bisect_right(dates, int(now))
            ready = running[settled - 1] if settled else 0
            total = running[-1] if running else 0
            available.append(_fund(ready, currency))
            pending.append(_fund(total - ready, currency))
        answer: dict[str, Any] = {"object": "balance", "available": available, "livemode": False,
                                  "pending": pending}
        if account is None:  # only a platform holds reserves for its connected accounts
            answer["connect_reserved"] = [{"amount": 0, "currency": fund["currency"]} for fund in available]
        return answer

    def _refresh(self) -> None:
        version = self.store.version("balance_transaction")
        if version == self._version:
            return
        rows: dict[tuple[Account, str], list[tuple[int, int]]] = defaultdict(list)
        for txn in self.store.of_type("balance_transaction"):
            rows[(txn.account, txn.obj.get("currency"))].append(
                (int(txn.obj.get("available_on") or 0), int(txn.obj.get("net") or 0)))
        self._ledgers = {}
        for key, items in rows.items():
            items.sort()
            self._ledgers[key] = ([on for on, _ in items], list(accumulate(net for _, net in items)))
        self._version = version


def _fund(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency, "source_types": {"card": amount}}
