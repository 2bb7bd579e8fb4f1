"""What a resource handler gets for one API request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from .store import Books


@dataclass
class Ctx:
    books: Books
    now_ms: int                       # sandbox clock, for UpdatedDateUTC
    method: str
    query: dict[str, str]             # query parameters, keys lower-cased (Xero's are case-insensitive)
    body: Any = None
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def today(self) -> date:
        """Xero defaults a missing document date to today in the organisation; the sandbox uses UTC."""
        return datetime.fromtimestamp(self.now_ms / 1000, tz=timezone.utc).date()

    @property
    def unitdp4(self) -> bool:
        return self.query.get("unitdp") == "4"

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter; xero-python writes Python's `True`/`False`."""
        value = self.query.get(name.lower())
        if value is None:
            return default
        return value.strip().lower() in ("true", "1", "yes")
