"""NiceGUI's static files go out compressed once at level 9, with the app's own headers; the rest
at level 1 per response (workshop/gzip.py)."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from nicegui import __version__
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from workshop.gzip import StaticGzip, fast_gzip

TEXT = "".join(f"function quasar{n}() {{ return {n * 7919 % 1000}; }}\n" for n in range(4000)).encode()


def app_with(tmp_path: Path) -> tuple[StaticGzip, TestClient]:
    (tmp_path / "quasar.js").write_bytes(TEXT)
    static = StaticFiles(directory=tmp_path)

    async def page(_: Request) -> Response:
        return PlainTextResponse(TEXT.decode())

    async def with_cookie(scope, receive, send):  # type: ignore[no-untyped-def]
        async def sending(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":  # as NiceGUI's session middleware does
                message["headers"] = [*message["headers"], (b"set-cookie", b"session=mine")]
            await send(message)
        await static(scope, receive, sending)

    async def generated(_: Request) -> Response:  # a versioned path that is not a file
        return PlainTextResponse(TEXT.decode())

    inner = Starlette(routes=[
        Route("/room/X", page), Route(f"/_nicegui/{__version__}/dynamic_resources/x.js", generated),
        Route("/_nicegui/client/abc/download/x.csv", generated), Mount(f"/_nicegui/{__version__}/static", with_cookie),
        Mount("/assets", static)])
    wrapped = fast_gzip(inner)
    return wrapped, TestClient(wrapped)


def test_static_files_are_compressed_once_at_level_9_with_the_app_s_headers(tmp_path: Path) -> None:
    wrapped, client = app_with(tmp_path)
    url = f"/_nicegui/{__version__}/static/quasar.js"
    first = client.get(url, headers={"accept-encoding": "gzip"})
    assert first.status_code == 200 and first.content == TEXT  # httpx decompresses
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["set-cookie"] == "session=mine"  # the app's own response, not a stored one
    assert "accept-encoding" in first.headers["vary"].lower()
    raw = int(first.headers["content-length"])
    assert raw == len(gzip.compress(TEXT, compresslevel=9, mtime=0))
    assert raw < len(zlib.compress(TEXT, 1))  # smaller than level 1
    assert len(wrapped.cache) == 1
    again = client.get(url, headers={"accept-encoding": "gzip"})
    assert again.content == TEXT and len(wrapped.cache) == 1  # from the cache
    etag = first.headers["etag"]
    unchanged = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": etag})
    assert unchanged.status_code == 304 and "content-encoding" not in unchanged.headers
    part = client.get(url, headers={"accept-encoding": "gzip", "range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == TEXT[:10]
    plain = client.get(url, headers={"accept-encoding": "identity"})
    assert plain.content == TEXT and "content-encoding" not in plain.headers


def test_pages_are_compressed_per_response_at_level_1(tmp_path: Path) -> None:
    wrapped, client = app_with(tmp_path)
    page = client.get("/room/X", headers={"accept-encoding": "gzip"})
    assert page.content == TEXT and page.headers["content-encoding"] == "gzip"
    assert not wrapped.cache
    missing = client.get(f"/_nicegui/{__version__}/static/nothing.js", headers={"accept-encoding": "gzip"})
    assert missing.status_code == 404 and not wrapped.cache
    for url in (f"/_nicegui/{__version__}/dynamic_resources/x.js", "/_nicegui/client/abc/download/x.csv"):
        made = client.get(url, headers={"accept-encoding": "gzip"})  # not a file: compressed, not kept
        assert made.content == TEXT and made.headers["content-encoding"] == "gzip"
    assert not wrapped.cache


def test_our_assets_are_kept_too(tmp_path: Path) -> None:
    wrapped, client = app_with(tmp_path)
    ours = client.get("/assets/quasar.js", headers={"accept-encoding": "gzip"})
    assert ours.content == TEXT and int(ours.headers["content-length"]) == len(gzip.compress(TEXT, 9, mtime=0))
    assert list(wrapped.cache) == [("/assets/quasar.js", f"{ours.headers['etag']}/{len(TEXT)}")]
