"""Xero: our thin client on xero-python, and its posting target."""

from ledger_pipeline.targets.xero.client import XeroClient
from ledger_pipeline.targets.xero.connection import XeroConnection
from ledger_pipeline.targets.xero.errors import classify
from ledger_pipeline.targets.xero.kinds import KINDS, Kind
from ledger_pipeline.targets.xero.preflight import preflight
from ledger_pipeline.targets.xero.resource import XeroResource
from ledger_pipeline.targets.xero.target import XeroTarget

__all__ = ["XeroClient", "XeroConnection", "classify", "KINDS", "Kind", "preflight", "XeroResource", "XeroTarget"]
