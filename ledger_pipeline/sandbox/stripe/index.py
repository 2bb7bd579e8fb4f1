"""A list of (created, seq, id) kept in ascending order, so lists bisect on `created` and on cursors.

Stripe lists newest first, so readers walk it from the end. `seq` is the load order: it breaks ties in
`created` the same way every time, and together with `created` it locates a cursor without a scan.
"""

from __future__ import annotations

from bisect import bisect_left

Entry = tuple[int, int, str]


class SortedIndex:
    __slots__ = ("_entries", "_sorted")

    def __init__(self) -> None:
        self._entries: list[Entry] = []
        self._sorted = True

    def add(self, entry: Entry) -> None:
        # Appending and sorting once on the next read keeps bulk loads linear-ish (Timsort on runs).
        if self._entries and entry < self._entries[-1]:
            self._sorted = False
        self._entries.append(entry)

    def remove(self, entry: Entry) -> None:
        entries = self.entries
        position = bisect_left(entries, entry)
        if position < len(entries) and entries[position] == entry:
            del entries[position]

    @property
    def entries(self) -> list[Entry]:
        if not self._sorted:
            self._entries.sort()
            self._sorted = True
        return self._entries

    def __len__(self) -> int:
        return len(self._entries)


EMPTY = SortedIndex()
