"""The Stripe event inbox: where webhook deliveries and polled events meet before they become runs.

Both routes write here; the events sensor drains it in arrival order past its cursor. An event id is
recorded once, so an event that arrives both ways (or is polled twice) leads to one run request.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import dagster as dg
from pydantic import Field

from ledger_pipeline.defs.automation.state_db import SQL, open_state
from ledger_pipeline.lib.sql import load_sql

KEEP_SECONDS = 30 * 86400  # Stripe keeps events (and retries webhooks) for less than this


@dataclass(frozen=True)
class InboxEvent:
    seq: int
    tenant: str
    event: dict[str, Any]


class StripeEventInbox(dg.ConfigurableResource):
    """Stripe events waiting to become ledger runs (a SQLite file shared with the webhook receiver)."""

    path: str = Field(description="The automation state file (SQLite).")

    def record(self, tenant: str, events: list[dict[str, Any]], received_by: str) -> int:
        """Add events of one tenant; returns how many were new (an already recorded id is ignored)."""
        now = time.time()
        rows = [(e["id"], tenant, e.get("type", ""), int(e.get("created") or 0), received_by, now,
                 json.dumps(e, separators=(",", ":"))) for e in events]
        with open_state(self.path) as conn, conn:
            before = conn.total_changes
            conn.executemany(load_sql(SQL, "inbox_record"), rows)
            return conn.total_changes - before

    def record_delivery(self, event_id: str, signed_at: int, tolerance_seconds: int) -> bool:
        """Remember a verified webhook delivery; False when this exact delivery was seen (a replay)."""
        with open_state(self.path) as conn, conn:
            conn.execute(load_sql(SQL, "delivery_forget"), (int(time.time()) - tolerance_seconds,))
            return conn.execute(load_sql(SQL, "delivery_record"), (event_id, signed_at)).rowcount == 1

    def pending(self, after_seq: int, limit: int = 1000) -> list[InboxEvent]:
        with open_state(self.path) as conn:
            rows = conn.execute(load_sql(SQL, "inbox_pending"), (after_seq, limit)).fetchall()
        return [InboxEvent(seq=seq, tenant=tenant, event=json.loads(payload)) for seq, tenant, payload in rows]

    def forget_drained(self, up_to_seq: int) -> None:
        with open_state(self.path) as conn, conn:
            conn.execute(load_sql(SQL, "inbox_forget"), (up_to_seq, time.time() - KEEP_SECONDS))
