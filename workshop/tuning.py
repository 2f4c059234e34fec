"""Process-wide speed-ups for NiceGUI, measured with the load harness (docs/benchmarks.md).

NiceGUI asks ``inspect.signature`` whether a handler takes arguments every time it wires one up:
three times for every element it creates (its props, classes and style each get a change handler)
and again on every event a page sends. Building a phone page made ~300 such calls; under a burst
of joins they were 15 % of the server's CPU (py-spy). A function's signature does not change, so
the answer is kept per function (weakly, so handlers of deleted pages still go).
"""

from __future__ import annotations

import asyncio
import gc
import time
import types
import weakref
from collections.abc import Callable
from typing import Any

import engineio.packet
import orjson
import socketio
import socketio.packet
from nicegui import helpers, outbox

_original = helpers.expects_arguments
_functions: weakref.WeakKeyDictionary[Callable[..., Any], bool] = weakref.WeakKeyDictionary()
_methods: weakref.WeakKeyDictionary[Callable[..., Any], bool] = weakref.WeakKeyDictionary()


def expects_arguments(func: Callable[..., Any]) -> bool:
    """``nicegui.helpers.expects_arguments``, remembered per function (bound methods per class function)."""
    if isinstance(func, types.MethodType):
        cache, key = _methods, func.__func__  # a bound method's signature drops ``self``: its own cache
    elif isinstance(func, types.FunctionType):
        cache, key = _functions, func
    else:
        return _original(func)
    try:
        return cache[key]
    except KeyError:
        answer = cache[key] = _original(func)
        return answer


# -- socket.io's binary check --------------------------------------------------------------------
#
# Before sending, python-socketio walks every message to see if it holds bytes (then it is sent as
# a binary packet). The walk is Python, without a shortcut, over every element dict of every update:
# ~70 µs a message, 5 % of the server's CPU with 300 phones (cProfile). orjson serializes no bytes,
# so when it takes a message the message holds none; anything it refuses gets socket.io's own walk.

_socketio_is_binary = socketio.packet.Packet.data_is_binary


def data_is_binary(data: object) -> bool:
    """``socketio.packet.Packet.data_is_binary``, answered by orjson (in C) where it can."""
    try:
        orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return bool(_socketio_is_binary(data))
    return False


# -- one message to one page ------------------------------------------------------------------------
#
# Every update NiceGUI sends goes to one page (its socket.io room is the client id), yet
# python-socketio's manager sends it in a task of its own and waits for that task with
# ``asyncio.wait``; and each page's outbox waits for its next update with ``asyncio.wait_for``,
# which on Python 3.11 wraps the wait in one more task, per update and once a second per idle page.
# A placement makes a few such messages. Here one recipient is sent to directly, and the outbox
# waits with ``asyncio.timeout`` (no task): the same messages, in the same order (issue 19).

_manager_emit = socketio.AsyncManager.emit


async def emit(self: socketio.AsyncManager, event: str, data: Any, namespace: str, room: Any = None,
               skip_sid: Any = None, callback: Any = None, to: Any = None, **kwargs: Any) -> None:
    """``socketio.AsyncManager.emit``; a message to one page without a callback is sent without a task."""
    room = to or room
    if callback is not None or skip_sid is not None or not isinstance(room, str) or namespace not in self.rooms:
        return await _manager_emit(self, event, data, namespace, room=room, skip_sid=skip_sid,  # type: ignore[no-any-return]
                                   callback=callback, **kwargs)
    recipients = list(self.get_participants(namespace, room))
    if len(recipients) != 1:
        return await _manager_emit(self, event, data, namespace, room=room, **kwargs)  # type: ignore[no-any-return]
    args = list(data) if isinstance(data, tuple) else [data] if data is not None else []
    encoded = self.server.packet_class(socketio.packet.EVENT, namespace=namespace, data=[event, *args]).encode()
    for part in encoded if isinstance(encoded, list) else [encoded]:
        await self.server._send_eio_packet(recipients[0][1], engineio.packet.Packet(engineio.packet.MESSAGE, part))
    return None


class _OutboxAsyncio(types.ModuleType):
    """``asyncio`` as NiceGUI's outbox sees it: ``wait_for`` without a task of its own."""

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    @staticmethod
    async def wait_for(awaitable: Any, timeout: float | None) -> Any:  # noqa: ASYNC109 (asyncio's own signature)
        async with asyncio.timeout(timeout):
            return await awaitable


def install() -> None:
    """Patch NiceGUI's lookups (idempotent); every module reads it through ``helpers`` at call time."""
    helpers.expects_arguments = expects_arguments
    socketio.packet.Packet.data_is_binary = staticmethod(data_is_binary)  # type: ignore[method-assign,assignment]
    socketio.AsyncManager.emit = emit  # type: ignore[method-assign]
    outbox.asyncio = _OutboxAsyncio("asyncio")  # type: ignore[assignment]


# -- garbage collection ------------------------------------------------------------------------
#
# Every phone page is thousands of objects that live as long as the phone stays. Python's full
# collection walks all of them: with 300 phones it took 0.5–1.3 s, every 3–5 s while a room joined
# and played (measured with gc.callbacks; docs/benchmarks.md), and every move in that second waited,
# and phones missed their pings. So the objects that have lived a few seconds are moved out of the
# collector's sight (``gc.freeze``); a collection then only walks what is new. Cyclic garbage among
# the frozen objects (pages that closed since) waits for the full collection every
# ``FULL_COLLECTION_INTERVAL``: one pause every ten minutes instead of one every few seconds.

FREEZE_INTERVAL = 5.0
FULL_COLLECTION_INTERVAL = 600.0


def collect_in_the_background() -> None:
    """Start the freezing loop on the running event loop (app startup)."""
    _state["gc"] = asyncio.get_running_loop().create_task(_gc_loop(), name="werkplaats-gc")


async def _gc_loop() -> None:
    gc.freeze()  # what startup made lives as long as the process
    last_full = time.monotonic()
    while True:
        await asyncio.sleep(FREEZE_INTERVAL)
        if time.monotonic() - last_full >= FULL_COLLECTION_INTERVAL:
            full_collection()
            last_full = time.monotonic()
        else:
            gc.freeze()


def full_collection() -> int:
    """Collect everything, the frozen objects included, then freeze the survivors again."""
    gc.unfreeze()
    found = gc.collect()
    gc.freeze()
    return found


_state: dict[str, asyncio.Task[None]] = {}
