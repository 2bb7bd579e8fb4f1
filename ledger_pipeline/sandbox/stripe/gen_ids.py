"""Stripe-style ids for the generator, drawn from its seeded RNG: unique and deterministic.

Stripe ids of objects that belong to an account carry the last ten characters of the account id
(`acct_1032D82eZvKYlo2C` -> `ch_3MmlLr2eZvKYlo2C0snN0B15`); the generator imitates that, so ids from one
account look alike, as in real exports.
"""

from __future__ import annotations

import random
import string

ALPHANUMERIC = string.digits + string.ascii_uppercase + string.ascii_lowercase
_UPPER_DIGITS = string.ascii_uppercase + string.digits
_HEX = "0123456789abcdef"
DIGITS = string.digits


def _table(alphabet: str) -> bytes:
    """Byte -> character map for `bytes.translate` (the slight bias of 256 % len is fine for ids)."""
    return bytes(ord(alphabet[i % len(alphabet)]) for i in range(256))


_TABLES = {alphabet: _table(alphabet) for alphabet in (ALPHANUMERIC, _UPPER_DIGITS, _HEX, DIGITS)}

# The digit after the underscore: objects born from PaymentIntents carry a 3, most others a 1.
_LEAD = {"ch": "3", "pi": "3", "txn": "3", "re": "3", "py": "3", "pm": "1"}
# Ids without an account fragment: prefix + this many characters.
_PLAIN = {"cus": 14, "prod": 14, "req": 14}


_BUFFER = 1 << 16


class IdMaker:
    """Random characters come from buffers refilled from the seeded RNG (slicing a string is far cheaper
    than a call into `random` per id, which matters at 100k+ objects)."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._seen: set[str] = set()
        self._buffers: dict[str, str] = {}
        self._positions: dict[str, int] = {}
        self._alnum = ""          # the alphanumeric buffer, kept apart for the hot path
        self._pos = _BUFFER

    def _refill(self, alphabet: str) -> str:
        return self._rng.randbytes(_BUFFER).translate(_TABLES[alphabet]).decode("ascii")

    def chars(self, n: int, alphabet: str = ALPHANUMERIC) -> str:
        if alphabet is ALPHANUMERIC:
            pos = self._pos
            if pos + n > _BUFFER:
                self._alnum = self._refill(alphabet)
                pos = 0
            self._pos = pos + n
            return self._alnum[pos:pos + n]
        pos = self._positions.get(alphabet, _BUFFER)
        if pos + n > _BUFFER:
            self._buffers[alphabet] = self._refill(alphabet)
            pos = 0
        self._positions[alphabet] = pos + n
        return self._buffers[alphabet][pos:pos + n]

    def account_id(self) -> str:
        """`acct_1` + 15 characters; its last ten become the account's fragment in other ids."""
        return self._unique("acct_1", 15)

    def new(self, prefix: str, fragment: str) -> str:
        """`prefix_` + 24 characters, with the account fragment in the middle (or plain for cus_/prod_)."""
        plain = _PLAIN.get(prefix)
        if plain:
            return self._unique(prefix + "_", plain)
        lead = _LEAD.get(prefix, "1")
        seen = self._seen
        while True:
            tail = self.chars(13)
            ident = f"{prefix}_{lead}{tail[:4]}{fragment}{tail[4:]}"
            if ident not in seen:
                seen.add(ident)
                return ident

    def request(self) -> tuple[str, str]:
        """A request id and an idempotency key (uuid4-shaped) for an API-triggered event."""
        raw = self.chars(32, _HEX)
        key = f"{raw[:8]}-{raw[8:12]}-4{raw[13:16]}-{raw[16:20]}-{raw[20:]}"
        return self._unique("req_", 14), key

    def invoice_prefix(self) -> str:
        return self.chars(8, _UPPER_DIGITS)

    def fingerprint(self) -> str:
        return self.chars(16)

    def _unique(self, head: str, n: int) -> str:
        while True:
            ident = head + self.chars(n)
            if ident not in self._seen:
                self._seen.add(ident)
                return ident
