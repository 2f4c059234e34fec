"""Pacing for the live path: how often a view redraws (``Throttle``), how long to wait before trying
Redis again (``backoff``), and the order of stream ids (``newer``)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.1  # a view flushes at most ~10 times a second

# After a lost connection the hub tries again after 0.25 s, doubling up to this cap: an outage of
# any length costs a few log lines a minute and no CPU, and a Redis that is back is found within it.
BACKOFF_FIRST = 0.25
BACKOFF_CAP = 5.0


def backoff(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt`` (0, 1, 2, …): 0.25, 0.5, 1, 2, 4, 5, 5, …"""
    return float(min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** min(attempt, 16)))


def newer(entry_id: str, than: str) -> bool:
    """Whether stream id ``entry_id`` comes after ``than`` ("-" is before everything)."""
    if than == "-":
        return True
    a, _, b = entry_id.partition("-")
    c, _, d = than.partition("-")
    return (int(a), int(b or 0)) > (int(c), int(d or 0))


class Throttle:
    """Run ``flush`` soon after the first change, then at most once per interval."""

    def __init__(self, flush: Callable[[], None], interval: float = FLUSH_INTERVAL) -> None:
        self._flush = flush
        self._interval = interval
        self._last = 0.0
        self._scheduled = False

    def poke(self) -> None:
        if self._scheduled:
            return
        self._scheduled = True
        delay = max(0.0, self._last + self._interval - time.monotonic())
        asyncio.get_running_loop().call_later(delay, self._run)

    def _run(self) -> None:
        self._scheduled = False
        self._last = time.monotonic()
        try:
            self._flush()
        except Exception:
            log.exception("view flush failed")
