"""Object ids shaped like Stripe's: a type prefix, an underscore, random alphanumerics."""

from __future__ import annotations

import random
import string

_ALPHABET = string.ascii_letters + string.digits
_rng = random.SystemRandom()

# How many characters follow the prefix in the ids Stripe hands out today.
_LENGTHS = {"cus": 14, "prod": 14, "req": 14, "acct": 16, "price": 24, "evt": 24}


def new_id(prefix: str) -> str:
    length = _LENGTHS.get(prefix, 24)
    return f"{prefix}_" + "".join(_rng.choice(_ALPHABET) for _ in range(length))


def invoice_prefix() -> str:
    """Customers get an 8-character upper-case prefix for their invoice numbers."""
    return "".join(_rng.choice(string.ascii_uppercase + string.digits) for _ in range(8))
