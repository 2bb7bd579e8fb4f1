"""The books as the loaders reach them: the configured QuickBooks / Xero resource aimed at one company.

The CLI goes through the very resources `defs/resources.py` builds for the pipeline, so tokens `connect`
stores are found where the loaders look (token store file, encryption key, target, company id).
"""

from __future__ import annotations

import os
from typing import Any

from ledger_pipeline.config import ProjectConfig
from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.token_store import TokenStore

TARGET_NAMES = {"quickbooks": "QuickBooks", "xero": "Xero"}
COMPANY_WORDS = {"quickbooks": "company", "xero": "organisation"}
COMPANY_FIELD = {"quickbooks": "realm_id", "xero": "tenant_id"}
CLI_ATTEMPTS = 3  # a person is waiting: fail in seconds, not after the pipeline's patient retries


class SetupError(RuntimeError):
    """Something the person running the command must fix first; the message says what."""


def missing_settings(config: ProjectConfig, target: str) -> list[str]:
    """What the environment lacks for `target`: the app's keys and the token encryption key."""
    settings = getattr(config, target)
    app = "the Intuit app's" if target == "quickbooks" else "the Xero app's"
    wanted = [(settings.client_id_env, f"{app} client id"), (settings.client_secret_env, f"{app} client secret")]
    if settings.token_key_env:
        wanted.append((settings.token_key_env, "the token encryption key (python -c \"from cryptography.fernet "
                                               "import Fernet; print(Fernet.generate_key().decode())\")"))
    return [f"{name} is not set: export {what} as {name}" for name, what in wanted if not os.environ.get(name)]


def configured_resource(config: ProjectConfig, target: str) -> Any:
    """The target's resource exactly as the pipeline configures it, its environment variables read."""
    problems = missing_settings(config, target)
    if problems:
        raise SetupError("; ".join(problems))
    from ledger_pipeline.defs.resources import defs

    resource = defs().resources[target].process_config_and_initialize()
    return resource.model_copy(update={"max_attempts": min(resource.max_attempts, CLI_ATTEMPTS)})


def company_client(config: ProjectConfig, target: str, company: str) -> Any:
    """Our client (QuickBooksClient / XeroClient) for one company, tokens from the token store."""
    resource = configured_resource(config, target)
    return resource.model_copy(update={COMPANY_FIELD[target]: company}).client()


def token_store(resource: Any) -> TokenStore:
    """The token store the resource's connections read (same file, same key)."""
    return TokenStore(resource.token_store_path, resource.token_encryption_key)


def company_name(target: str, client: Any) -> str:
    if target == "quickbooks":
        return str(client.company_info().get("CompanyName") or "")
    return str(getattr(client.organisation(), "name", "") or "")


def explain(error: TargetError) -> str:
    """A client's error for a person at the terminal: what happened, and the command that fixes a lost
    connection (the clients' own fix speaks of the token store, which is what `connect` fills)."""
    fix = error.fix
    if error.kind in (ErrorKind.NOT_CONNECTED, ErrorKind.TOKEN_EXPIRED, ErrorKind.FORBIDDEN):
        fix = (f"run `ledger-pipeline connect {error.target}` and approve this "
               f"{COMPANY_WORDS.get(error.target, 'company')}")
    return f"{error.message.rstrip('.')}. Fix: {fix}"
