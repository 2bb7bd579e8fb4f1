"""`connect quickbooks`: Intuit's sign-in through intuit-oauth's AuthClient, the tokens stored per realm.

The discovery document (`quickbooks.environment`, or the sandbox's under `quickbooks.base_url`) gives the
authorize and token endpoints; the company the user approves comes back as `realmId` on the callback.
"""

from __future__ import annotations

import argparse
import time

import requests
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError

from ledger_pipeline.cli.books import SetupError, configured_resource, token_store
from ledger_pipeline.cli.connect import Connected, sign_in
from ledger_pipeline.cli.oauth_callback import SignInError
from ledger_pipeline.config import ProjectConfig
from ledger_pipeline.targets.quickbooks.connection import token_set
from ledger_pipeline.targets.quickbooks.errors import TARGET


def connect(args: argparse.Namespace, config: ProjectConfig) -> Connected:
    resource = configured_resource(config, TARGET)
    clients: list[AuthClient] = []

    def authorization_url(redirect_uri: str, state: str) -> str:
        try:  # AuthClient reads the discovery document as it is built
            auth = AuthClient(resource.client_id, resource.client_secret, redirect_uri,
                              environment=resource.environment)
        except requests.RequestException:
            raise SetupError(f"cannot read Intuit's discovery document ({resource.environment}): check the network, "
                             "or quickbooks.base_url / quickbooks.environment in the configuration") from None
        clients.append(auth)
        return auth.get_authorization_url([Scopes.ACCOUNTING], state_token=state)

    answer, _ = sign_in(args, "QuickBooks", authorization_url)
    realm_id = answer.get("realmId", "")
    if not realm_id.isdigit():
        raise SignInError("Intuit's answer names no company (realmId): approve access to a QuickBooks company")
    auth = clients[-1]
    try:
        auth.get_bearer_token(answer["code"], realm_id=realm_id)
    except AuthClientError as exc:
        raise SignInError(f"Intuit refused the authorization code (HTTP {exc.status_code}, {_reason(exc)}): check "
                          f"{config.quickbooks.client_secret_env} and that the redirect URI is registered in the "
                          "app, then run the command again") from None
    except requests.RequestException:
        raise SignInError("cannot reach Intuit's token service: run the command again") from None
    store = token_store(resource)
    store.save(TARGET, realm_id, token_set(auth, realm_id, time.time()))
    return Connected(TARGET, realm_id, store.path)


def _reason(exc: AuthClientError) -> str:
    """Intuit's error code only: the body of a refusal holds no token, but keep to the one word anyway."""
    try:
        return str(exc.response.json().get("error") or "no reason given")
    except ValueError:
        return "no reason given"
