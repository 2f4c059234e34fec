"""Small helpers the test layers share."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from rooms.events import Event
from rooms.store import RoomStore

DIMENSIONS = ["positionering-intern", "proces-gemeente", "proces-bewoners", "bestuur-politiek", "communicatie"]


async def eventually(check: Callable[[], Awaitable[bool] | bool], within: float = 5.0, what: str = "") -> None:
    """Poll ``check`` until it holds; fail with ``what`` after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what or check}")
        await asyncio.sleep(0.02)


async def all_events(store: RoomStore, code: str) -> list[Event]:
    return [e for _, e in await store.events(code)]


def wait_until(check: Callable[[], bool], within: float = 15.0, what: str = "") -> None:
    """``eventually`` for synchronous tests (the browser tests)."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what or check}")
        time.sleep(0.1)
