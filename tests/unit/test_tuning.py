"""The cached ``expects_arguments`` answers as NiceGUI's own does."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import socketio
from nicegui import helpers

from workshop import tuning


class Thing:
    def no_args(self) -> None: ...
    def one_arg(self, e: object) -> None: ...
    def optional(self, e: object = None) -> None: ...


def plain(e: object) -> None: ...


def star(*args: object, **kwargs: object) -> None: ...


def test_same_answers_as_nicegui() -> None:
    thing = Thing()
    cases: list[Callable[..., Any]] = [thing.no_args, thing.one_arg, thing.optional, Thing().one_arg, plain, star,
             lambda: None, lambda e: None, functools.partial(plain, 1), print, Thing]
    for func in cases:
        for _ in range(2):  # the second answer comes from the cache
            assert tuning.expects_arguments(func) == tuning._original(func), func


def test_a_bound_method_is_not_confused_with_its_function() -> None:
    assert tuning.expects_arguments(Thing.one_arg) is True  # self and e
    assert tuning.expects_arguments(Thing().no_args) is False
    assert tuning.expects_arguments(Thing.no_args) is True  # unbound: self


def test_install_patches_the_lookup_nicegui_uses() -> None:
    tuning.install()
    assert helpers.expects_arguments is tuning.expects_arguments


def test_a_full_collection_still_reaches_frozen_garbage() -> None:
    import gc
    import weakref as weak

    class Node:
        other: object = None

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    gone = weak.ref(a)
    gc.freeze()
    del a, b
    gc.collect()
    assert gone() is not None  # frozen: ordinary collections leave it alone
    tuning.full_collection()
    assert gone() is None
    assert gc.get_freeze_count() > 0  # the survivors are frozen again
    gc.unfreeze()


def test_the_binary_check_answers_as_socketio_does() -> None:
    tuning.install()
    import socketio.packet

    class Opaque:
        pass

    cases: list[object] = [
        None, 1, "text", [], {}, {"a": [1, {"b": "c"}]}, {1: "non-string key"},
        b"raw", [1, [2, bytearray(b"x")]], {"a": {"b": b"deep"}}, {"a": Opaque()}, [Opaque(), b"x"],
    ]
    for data in cases:
        assert tuning.data_is_binary(data) == tuning._socketio_is_binary(data), data
    packet = socketio.packet.Packet
    assert packet(data=["update", {"1": {"props": {"x": b"\x00"}}}]).packet_type == socketio.packet.BINARY_EVENT
    assert packet(data=["update", {"1": {"props": {"x": "y"}}}]).packet_type == socketio.packet.EVENT


class Recording(socketio.AsyncServer):  # type: ignore[misc]
    """A real socket.io server whose engine.io packets are kept instead of written to a socket."""

    def __init__(self) -> None:
        super().__init__(async_mode="asgi")
        self.sent: list[tuple[str, str]] = []

    async def _send_eio_packet(self, eio_sid: str, eio_pkt: Any) -> None:
        self.sent.append((eio_sid, eio_pkt.encode()))


async def test_a_message_to_one_page_is_sent_as_socketio_sends_it() -> None:
    import asyncio

    ours, theirs = Recording(), Recording()
    for server in (ours, theirs):
        for eio_sid in ("e1", "e2"):
            sid = await server.manager.connect(eio_sid, "/")
            await server.manager.enter_room(sid, "/", "page-1" if eio_sid == "e1" else "page-2")
            await server.manager.enter_room(sid, "/", "both")
    message = {"5": {"tag": "div", "props": {"x": "é \\u2028"}}, "_id": 3}
    for room in ("page-1", "both", "nobody"):
        await tuning.emit(ours.manager, "update", message, "/", room=room)
        await tuning._manager_emit(theirs.manager, "update", message, "/", room=room)
        await asyncio.sleep(0)
        assert sorted(ours.sent) == sorted(theirs.sent), room
    assert [sid for sid, _ in ours.sent].count("e1") == 2 and len(ours.sent) == 3


async def test_the_outbox_waits_without_a_task_and_still_times_out() -> None:
    import asyncio

    import pytest

    shim = tuning._OutboxAsyncio("asyncio")
    event = asyncio.Event()
    with pytest.raises(TimeoutError):
        await shim.wait_for(event.wait(), timeout=0.01)
    event.set()
    assert await shim.wait_for(event.wait(), timeout=1.0) is True
    assert shim.Event is asyncio.Event and shim.sleep is asyncio.sleep
