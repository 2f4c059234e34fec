"""The cached ``expects_arguments`` answers as NiceGUI's own does."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

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


async def test_the_server_s_young_collections_wait_for_more_objects() -> None:
    import gc

    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # Python's default (an app started by an earlier test raised it)
    try:
        tuning.collect_in_the_background()
        assert gc.get_threshold() == (tuning.YOUNG_THRESHOLD, 10, 10)
    finally:
        tuning._state.pop("gc").cancel()
        gc.set_threshold(*saved)


def test_cyclic_garbage_of_the_last_seconds_is_freed_before_the_freeze() -> None:
    import gc
    import weakref as weak

    class Node:
        other: object = None

    saved = gc.get_threshold()
    gc.set_threshold(tuning.YOUNG_THRESHOLD, 10, 10)  # as in the server: no young collection meanwhile
    try:
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weak.ref(a)
        del a, b
        assert tuning.young_then_freeze() >= 2
        assert gone() is None  # a bare gc.freeze() would have kept it until the full collection
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)
