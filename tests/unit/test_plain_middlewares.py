"""NiceGUI's three HTTP middlewares, as plain ASGI (``workshop.tuning``), do to a request and its
response what NiceGUI's ``BaseHTTPMiddleware``s do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from nicegui import __version__, core, storage
from nicegui import app as nicegui_app
from nicegui.middlewares import RedirectWithPrefixMiddleware, SetCacheControlMiddleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.testclient import TestClient

from workshop import tuning


@pytest.fixture
def cache_header() -> Iterator[None]:
    """NiceGUI's global app as it was after the test: its cache header (set by ``ui.run``, so not
    in every process) and its user storage (each test's sessions add some)."""
    config = core.app.config
    saved = getattr(config, "cache_control_directives", None)
    config.cache_control_directives = "public, max-age=31536000, immutable"
    users = set(core.app.storage._users)
    yield
    if saved is None:
        del config.cache_control_directives
    else:
        config.cache_control_directives = saved
    for session_id in set(core.app.storage._users) - users:
        core.app.storage._users.pop(session_id, None)


# NiceGUI's own and ours must pass the same checks
both = pytest.mark.parametrize("plain", [True, False], ids=["plain", "nicegui"])


def nicegui_like_app(seen: dict[str, Any], plain: bool = True) -> FastAPI:
    """A FastAPI app with NiceGUI's middlewares added in the order ``ui.run`` adds them; with
    ``plain``, swapped for ours as the app does."""
    api = FastAPI()

    @api.get("/go")
    def go() -> Response:
        return RedirectResponse("/room/ABC", status_code=303)

    @api.get("/away")
    def away() -> Response:
        return RedirectResponse("https://example.org/x", status_code=303)

    @api.get(f"/_nicegui/{__version__}/static/x.js")
    def versioned() -> Response:
        return PlainTextResponse("x", headers={"cache-control": "no-store"})

    @api.get(f"/_nicegui/{__version__}/dynamic_resources/y.js")
    def dynamic() -> Response:
        return PlainTextResponse("y", headers={"cache-control": "no-store"})

    @api.get("/page")
    async def page(request: Request) -> Response:
        tracked = storage.request_contextvar.get()
        assert tracked is not None
        session_id = tracked.session["id"]
        seen["session_id"] = session_id
        seen["user_storage"] = session_id in core.app.storage._users
        seen["under_way"] = core.app.storage._active_request_sessions[session_id]
        seen["responded"] = tracked.state.responded
        seen["request"] = tracked
        nicegui_app.storage.browser["lang"] = "en"  # writable until the response starts
        return PlainTextResponse("page")

    api.add_middleware(RedirectWithPrefixMiddleware)
    api.add_middleware(SetCacheControlMiddleware)
    api.add_middleware(storage.RequestTrackingMiddleware)
    api.add_middleware(SessionMiddleware, secret_key="test")
    if plain:
        tuning.plain_middlewares(api)
    return api


def stack(api: FastAPI) -> list[object]:
    layers: list[object] = []
    layer: Any = api.middleware_stack
    while layer is not None and len(layers) < 30:  # each middleware holds the next as ``app``
        layers.append(layer)
        layer = getattr(layer, "app", None)
    return layers


def test_no_base_http_middleware_is_left_and_the_plain_ones_run() -> None:
    seen: dict[str, Any] = {}
    api = nicegui_like_app(seen)
    with TestClient(api) as client:
        client.get("/page")
        layers = stack(api)
    kinds = {type(layer) for layer in layers}
    assert not any(isinstance(layer, BaseHTTPMiddleware) for layer in layers), kinds
    assert {tuning.PrefixedRedirects, tuning.StaticCacheControl, tuning.RequestTracking} <= kinds
    tuning.plain_middlewares(api)  # idempotent: a second call wraps nothing again
    assert getattr(api, "_werkplaats_plain_middlewares", False) is True


@both
@pytest.mark.usefixtures("cache_header")
def test_redirects_get_the_forwarded_prefix(plain: bool) -> None:
    with TestClient(nicegui_like_app({}, plain), follow_redirects=False) as client:
        assert client.get("/go", headers={"X-Forwarded-Prefix": "/werkplaats"}).headers["location"] == (
            "/werkplaats/room/ABC")
        assert client.get("/go").headers["location"] == "/room/ABC"
        assert client.get("/away", headers={"X-Forwarded-Prefix": "/p"}).headers["location"] == (
            "https://example.org/x")


@both
@pytest.mark.usefixtures("cache_header")
def test_nicegui_s_versioned_files_get_its_cache_header_and_nothing_else_does(plain: bool) -> None:
    with TestClient(nicegui_like_app({}, plain)) as client:
        versioned = client.get(f"/_nicegui/{__version__}/static/x.js")
        assert versioned.headers.get_list("cache-control") == ["public, max-age=31536000, immutable"]
        dynamic = client.get(f"/_nicegui/{__version__}/dynamic_resources/y.js")
        assert dynamic.headers["cache-control"] == "no-store"
        assert "cache-control" not in client.get("/page").headers


@both
def test_a_request_has_its_session_user_storage_and_is_counted_while_under_way(plain: bool) -> None:
    seen: dict[str, Any] = {}
    with TestClient(nicegui_like_app(seen, plain)) as client:
        first = client.get("/page")
        assert first.text == "page" and "session" in first.cookies
        session_id = seen["session_id"]
        assert seen["user_storage"] is True and seen["under_way"] == 1 and seen["responded"] is False
        assert seen["request"].state.responded is True  # from the response on, app.storage.browser is read-only
        assert session_id not in core.app.storage._active_request_sessions  # counted down afterwards
        client.get("/page")
        assert seen["session_id"] == session_id  # the cookie carries the same session
    core.app.storage._users.pop(session_id, None)


@pytest.mark.usefixtures("cache_header")
def test_ours_take_only_a_path_as_prefix_and_cache_no_missing_file() -> None:
    with TestClient(nicegui_like_app({}), follow_redirects=False) as client:
        for sent in ("https://evil.example", "//evil.example", "/\\evil.example", "evil"):
            assert client.get("/go", headers={"X-Forwarded-Prefix": sent}).headers["location"] == "/room/ABC"
        missing = client.get(f"/_nicegui/{__version__}/static/missing.js")
        assert missing.status_code == 404 and "immutable" not in missing.headers.get("cache-control", "")
