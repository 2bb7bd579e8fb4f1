"""The ledger of alerts already sent: each (alert, channel) goes out once, whatever retries follow."""

from __future__ import annotations

import time

import dagster as dg
from pydantic import Field

from ledger_pipeline.defs.automation.state_db import SQL, open_state
from ledger_pipeline.lib.sql import load_sql


class SentAlerts(dg.ConfigurableResource):
    """Alerts sent per channel, keyed by partition, subject and root run (a SQLite table)."""

    path: str = Field(description="The automation state file (SQLite).")

    def claim(self, alert_key: str, channel: str, run_id: str) -> bool:
        """Reserve the alert for the channel before sending; False when it was already sent."""
        with open_state(self.path) as conn, conn:
            return conn.execute(load_sql(SQL, "alert_claim"), (alert_key, channel, run_id, time.time())).rowcount == 1

    def release(self, alert_key: str, channel: str, run_id: str) -> None:
        """The send failed: let the next tick try again."""
        with open_state(self.path) as conn, conn:
            conn.execute(load_sql(SQL, "alert_release"), (alert_key, channel, run_id))
