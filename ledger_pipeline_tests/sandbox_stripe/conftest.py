"""Shared fixtures: the hand-made seed served by a StripeSandbox on a loopback port, and real stripe clients."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
import stripe

from ledger_pipeline.sandbox.common import SandboxClock
from ledger_pipeline.sandbox.stripe import StripeSandbox

SEED_PATH = Path(__file__).resolve().parents[1] / "data" / "stripe_seed_small.json"
SCHEMAS_PATH = Path(__file__).resolve().parents[1] / "data" / "specs" / "stripe-schemas.json"
T0 = 1767225600            # 2026-01-01T00:00:00Z, the seed's first day
DAY = 86400
NOW = T0 + 20 * DAY        # the frozen "now" of most tests
KEY = "sk_test_sandbox"
CONNECTED = "acct_1TqConnected0001"
AS_CONNECTED = {"stripe_account": CONNECTED}


def make_client(base_url: str, key: str = KEY) -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": base_url}, max_network_retries=0)


def seed_objects(kind: str, account: str | None = None) -> list[dict[str, Any]]:
    """The seed's live objects of a type owned by `account` (None: the platform)."""
    seed = json.loads(SEED_PATH.read_text())
    found = []
    for obj in seed["objects"]:
        if obj["object"] != kind or obj.get("deleted"):
            continue
        owner = None if kind in ("application_fee", "account") else obj.get("account")
        if owner == account:
            found.append(obj)
    return found


def new_sandbox(**kwargs: Any) -> StripeSandbox:
    kwargs.setdefault("clock", SandboxClock(frozen_at=NOW))
    kwargs.setdefault("requests_per_second", 100_000)  # tests of the limit set their own
    return StripeSandbox(SEED_PATH, **kwargs)


class Served:
    """A sandbox, its server and a client, for one test or one module."""

    def __init__(self, sandbox: StripeSandbox):
        self.sandbox = sandbox
        self.server = sandbox.serve()
        self.base_url = self.server.base_url
        self.client = make_client(self.base_url)

    @property
    def v1(self):
        return self.client.v1


@pytest.fixture
def served() -> Iterator[Served]:
    """A fresh sandbox per test (for tests that write or move the clock)."""
    box = Served(new_sandbox())
    yield box
    box.server.stop()


@pytest.fixture(scope="module")
def reader() -> Iterator[Served]:
    """One sandbox per module, for tests that only read."""
    box = Served(new_sandbox())
    yield box
    box.server.stop()


@pytest.fixture(scope="session")
def schemas() -> dict[str, Any]:
    return json.loads(SCHEMAS_PATH.read_text())
