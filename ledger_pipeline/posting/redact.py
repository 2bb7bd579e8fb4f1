"""Keep secrets out of messages: anything we raise or log passes through `scrub` first."""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_MESSAGE = 600
_BEARER = re.compile(r"(?i)(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
_FORM = re.compile(r"(?i)((?:access|refresh|id)_token|client_secret)([\"']?\s*[:=]\s*[\"']?)[^\"'&\s,}]+")


def scrub(text: object, secrets: Iterable[str | None] = ()) -> str:
    """The text with known secret values, bearer/basic credentials and token fields masked, cut to a sane length."""
    out = str(text)
    for secret in secrets:
        if secret and len(secret) >= 6:
            out = out.replace(secret, "[redacted]")
    out = _BEARER.sub(r"\1 [redacted]", out)
    out = _FORM.sub(r"\1\2[redacted]", out)
    return out if len(out) <= MAX_MESSAGE else out[:MAX_MESSAGE] + "..."
