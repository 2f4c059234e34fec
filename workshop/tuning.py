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
import logging
import time
import types
import uuid
import weakref
from collections.abc import Callable
from typing import Any

import orjson
import socketio.packet
from nicegui import core, helpers, storage
from nicegui.middlewares import RedirectWithPrefixMiddleware, SetCacheControlMiddleware
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workshop.gzip import NICEGUI_FILES

log = logging.getLogger(__name__)

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


# -- NiceGUI's HTTP middlewares, as plain ASGI ------------------------------------------------------
#
# NiceGUI wraps every HTTP request in three ``BaseHTTPMiddleware``s: one prefixes redirects behind a
# proxy, one sets the cache header of its versioned files, one gives the session its user storage.
# Each runs the rest of the request in a task of its own, with memory streams between them (anyio's
# task group, cancel scopes, a send and a receive stream per request). A phone's join is three
# requests, so a burst of 1,000 joins pays that 9,000 times; py-spy put the three at ~6 % of the
# server's CPU in such a burst. The same three, written as plain ASGI middlewares, do the same to each
# request and response in the request's own task.


class PrefixedRedirects:
    """``RedirectWithPrefixMiddleware``: a redirect to a local path gets the ``X-Forwarded-Prefix``,
    if that is a path (NiceGUI's takes any value, so ``https://elsewhere`` sent by anyone made every
    redirect leave the site)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix = Headers(scope=scope).get("x-forwarded-prefix", "") if scope["type"] == "http" else ""
        if not prefix.startswith("/") or prefix.startswith("//") or "\\" in prefix:
            prefix = ""
        if not prefix:  # NiceGUI's adds an empty prefix: nothing changes
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                location = headers.get("location")
                if location is not None and location.startswith("/"):
                    headers["location"] = prefix + location
                    message = {**message, "headers": headers.raw}
            await send(message)

        await self.app(scope, receive, sending)


NICEGUI_DYNAMIC = f"{NICEGUI_FILES}dynamic_resources/"


class StaticCacheControl:
    """``SetCacheControlMiddleware``: NiceGUI's versioned files (not its dynamic resources) get the
    configured ``Cache-Control``, whatever the route set; but not a 404 or another error (NiceGUI's
    kept a missing file's 404 in caches for a year)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(NICEGUI_FILES) or path.startswith(NICEGUI_DYNAMIC):
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                headers = MutableHeaders(raw=list(message["headers"]))
                headers["cache-control"] = core.app.config.cache_control_directives
                message = {**message, "headers": headers.raw}
            await send(message)

        await self.app(scope, receive, sending)


class RequestTracking:
    """``nicegui.storage.RequestTrackingMiddleware``: the request in NiceGUI's context variable, a
    session id, the session's user storage made before the page needs it, the request counted as
    under way (so NiceGUI's pruning leaves that storage alone), and ``request.state.responded``
    once the response has started (``app.storage.browser`` is read-only from then on)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        storage.request_contextvar.set(request)
        session = scope["session"]
        if "id" not in session:
            session["id"] = str(uuid.uuid4())
        request.state.responded = False
        session_id = session["id"]
        app_storage = core.app.storage
        active = app_storage._active_request_sessions
        active[session_id] += 1
        try:
            if session_id not in app_storage._users:
                await app_storage._create_user_storage(session_id)

            async def sending(message: Message) -> None:
                if message["type"] == "http.response.start":
                    request.state.responded = True
                await send(message)

            await self.app(scope, receive, sending)
        finally:
            active[session_id] -= 1
            if active[session_id] <= 0:
                del active[session_id]


PLAIN_ASGI: dict[Any, Any] = {
    RedirectWithPrefixMiddleware: PrefixedRedirects,
    SetCacheControlMiddleware: StaticCacheControl,
    storage.RequestTrackingMiddleware: RequestTracking,
}


def plain_middlewares(app: Any) -> None:
    """Swap NiceGUI's three ``BaseHTTPMiddleware``s for the plain ones when ``app`` builds its
    middleware stack (on its first ASGI call, after ``ui.run`` has added them); idempotent."""
    if getattr(app, "_werkplaats_plain_middlewares", False):
        return
    build = app.build_middleware_stack

    def building() -> ASGIApp:
        app.user_middleware = [Middleware(PLAIN_ASGI.get(m.cls, m.cls), *m.args, **m.kwargs)
                               for m in app.user_middleware]
        left = [m.cls.__name__ for m in app.user_middleware
                if isinstance(m.cls, type) and issubclass(m.cls, BaseHTTPMiddleware)]
        if left:  # a NiceGUI that added one more: it works, at the cost above
            log.warning("HTTP middlewares still on BaseHTTPMiddleware: %s", ", ".join(left))
        return build()

    app.build_middleware_stack = building
    app._werkplaats_plain_middlewares = True


def install() -> None:
    """Patch NiceGUI's lookups (idempotent); every module reads it through ``helpers`` at call time."""
    helpers.expects_arguments = expects_arguments
    socketio.packet.Packet.data_is_binary = staticmethod(data_is_binary)  # type: ignore[method-assign,assignment]
    plain_middlewares(core.app)


# -- garbage collection ------------------------------------------------------------------------
#
# Every phone page is thousands of objects that live as long as the phone stays. Python's full
# collection walks all of them: with 300 phones it took 0.5–1.3 s, every 3–5 s while a room joined
# and played (measured with gc.callbacks; docs/benchmarks.md), and every move in that second waited,
# and phones missed their pings. So the objects that have lived a few seconds are moved out of the
# collector's sight (``gc.freeze``); a collection then only walks what is new. Cyclic garbage among
# the frozen objects (pages that closed since) waits for the full collection every
# ``FULL_COLLECTION_INTERVAL``: one pause every ten minutes instead of one every few seconds.
#
# Between two freezes the young collections still walk everything that lives a few seconds: above
# all the messages NiceGUI keeps for each page until the browser acknowledges them (every 3 s).
# With Python's default threshold (a young collection every 700 new container objects) that was
# 6–12 % of the server's CPU at 300 phones and 26–33 % at 1,000 (``werkplaats_gc_seconds``), and not
# one of those collections found garbage (``gc.DEBUG_SAVEALL``): they walked live objects that
# are freed by reference counting a few seconds later. So a young collection waits for
# ``YOUNG_THRESHOLD`` new objects, and each freeze is preceded by one young collection
# (``young_then_freeze``), which frees the cyclic garbage of those seconds before it could be frozen.

FREEZE_INTERVAL = 5.0
FULL_COLLECTION_INTERVAL = 600.0
YOUNG_THRESHOLD = 50_000


def collect_in_the_background() -> None:
    """Start the freezing loop on the running event loop (app startup), with the young generation's
    higher threshold."""
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
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
            young_then_freeze()


def young_then_freeze() -> int:
    """Collect the two young generations, then freeze what survived; returns how many were freed.

    With the high threshold few young collections run between two freezes, and ``gc.freeze``
    alone would also freeze the cyclic garbage made since the last one (an exception caught with
    its traceback, say, and all its frames held), to wait for the full collection minutes later. So
    each object made in the last seconds is walked once, here, and garbage goes within seconds."""
    found = gc.collect(1)
    gc.freeze()
    return found


def full_collection() -> int:
    """Collect everything, the frozen objects included, then freeze the survivors again."""
    gc.unfreeze()
    found = gc.collect()
    gc.freeze()
    return found


_state: dict[str, asyncio.Task[None]] = {}
