"""The demo's Xero: the sandbox in-process, the ordinary configuration pointed at it, and its tokens seeded
into the demo's throwaway token store for every organisation the mapping files name (as `connect` would
after a user's consent)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ledger_pipeline.config import ProjectConfig


@dataclass
class DemoXero:
    server: object
    sandbox: object
    folder: Path | None = None                              # the token store's folder, when this made one
    organisations: list[str] = field(default_factory=list)  # tenant ids with tokens stored

    def stop(self) -> None:
        self.server.stop()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_xero(config: ProjectConfig, sandbox=None) -> DemoXero:
    from cryptography.fernet import Fernet

    from ledger_pipeline.cli.demo_books import mapped_companies
    from ledger_pipeline.posting import TokenSet, TokenStore
    from ledger_pipeline.sandbox.xero import XeroSandbox

    sandbox = sandbox or XeroSandbox()
    server = sandbox.serve(port=0)
    xero = DemoXero(server, sandbox)
    settings = config.xero
    client_id, client_secret = next(iter(sandbox.clients.items()))
    os.environ["LEDGER_XERO_BASE"] = server.base_url
    os.environ[settings.client_id_env] = client_id
    os.environ[settings.client_secret_env] = client_secret
    if not settings.token_store and not os.environ.get("LEDGER_TOKEN_STORE"):  # never the user's own store
        xero.folder = Path(tempfile.mkdtemp(prefix="ledger-demo-xero-"))
        os.environ["LEDGER_TOKEN_STORE"] = str(xero.folder / "tokens.sqlite3")
    key = os.environ.setdefault(settings.token_key_env, Fernet.generate_key().decode()) \
        if settings.token_key_env else None
    store = TokenStore(settings.token_store or os.environ["LEDGER_TOKEN_STORE"], key)
    for tenant in mapped_companies(config, "xero"):
        if tenant.lower() not in sandbox.organisations:
            continue
        issued = sandbox.issue_tokens(tenant)
        store.save("xero", tenant, TokenSet(issued["access_token"], issued["refresh_token"],
                                            time.time() + issued["expires_in"], None,
                                            {"scope": issued["scope"], "token_type": issued["token_type"],
                                             "expires_in": issued["expires_in"], "id_token": issued.get("id_token")}))
        xero.organisations.append(tenant)
    return xero
