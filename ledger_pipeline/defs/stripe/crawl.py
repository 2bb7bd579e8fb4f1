"""Fetch many Stripe pages at once: windows on `created`, split while they are big, paged in parallel.

A window is first asked for one page. If Stripe says there is more, the rest of the window (everything
created up to the oldest object on that page) is cut into sub-windows that are paged concurrently, each
with its own `starting_after` cursor. Objects on the boundary second may come twice; the caller dedupes.
All calls share the client's token bucket, so more threads never means more than the allowed rate.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from ledger_pipeline.defs.stripe.client import PAGE_SIZE, Answer, StripeApi


@dataclass(frozen=True)
class Fetch:
    """One request: a page of a list (optionally over a created window), or one object."""

    path: str
    object_type: str                       # what the answer holds (Stripe's `object`)
    origin: str                            # why we fetched it: list, relist, event, payout, lines, retrieve, ...
    params: tuple[tuple[str, Any], ...] = ()
    window: tuple[int, int] | None = None  # [start, end) on `created`
    parent_id: str | None = None
    is_list: bool = True
    split: bool = True                     # may cut the window into sub-windows
    cursor: str | None = None              # starting_after
    page_index: int = 0                    # page number within its chain, for `position`
    chain: tuple[Any, ...] = field(default=())  # which sub-window this page belongs to

    def query(self) -> dict[str, Any]:
        query = dict(self.params)
        if self.is_list:
            query["limit"] = PAGE_SIZE
            if self.window is not None:
                query["created"] = {"gte": self.window[0], "lt": self.window[1]}
            if self.cursor is not None:
                query["starting_after"] = self.cursor
        return query


def listing(path: str, object_type: str, origin: str, window: tuple[int, int] | None = None,
            parent_id: str | None = None, split: bool = True, **params: Any) -> Fetch:
    return Fetch(path=path, object_type=object_type, origin=origin, params=tuple(sorted(params.items())),
                 window=window, parent_id=parent_id, split=split and window is not None)


def retrieval(path: str, object_type: str, origin: str = "retrieve", **params: Any) -> Fetch:
    return Fetch(path=path, object_type=object_type, origin=origin, params=tuple(sorted(params.items())),
                 is_list=False, split=False)


def follow_ups(fetch: Fetch, answer: Answer, splits: int) -> list[Fetch]:
    """What to ask next after this page: the next page, or the rest of the window in sub-windows."""
    data = answer.data
    if not fetch.is_list or not data.get("has_more") or not data.get("data"):
        return []
    last = data["data"][-1]
    if fetch.split and fetch.page_index == 0 and fetch.window is not None and splits > 1:
        start, stop = fetch.window
        end = int(last.get("created", stop - 1)) + 1  # the oldest second seen, inclusive
        # As many sub-windows as the rest is worth: every one ends in a part-full page.
        pages_left = (end - start) / max(stop - end, 1)
        parts = min(splits, int(pages_left // 2))
        if parts > 1:
            return [replace(fetch, window=part, split=False, chain=(*fetch.chain, n))
                    for n, part in enumerate(cut(start, end, parts))]
    return [replace(fetch, cursor=last["id"], page_index=fetch.page_index + 1)]


def cut(start: int, end: int, parts: int) -> list[tuple[int, int]]:
    """[start, end) in at most `parts` contiguous pieces of whole seconds, newest first."""
    span = max(end - start, 1)
    parts = max(1, min(parts, span))
    edges = [start + span * n // parts for n in range(parts + 1)]
    pieces = [(edges[n], edges[n + 1]) for n in range(parts) if edges[n] < edges[n + 1]]
    return pieces[::-1]


def crawl(api: StripeApi, fetches: Iterable[Fetch], *, workers: int, splits: int) -> Iterator[tuple[Fetch, Answer]]:
    """Every page the fetches lead to, as they arrive (not in order). An error stops the crawl.

    Workers ask for a page's follow-ups themselves, so a slow consumer never leaves the wire idle.
    """
    answers: queue.Queue = queue.Queue()
    outstanding = 0  # submitted and not yet handed to the consumer
    lock = threading.Lock()
    stopping = threading.Event()
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="stripe")

    def submit(fetch: Fetch) -> None:
        nonlocal outstanding
        with lock:
            if stopping.is_set():
                return
            outstanding += 1
            pool.submit(work, fetch)

    def work(fetch: Fetch) -> None:
        try:
            answer = api.get(fetch.path, fetch.query(), expect_list=fetch.is_list)
            for nxt in follow_ups(fetch, answer, splits):
                submit(nxt)
            answers.put((fetch, answer, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            answers.put((fetch, None, exc))

    try:
        for fetch in fetches:
            submit(fetch)
        while True:
            with lock:
                if outstanding == 0:
                    break
            fetch, answer, error = answers.get()
            with lock:
                outstanding -= 1
            if error is not None:
                raise error
            yield fetch, answer
    finally:
        with lock:
            stopping.set()
        pool.shutdown(wait=True, cancel_futures=True)
