"""Valid access tokens for one target company: refresh before expiry and after a 401, rotation saved at once.

A refresh happens under a process lock and the store's cross-process write lock; inside, the store is
read again first, so if another thread or run already rotated the refresh token we take theirs instead
of spending the old one (both QuickBooks and Xero refuse a spent refresh token with invalid_grant).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.token_store import TokenSet, TokenStore

log = logging.getLogger(__name__)
Refresher = Callable[[TokenSet], TokenSet]

_locks: dict[tuple[str, str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(store: TokenStore, target: str, company_id: str) -> threading.Lock:
    key = (str(store.path), target, company_id)
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


class TokenManager:
    def __init__(self, store: TokenStore, target: str, company_id: str, refresher: Refresher, *,
                 margin_seconds: float = 300.0, clock: Callable[[], float] = time.time,
                 seed_refresh_token: str | None = None):
        self.store = store
        self.target = target
        self.company_id = company_id
        self._refresher = refresher
        self.margin_seconds = margin_seconds
        self._clock = clock
        self._seed = seed_refresh_token
        self._cached: TokenSet | None = None
        self.refreshes = 0

    def current(self) -> TokenSet:
        """Tokens whose access token is good for at least `margin_seconds` more (refreshing if needed)."""
        tokens = self._cached or self._load()
        if tokens.expiring(self.margin_seconds, self._clock()):
            tokens = self._refresh(tokens, force=False)
        self._cached = tokens
        return tokens

    def after_rejection(self, rejected: TokenSet | None) -> TokenSet:
        """The target answered 401 to `rejected`: refresh, unless another caller already has."""
        return self._refresh(rejected or self._cached or self._load(), force=True)

    def save_rotated(self, tokens: TokenSet) -> None:
        """A client refreshed on its own (xero-python does when it thinks the token expires): keep the result."""
        with _lock_for(self.store, self.target, self.company_id):
            self.store.save(self.target, self.company_id, tokens)
            self._cached = tokens

    def secrets(self) -> tuple[str, ...]:
        return self._cached.secrets() if self._cached else ()

    # --- internals ----------------------------------------------------------------------------------
    def _load(self) -> TokenSet:
        tokens = self.store.load(self.target, self.company_id)
        if tokens is None and self._seed:
            tokens = TokenSet(None, self._seed)  # first run: only a refresh token was provisioned
        if tokens is None:
            raise TargetError(self.target, ErrorKind.NOT_CONNECTED,
                              f"no tokens stored for {self.target} company {self.company_id} in {self.store.path}",
                              fix="connect the app to this company and store its tokens (TokenStore.save), or "
                                  "provide a refresh token through the resource's refresh_token setting")
        return tokens

    def _refresh(self, seen: TokenSet, *, force: bool) -> TokenSet:
        with _lock_for(self.store, self.target, self.company_id):
            with self.store.exclusive(self.target, self.company_id) as locked:
                latest = locked.load() or seen
                now = self._clock()
                fresh_enough = not latest.expiring(self.margin_seconds, now)
                if fresh_enough and (not force or latest.access_token != seen.access_token):
                    tokens = latest  # someone refreshed while we waited: use theirs
                else:
                    tokens = self._refresher(latest)
                    locked.save(tokens)  # the rotated refresh token is durable before anyone uses it
                    self.refreshes += 1
                    log.info("refreshed the %s access token for company %s (refresh token rotated: %s)",
                             self.target, self.company_id, tokens.refresh_token != latest.refresh_token)
            self._cached = tokens
            return tokens
