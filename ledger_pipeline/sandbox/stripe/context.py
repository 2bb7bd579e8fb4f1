"""What a handler knows about the request it serves: whose objects, when, and which request it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import shapes
from .store import Account, Record, Store


@dataclass
class Context:
    store: Store
    account: Account          # None: the platform itself; else the connected account in Stripe-Account
    now: int                  # the sandbox clock, whole seconds like Stripe's timestamps
    request_id: str
    idempotency_key: str | None = None
    api_key: str = ""

    def owned(self, object_id: str, kind: str) -> Record | None:
        """The record if it is of this type and this account's (deleted ones included)."""
        record = self.store.get(object_id)
        if record is None or record.type != kind or record.account != self.account:
            return None
        return record

    def resolve(self, object_id: str) -> dict[str, Any] | None:
        """An object `expand[]` may show: the account's own; a platform may also follow ids into its
        connected accounts (an application fee's charge lives on the connected account)."""
        record = self.store.get(object_id)
        if record is None or (self.account is not None and record.account != self.account):
            return None
        return shapes.deleted(record.obj) if record.deleted else record.obj
