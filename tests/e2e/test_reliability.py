"""Reliability and privacy in real browsers: network loss, SIGKILL, and what a phone's socket receives."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from redis.asyncio import Redis

from rooms import keys
from rooms.models import RoomState
from rooms.store import RoomStore
from rooms.templates import load_template
from tests.conftest import REDIS_URL
from tests.e2e.conftest import Proxy, Server, free_port, start_server, stop_server
from tests.e2e.test_trio_round import PHONE, set_slider

DIM = "communicatie"


def engine(action: str, *args: Any) -> Any:
    """Run one store call against the shared test Redis (the server under test uses it too)."""
    async def run() -> Any:
        redis = Redis.from_url(REDIS_URL, decode_responses=True)
        store = RoomStore(redis)
        try:
            if action == "room":
                code, _ = await store.create_room(load_template())
                await store.start(code, "vijf-schuiven")
                return code
            return await getattr(store, action)(*args)
        finally:
            await redis.aclose()

    # Playwright's sync API keeps an event loop of its own on this thread: run ours on another
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def placed(code: str, name: str) -> dict[str, int]:
    state: RoomState = engine("load", code)
    member = next(p for p in state.participants.values() if p.name == name)
    return state.placements.get("vijf-schuiven", {}).get(DIM, {}).get(member.id, {})


def phone_in(context: BrowserContext, server: Server | Proxy, code: str, name: str) -> Page:
    page = context.new_page()
    page.goto(f"{server.url}/?code={code}")
    page.get_by_test_id("join-name").fill(name)
    page.get_by_test_id("join-submit").click()
    page.wait_for_url(re.compile(f"/room/{code}"))
    expect(page.get_by_test_id(f"slider-{DIM}-now")).to_be_visible()
    return page


def host_starts_five_sliders(browser: Browser | BrowserContext, server: Server | Proxy) -> tuple[Page, str]:
    """A facilitator creates a session through the start page and starts *Vijf schuiven* (in a
    browser, or in a context of the test's own)."""
    host = browser.new_page()
    host.goto(server.url + "/")
    host.wait_for_function("() => window.socket && window.socket.connected", timeout=30_000)
    host.get_by_text("Zelf een sessie begeleiden").click()
    host.get_by_test_id("create-room").click()
    try:
        host.wait_for_url(re.compile(r"/host/"), timeout=15_000)
    except PlaywrightTimeoutError:
        # Seen in CI (2 of 4 full runs on 2026-12-07), only for the first session created on a
        # freshly started server with embedded Redis: the click on "Nieuwe sessie maken" created no
        # room (nothing in the server's log) although the page's socket was connected. Not found;
        # not what these tests are about: as a person would, tap again (or follow the link the
        # page shows once a session was made).
        link = host.get_by_test_id("host-link")
        (link if link.count() else host.get_by_test_id("create-room")).click()
        host.wait_for_url(re.compile(r"/host/"))
    code = host.get_by_test_id("room-code").inner_text().strip()
    host.get_by_test_id("start-vijf-schuiven").click()
    return host, code


def nudge(page: Page, testid: str, key: str = "PageUp") -> None:
    page.get_by_test_id(testid).locator("[tabindex]").first.focus()
    page.keyboard.press(key)


@pytest.fixture
def own_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A server of this test's own, with extra environment from ``@pytest.mark.parametrize``'s ``env``."""
    env: dict[str, str] = getattr(request, "param", {})
    import os

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        server = start_server(free_port(), tempfile.mkdtemp(prefix="werkplaats-rel-"), REDIS_URL, worker="off")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    yield server
    stop_server(server)


def test_what_a_phone_does_offline_is_applied_when_it_comes_back(own_server: Server, browser: Browser) -> None:
    code = engine("room")
    context = browser.new_context(viewport=PHONE)
    phone = phone_in(context, own_server, code, "Dana")
    nudge(phone, f"slider-{DIM}-now")
    expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("60")
    context.set_offline(True)
    phone.wait_for_function("!window.socket.connected", timeout=10_000)
    time.sleep(5)
    # our banner, in the page's language, instead of NiceGUI's English popup
    expect(phone.get_by_test_id("connection")).to_contain_text("Verbinding weg")
    expect(phone.locator("#popup")).to_be_hidden()
    nudge(phone, f"slider-{DIM}-now")  # 70, while offline
    expect(phone.get_by_test_id("connection")).to_contain_text("Geen verbinding")
    assert placed(code, "Dana") == {"now": 60}
    context.set_offline(False)
    expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("70", timeout=20_000)
    expect(phone.get_by_test_id("connection")).to_contain_text("opgeslagen", timeout=10_000)
    assert placed(code, "Dana") == {"now": 70}


@pytest.mark.parametrize("own_server", [{"WORKSHOP_PHONE_RECONNECT_TIMEOUT": "3"}], indirect=True)
def test_after_a_long_drop_the_phone_says_what_was_not_saved(own_server: Server, browser: Browser) -> None:
    code = engine("room")
    context = browser.new_context(viewport=PHONE)
    phone = phone_in(context, own_server, code, "Eli")
    nudge(phone, f"slider-{DIM}-now")
    expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("60")
    context.set_offline(True)
    phone.wait_for_function("!window.socket.connected", timeout=10_000)
    nudge(phone, f"slider-{DIM}-now")  # 70, while offline: the server forgets this page meanwhile
    # longer than the server needs to notice the drop (missed pings, ~6 s) plus the 3 s it keeps the
    # page here (120 s in real use)
    time.sleep(20)
    context.set_offline(False)
    expect(phone.get_by_test_id("connection")).to_contain_text("NIET opgeslagen", timeout=30_000)
    expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("60")  # what the room has, shown again
    expect(phone.get_by_test_id("who")).to_have_text("Eli")
    assert placed(code, "Eli") == {"now": 60}


@pytest.mark.parametrize("embedded", [False, True], ids=["external-redis", "embedded-redis"])
def test_sigkill_mid_session_loses_no_acknowledged_placement(browser: Browser, embedded: bool) -> None:
    data = tempfile.mkdtemp(prefix="werkplaats-kill-")
    port = free_port()
    redis_url = None if embedded else REDIS_URL
    server = start_server(port, data, redis_url, worker="off")
    try:
        host, code = host_starts_five_sliders(browser, server)
        phone = phone_in(browser.new_context(viewport=PHONE), server, code, "Fem")
        set_slider(phone, f"slider-{DIM}-now", 35)  # the value label shows what the room stored
        set_slider(phone, f"slider-{DIM}-goal", 85)
        server.process.kill()  # SIGKILL: no shutdown handlers run
        server.process.wait()
        server = start_server(port, data, redis_url, worker="off")
        expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("35", timeout=30_000)
        expect(phone.get_by_test_id(f"value-{DIM}-goal")).to_have_text("85")
        # the host page comes back by itself too (it reloads when its old server is gone)
        expect(host.get_by_test_id("group-1")).to_contain_text("Fem", timeout=30_000)
    finally:
        stop_server(server)
    if not embedded:
        assert placed(code, "Fem") == {"now": 35, "goal": 85}
    else:
        from workshop.embedded_redis import answers

        assert not answers(Path(data) / "redis.sock")  # the adopted Redis went down with the app at the end


def _numbers_and_texts(node: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every value in a decoded frame with the key it sits under (element ids and keys left out)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _numbers_and_texts(v, str(k))
    elif isinstance(node, list):
        for v in node:
            yield from _numbers_and_texts(v, key)
    elif key not in {"id", "ids", "listener_id", "client_id", "document_id", "tab_id", "message_id"}:
        yield key, node


def leaks(frames: list[str], values: set[int]) -> list[str]:
    """Where a frame carries one of ``values`` as a number or inside a text (e.g. "left:37%", "Bram: 37")."""
    found = []
    pattern = re.compile(r"(?<![\w.])(" + "|".join(str(v) for v in values) + r")(?![\w])")
    for frame in frames:
        start = frame.find("[")
        if start < 0:
            continue
        try:
            decoded = json.loads(frame[start:])
        except ValueError:
            continue
        for key, value in _numbers_and_texts(decoded):
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float) and value in values:
                found.append(f"{key}={value}")
            elif isinstance(value, str) and pattern.search(value):
                found.append(f"{key}={value[:80]}")
    return found


def test_no_hidden_position_reaches_a_phone_before_the_group_completes(server: Server, browser: Browser) -> None:
    code = engine("room")
    anna_context = browser.new_context(viewport=PHONE)
    frames: list[str] = []
    anna_page = anna_context.new_page()
    anna_page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    anna_page.goto(f"{server.url}/?code={code}")
    anna_page.get_by_test_id("join-name").fill("Anna")
    anna_page.get_by_test_id("join-submit").click()
    anna_page.wait_for_url(re.compile(f"/room/{code}"))
    bram = phone_in(browser.new_context(viewport=PHONE), server, code, "Bram")
    cem = phone_in(browser.new_context(viewport=PHONE), server, code, "Cem")
    set_slider(anna_page, f"slider-{DIM}-now", 20)
    set_slider(anna_page, f"slider-{DIM}-goal", 80)
    set_slider(bram, f"slider-{DIM}-now", 37)
    set_slider(bram, f"slider-{DIM}-goal", 83)
    expect(anna_page.get_by_test_id(f"status-{DIM}")).to_contain_text("2 van 3")
    time.sleep(1)  # anything that was going to be sent has been
    assert frames, "the phone's frames were recorded"
    assert leaks(frames, {37, 83}) == []
    set_slider(cem, f"slider-{DIM}-now", 71)
    set_slider(cem, f"slider-{DIM}-goal", 90)
    expect(anna_page.get_by_test_id(f"markers-{DIM}")).to_contain_text("Bram: 37 / 83")
    assert leaks(frames, {37, 83}), "the detector sees the positions once the group completed"


def _redis_server(port: int, folder: str) -> subprocess.Popen[bytes]:
    from workshop.embedded_redis import _binary

    process = subprocess.Popen(
        [_binary(), "--port", str(port), "--bind", "127.0.0.1", "--dir", folder, "--appendonly", "yes",
         "--appendfsync", "everysec", "--save", ""],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    import redis as sync_redis

    deadline = time.monotonic() + 10
    while True:
        try:
            if sync_redis.Redis(port=port, socket_timeout=1).ping():
                return process
        except sync_redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_an_external_redis_killed_and_restarted_loses_nothing_fsynced(browser: Browser) -> None:
    """SIGKILL on Redis itself: with AOF ``everysec`` at most the last second is at risk; after that
    second everything is back, and the app and the open phone carry on without a reload by hand."""
    folder = tempfile.mkdtemp(prefix="werkplaats-redis-")
    redis_port = free_port()
    redis_process = _redis_server(redis_port, folder)
    url = f"redis://127.0.0.1:{redis_port}/0"
    server = start_server(free_port(), tempfile.mkdtemp(prefix="werkplaats-rel-"), url, worker="off")
    try:
        host, code = host_starts_five_sliders(browser, server)
        phone = phone_in(browser.new_context(viewport=PHONE), server, code, "Gijs")
        set_slider(phone, f"slider-{DIM}-now", 40)
        time.sleep(1.5)  # one fsync period
        redis_process.kill()
        redis_process.wait()
        redis_process = _redis_server(redis_port, folder)
        # the phone carries on: a new placement lands and the host's lock reaches it
        set_slider(phone, f"slider-{DIM}-goal", 75)
        host.get_by_test_id("lock").click()
        expect(phone.get_by_test_id("notice")).to_contain_text("vergrendeld", timeout=20_000)
        expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("40")
        import redis as sync_redis

        stored = sync_redis.Redis(port=redis_port, decode_responses=True).hgetall(keys.placements_key(code))
        assert sorted(stored.values()) == ["40", "75"]
    finally:
        stop_server(server)
        redis_process.kill()
