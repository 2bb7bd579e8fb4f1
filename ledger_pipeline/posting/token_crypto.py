"""Encryption of stored tokens: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) when a key is set.

Make a key with:  python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
and hand it to the pipeline through an environment variable (the resources read `LEDGER_TOKEN_KEY`).
"""

from __future__ import annotations


class TokenCipherError(RuntimeError):
    """The key is malformed, or the stored tokens were written with another key."""


class TokenCipher:
    def __init__(self, key: str | None):
        self._fernet = None
        if key:
            try:
                from cryptography.fernet import Fernet
            except ImportError as exc:  # pragma: no cover - cryptography ships with the lock file
                raise TokenCipherError("a token encryption key is set but the `cryptography` package is "
                                       "missing: install it, or unset the key") from exc
            try:
                self._fernet = Fernet(key.encode("ascii"))
            except (ValueError, UnicodeEncodeError):
                raise TokenCipherError("the token encryption key is not a Fernet key (44 url-safe base64 "
                                       "characters); generate one with cryptography.fernet.Fernet.generate_key()"
                                       ) from None

    @property
    def enabled(self) -> bool:
        return self._fernet is not None

    def seal(self, plain: bytes) -> bytes:
        return self._fernet.encrypt(plain) if self._fernet else plain

    def open(self, stored: bytes, encrypted: bool) -> bytes:
        if not encrypted:
            return stored
        if self._fernet is None:
            raise TokenCipherError("the stored tokens are encrypted but no token encryption key is set: "
                                   "set the key they were written with (LEDGER_TOKEN_KEY)")
        from cryptography.fernet import InvalidToken
        try:
            return self._fernet.decrypt(stored)
        except InvalidToken:
            raise TokenCipherError("the stored tokens were encrypted with another key: set the key they were "
                                   "written with, or reconnect the app to store new tokens") from None
