"""Compression for every response at a low level, and NiceGUI's static files compressed once.

NiceGUI's default compresses each asset request at level 9, about 80 ms of CPU
per new phone; when a whole room scans the QR code at once that queues joins
for many seconds. Level 1 costs a fraction and still shrinks text well.

NiceGUI's own files (``/_nicegui/<version>/…``: Quasar, Vue, socket.io, the elements' code) never
change while the server runs, nor do ours under ``/assets/`` (a file changed on disk has a new
ETag, and so a new entry): each is compressed once, at level 9, and every later phone gets
those bytes. A phone's page then weighs ~55 KB less (Quasar's script 178 → 151 KB) than at
level 1, and a burst of joins costs no compression at all for them.
"""

from __future__ import annotations

import gzip
from typing import Any

from nicegui import __version__
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# NiceGUI's versioned files (static, components, libraries, resources) and ours; not its other
# routes under /_nicegui/ (a client's downloads and uploads, media)
NICEGUI_FILES = f"/_nicegui/{__version__}/"
STATIC_PREFIXES = (NICEGUI_FILES, "/assets/")
MAX_CACHED_FILE = 4 * 1024 * 1024  # bytes of one file; larger ones go out as they are
MAX_CACHE = 32 * 1024 * 1024  # compressed bytes kept in all


class StaticGzip(GZipMiddleware):
    """Level 9, once per file, for NiceGUI's versioned static files; everything else at level 1,
    per response. The response itself still comes from the app (its headers, its cookies, a 304
    for a conditional request): only the body is swapped."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, minimum_size=500, compresslevel=1)
        self.cache: dict[tuple[str, str], bytes] = {}
        self.cached_bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await super().__call__(scope, receive, send)
            return
        await _Responder(self, scope["path"], send).run(self.app, scope, receive)

    def _applies(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope.get("method") != "GET" or not scope["path"].startswith(STATIC_PREFIXES):
            return False
        headers = Headers(scope=scope)
        return "gzip" in headers.get("accept-encoding", "") and "range" not in headers

    def compressed(self, key: tuple[str, str] | None, body: bytes) -> bytes:
        if key is None:  # no ETag: not a file that StaticFiles served; compressed as any response
            return gzip.compress(body, compresslevel=1, mtime=0)
        found = self.cache.get(key)
        if found is None:
            found = gzip.compress(body, compresslevel=9, mtime=0)
            if self.cached_bytes + len(found) <= MAX_CACHE:
                self.cache[key] = found
                self.cached_bytes += len(found)
        return found


class _Responder:
    def __init__(self, owner: StaticGzip, path: str, send: Send) -> None:
        self.owner = owner
        self.path = path
        self.send = send
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.passing = False

    async def run(self, app: ASGIApp, scope: Scope, receive: Receive) -> None:
        await app(scope, receive, self.intercept)

    async def intercept(self, message: Message) -> None:
        if self.passing:
            await self.send(message)
            return
        if message["type"] == "http.response.start":
            headers = Headers(raw=message["headers"])
            length = int(headers.get("content-length", MAX_CACHED_FILE + 1))
            if message["status"] != 200 or "content-encoding" in headers or length > MAX_CACHED_FILE:
                self.passing = True  # a 304, an error, a big file: as the app sent it
                await self.send(message)
                return
            self.start = message
            return
        if message["type"] != "http.response.body":
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        assert self.start is not None
        body = b"".join(self.chunks)
        headers = MutableHeaders(raw=list(self.start["headers"]))
        etag = headers.get("etag")
        key = (self.path, f"{etag}/{len(body)}") if etag else None
        packed = self.owner.compressed(key, body)
        headers["content-encoding"] = "gzip"
        headers["content-length"] = str(len(packed))
        headers.add_vary_header("Accept-Encoding")
        start: dict[str, Any] = {**self.start, "headers": headers.raw}
        await self.send(start)
        await self.send({"type": "http.response.body", "body": packed})


def fast_gzip(app: ASGIApp) -> StaticGzip:
    return StaticGzip(app)
