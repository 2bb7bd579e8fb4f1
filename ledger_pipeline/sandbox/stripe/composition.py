"""Which balance transactions each automatic payout paid out (what `?payout=po_...` lists).

A seed may state a payout's composition. Otherwise each balance transaction that was available when an
automatic payout was created (`available_on <= payout.created`), in the same account and currency and not
already paid out, goes into the next automatic payout. A payout's own `type=payout` transaction is part of
its composition, as Stripe lists it under `?payout=` too.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

from .index import Entry
from .store import Store

_DEPENDS_ON = ("balance_transaction", "payout", "payout_composition")


class Compositions:
    def __init__(self, store: Store):
        self.store = store
        self._version: tuple[int, ...] | None = None
        self._by_payout: dict[str, list[Entry]] = {}

    def entries(self, payout_id: str) -> list[Entry]:
        """The payout's transactions as index entries, oldest first (empty for an unknown payout)."""
        with self.store.lock:
            version = self.store.version(*_DEPENDS_ON)
            if version != self._version:
                self._by_payout = self._compute()
                self._version = version
            return self._by_payout.get(payout_id, [])

    def _compute(self) -> dict[str, list[Entry]]:
        store = self.store
        members: dict[str, list[str]] = {po: list(txns) for po, txns in store.explicit_composition.items()}
        taken = {txn for txns in members.values() for txn in txns}

        # Automatic payouts without a stated composition, per (account, currency), in created order.
        open_payouts: dict[tuple, list[tuple[int, int, str]]] = defaultdict(list)
        for payout in store.of_type("payout"):
            own_txn = payout.obj.get("balance_transaction")
            own_txn = own_txn.get("id") if isinstance(own_txn, dict) else own_txn
            if payout.obj.get("automatic"):
                txns = members.setdefault(payout.obj["id"], [])
                if own_txn and own_txn not in txns:
                    txns.append(own_txn)
            if own_txn:
                taken.add(own_txn)
            if payout.obj.get("automatic") and payout.obj["id"] not in store.explicit_composition:
                key = (payout.account, payout.obj.get("currency"))
                open_payouts[key].append((int(payout.obj.get("created") or 0), payout.seq, payout.obj["id"]))
        created_lists = {}
        for key, payouts in open_payouts.items():
            payouts.sort()
            created_lists[key] = [created for created, _, _ in payouts]

        for txn in store.of_type("balance_transaction"):
            obj = txn.obj
            if obj["id"] in taken or obj.get("type") == "payout":
                continue
            key = (txn.account, obj.get("currency"))
            created = created_lists.get(key)
            if not created:
                continue
            position = bisect_left(created, int(obj.get("available_on") or 0))
            if position < len(created):
                members[open_payouts[key][position][2]].append(obj["id"])

        by_payout: dict[str, list[Entry]] = {}
        for payout_id, txn_ids in members.items():
            records = (store.get(txn_id) for txn_id in txn_ids)
            by_payout[payout_id] = sorted(r.entry for r in records if r is not None and not r.deleted)
        return by_payout
