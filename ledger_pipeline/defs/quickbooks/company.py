"""One QuickBooks company as the loader talks to it: the configured resource aimed at the tenant's realm,
every HTTP attempt counted (for the objects-per-call figures), batch requests paced under Intuit's 40 a
minute per realm, objects per batch as configured."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ledger_pipeline.config import project_config
from ledger_pipeline.posting import LimitSettings, PostRecord, Remote, RateLimiter, TargetError, shared_limiter
from ledger_pipeline.posting.call_count import CallCount, count_attempts
from ledger_pipeline.targets.quickbooks import QuickBooksClient, QuickBooksResource, QuickBooksTarget


class PacedTarget(QuickBooksTarget):
    """QuickBooks as a posting target, with batch requests kept under the realm's batch ceiling."""

    def __init__(self, client: QuickBooksClient, batch_limiter: RateLimiter, batch_size: int):
        super().__init__(client)
        self.batch_limiter = batch_limiter
        self.max_batch = batch_size
        self.batches = 0
        self.batch_started: list[float] = []

    def create_many(self, records: list[PostRecord], key: str) -> list[Remote | TargetError]:
        with self.batch_limiter.slot():
            self.batches += 1
            self.batch_started.append(time.monotonic())
            return super().create_many(records, key)


@dataclass
class Company:
    realm_id: str
    client: QuickBooksClient
    target: PacedTarget
    count: CallCount


def connect(quickbooks: QuickBooksResource, realm_id: str, *, batch_size: int | None = None,
            batch_requests_per_minute: int | None = None) -> Company:
    """The configured QuickBooks resource aimed at `realm_id` (the tenant's mapping names it); batch settings
    from the project configuration unless given."""
    settings = project_config().quickbooks
    resource = quickbooks.model_copy(update={"realm_id": realm_id})
    client = resource.client()
    count = CallCount()
    count_attempts(client, count)
    batch_limiter = shared_limiter("quickbooks-batch", client.connection.api_base, realm_id, LimitSettings(
        per_minute=batch_requests_per_minute or settings.batch_requests_per_minute,
        concurrent=resource.max_concurrent, window_seconds=resource.rate_window_seconds))
    return Company(realm_id, client, PacedTarget(client, batch_limiter, batch_size or settings.batch_size), count)
