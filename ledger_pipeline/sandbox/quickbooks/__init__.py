"""A local QuickBooks Online: Intuit OAuth and the v3 accounting API, stateful, for the real
python-quickbooks and intuit-oauth clients.

    sandbox = QuickBooksSandbox(clock=SandboxClock(), faults=Faults())
    with sandbox.serve() as server:
        auth = AuthClient(cid, secret, redirect, environment=server.base_url + DISCOVERY_PATH)
        qb = QuickBooks(auth_client=auth, refresh_token=..., company_id=US_REALM, minorversion=75)
        qb.api_url_v3 = server.base_url + "/v3"
"""

from .company import ACCOUNT_IDS, MULTICURRENCY_REALM, US_REALM
from .sandbox import DEFAULT_CLIENTS, QuickBooksSandbox

DISCOVERY_PATH = "/.well-known/openid_configuration"

__all__ = ["QuickBooksSandbox", "US_REALM", "MULTICURRENCY_REALM", "ACCOUNT_IDS", "DEFAULT_CLIENTS",
           "DISCOVERY_PATH"]
