"""QuickBooks Online: our thin client on python-quickbooks + intuit-oauth, and its posting target."""

from ledger_pipeline.targets.quickbooks.batch import BatchItem
from ledger_pipeline.targets.quickbooks.client import QuickBooksClient
from ledger_pipeline.targets.quickbooks.connection import QuickBooksConnection
from ledger_pipeline.targets.quickbooks.errors import classify
from ledger_pipeline.targets.quickbooks.preflight import preflight
from ledger_pipeline.targets.quickbooks.resource import QuickBooksResource
from ledger_pipeline.targets.quickbooks.target import QuickBooksTarget, marker_field

__all__ = ["BatchItem", "QuickBooksClient", "QuickBooksConnection", "classify", "preflight", "QuickBooksResource",
           "QuickBooksTarget", "marker_field"]
