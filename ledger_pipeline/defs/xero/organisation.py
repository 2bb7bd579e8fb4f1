"""One Xero organisation as the loader talks to it: the configured resource aimed at the tenant's organisation,
every HTTP attempt counted, objects per request as configured, and the day's call budget.

The shared limiter stops a call only when Xero's day is spent; `min_calls_left` is the loader's own floor:
posting stops there (`Budget`) and the calls under it stay for preflight and read-back, so a run that ran
out of budget still reads its books back.
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger_pipeline.config import project_config
from ledger_pipeline.posting import PostRecord, Remote, TargetError
from ledger_pipeline.posting.call_count import CallCount, count_attempts
from ledger_pipeline.targets.xero import XeroClient, XeroResource, XeroTarget


class BatchedTarget(XeroTarget):
    """Xero as a posting target, `batch_size` objects per request, requests counted."""

    def __init__(self, client: XeroClient, batch_size: int):
        super().__init__(client)
        self.max_batch = batch_size
        self.batches = 0

    def create_many(self, records: list[PostRecord], key: str) -> list[Remote | TargetError]:
        self.batches += 1
        return super().create_many(records, key)


class Budget:
    """Calls left today for posting: Xero's count (X-DayLimit-Remaining, less the calls since) above the floor."""

    def __init__(self, client: XeroClient, floor: int):
        self.client = client
        self.floor = floor

    def left(self) -> int:
        return self.client.calls_left_today() - self.floor

    def allows(self, calls: int) -> bool:
        return calls <= 0 or self.left() >= calls


@dataclass
class Organisation:
    tenant_id: str
    client: XeroClient
    target: BatchedTarget
    count: CallCount
    budget: Budget


def connect(xero: XeroResource, tenant_id: str, *, batch_size: int | None = None) -> Organisation:
    """The configured Xero resource aimed at `tenant_id` (the tenant's mapping names it)."""
    resource = xero.model_copy(update={"tenant_id": tenant_id, "min_calls_left": 0})
    client = resource.client()
    count = CallCount()
    count_attempts(client, count)
    target = BatchedTarget(client, batch_size or project_config().xero.batch_size)
    return Organisation(tenant_id, client, target, count, Budget(client, xero.min_calls_left))
