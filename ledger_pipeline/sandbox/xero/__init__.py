"""A local Xero (Accounting API + Identity API) for the real xero-python client; see sandbox.py."""

from .organisation import GLOBAL_TENANT_ID, US_TENANT_ID, stable_id
from .sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, XeroSandbox
from .store import Books

__all__ = ["XeroSandbox", "Books", "US_TENANT_ID", "GLOBAL_TENANT_ID", "DEFAULT_CLIENT_ID",
           "DEFAULT_CLIENT_SECRET", "stable_id"]
