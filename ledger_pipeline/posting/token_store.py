"""The durable token store: OAuth tokens for every target company, in one SQLite file outside the repo.

Why SQLite, not the warehouse or a JSON file:
- Tokens belong to a connection to a set of books, not to a tenant's data; warehouse files get copied
  around for analysis and must not carry secrets.
- Tenants' runs are separate processes. A DuckDB file takes one writing process at a time; SQLite lets
  many processes write with short locks, and `BEGIN IMMEDIATE` serialises a refresh across processes, so
  two runs never spend the same rotating refresh token.
- A commit is atomic: a crash mid-write never leaves half a token file behind.

The file is created 0600 in a 0700 folder (default `$XDG_STATE_HOME/ledger_pipeline/tokens.sqlite3`, or
`~/.local/state/...`; `LEDGER_TOKEN_STORE` overrides). The token set is stored as JSON, encrypted with
Fernet when a key is configured. Never a temp file.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger_pipeline.lib.sql import load_sql
from ledger_pipeline.posting.token_crypto import TokenCipher

log = logging.getLogger(__name__)
_SQL = "ledger_pipeline.posting"


def default_token_store_path() -> Path:
    override = os.environ.get("LEDGER_TOKEN_STORE")
    if override:
        return Path(override).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "ledger_pipeline" / "tokens.sqlite3"


@dataclass(frozen=True, repr=False)
class TokenSet:
    """An access/refresh token pair and when they expire (epoch seconds). `extra` keeps what the target's
    client wants back (Xero: scope, token_type, id_token). Its repr shows no token."""

    access_token: str | None
    refresh_token: str
    expires_at: float | None = None
    refresh_expires_at: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def expiring(self, within: float, now: float) -> bool:
        return self.access_token is None or (self.expires_at is not None and self.expires_at - within <= now)

    def secrets(self) -> tuple[str, ...]:
        values = [self.access_token, self.refresh_token, self.extra.get("id_token")]
        return tuple(v for v in values if isinstance(v, str) and v)

    def to_json(self) -> bytes:
        return json.dumps({"access_token": self.access_token, "refresh_token": self.refresh_token,
                           "expires_at": self.expires_at, "refresh_expires_at": self.refresh_expires_at,
                           "extra": dict(self.extra)}).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> "TokenSet":
        data = json.loads(raw.decode("utf-8"))
        return cls(data.get("access_token"), data["refresh_token"], data.get("expires_at"),
                   data.get("refresh_expires_at"), data.get("extra") or {})

    def __repr__(self) -> str:
        return f"TokenSet(expires_at={self.expires_at!r}, access_token=[redacted], refresh_token=[redacted])"


class TokenStore:
    def __init__(self, path: str | os.PathLike | None = None, encryption_key: str | None = None, *,
                 busy_timeout_seconds: float = 60.0):
        self.path = Path(path).expanduser() if path else default_token_store_path()
        self.cipher = TokenCipher(encryption_key)
        self.busy_timeout_seconds = busy_timeout_seconds
        self._ready = False

    # --- the file -----------------------------------------------------------------------------------
    def _prepare(self) -> None:
        if self._ready:
            return
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        os.chmod(self.path, 0o600)  # an older file with looser rights is tightened
        if _inside_git_work_tree(self.path):
            log.warning("the token store %s is inside a git work tree; keep it outside the repository",
                        self.path)
        with self._connection() as conn:
            conn.execute(load_sql(_SQL, "token_store_schema"))
        self._ready = True

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout_seconds, isolation_level=None)
        try:
            yield conn
        finally:
            conn.close()

    # --- reading and writing ----------------------------------------------------------------------
    def load(self, target: str, company_id: str) -> TokenSet | None:
        self._prepare()
        with self._connection() as conn:
            return self._load(conn, target, company_id)

    def save(self, target: str, company_id: str, tokens: TokenSet) -> None:
        self._prepare()
        with self._connection() as conn:
            self._save(conn, target, company_id, tokens)

    def delete(self, target: str, company_id: str) -> None:
        self._prepare()
        with self._connection() as conn:
            conn.execute(load_sql(_SQL, "token_delete"), {"target": target, "company_id": company_id})

    @contextmanager
    def exclusive(self, target: str, company_id: str) -> Iterator["LockedTokens"]:
        """A write lock on the whole store (BEGIN IMMEDIATE), across processes, for a refresh."""
        self._prepare()
        with self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield LockedTokens(self, conn, target, company_id)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _load(self, conn: sqlite3.Connection, target: str, company_id: str) -> TokenSet | None:
        row = conn.execute(load_sql(_SQL, "token_select"), {"target": target, "company_id": company_id}).fetchone()
        if row is None:
            return None
        payload, encrypted, _version = row
        return TokenSet.from_json(self.cipher.open(bytes(payload), bool(encrypted)))

    def _save(self, conn: sqlite3.Connection, target: str, company_id: str, tokens: TokenSet) -> None:
        conn.execute(load_sql(_SQL, "token_upsert"), {
            "target": target, "company_id": company_id, "payload": self.cipher.seal(tokens.to_json()),
            "encrypted": int(self.cipher.enabled), "access_expires_at": tokens.expires_at,
            "refresh_expires_at": tokens.refresh_expires_at, "now": time.time()})


@dataclass
class LockedTokens:
    store: TokenStore
    conn: sqlite3.Connection
    target: str
    company_id: str

    def load(self) -> TokenSet | None:
        return self.store._load(self.conn, self.target, self.company_id)

    def save(self, tokens: TokenSet) -> None:
        self.store._save(self.conn, self.target, self.company_id, tokens)


def _inside_git_work_tree(path: Path) -> bool:
    return any((parent / ".git").exists() for parent in path.resolve().parents)
