"""Idempotency keys and markers, derived (never random) so a re-run computes the same ones.

- The idempotency key of an intent comes from (target, company, record key, action, content hash,
  generation). The generation moves on only after the target refused a request for good, because both
  targets answer a repeated key with the first answer, refusals included.
- A batch's key comes from the keys of the intents inside it.
- The marker names the record inside the books (QuickBooks DocNumber or PrivateNote, Xero Reference,
  Narration or ContactNumber), so a lost answer can be found again. It depends on the record key only,
  is at most 19 characters (QuickBooks' DocNumber takes 21) and reads as `LP-` + 16 hex digits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

QBO_REQUEST_ID_MAX = 50        # Intuit: requestid at most 50 characters
QBO_BATCH_REQUEST_ID_MAX = 36  # Intuit: a batch's requestid at most 36
XERO_IDEMPOTENCY_KEY_MAX = 128  # Xero: Idempotency-Key at most 128
MARKER_PREFIX = "LP-"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def idempotency_key(target: str, company_id: str, record_key: str, action: str, content_hash: str,
                    generation: int, max_length: int) -> str:
    return ("lp-" + _digest(target, company_id, record_key, action, content_hash, str(generation)))[:max_length]


def batch_key(intent_keys: Iterable[str], max_length: int) -> str:
    return ("lpb-" + _digest(*sorted(intent_keys)))[:max_length]


def marker_for(record_key: str) -> str:
    return MARKER_PREFIX + _digest(record_key)[:16].upper()
