"""Two ``workshop`` processes sharing one Redis serve the same room: a trio split over both, the
screen on the other one, everything in step; directly on their ports, and behind a real HAProxy
with the deploy config (``deploy/haproxy.cfg``, or ``deploy/Caddyfile`` where HAProxy is absent or
``WERKPLAATS_PROXY=caddy``: sticky cookie, websockets)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import REDIS_URL
from tests.e2e.conftest import (
    Proxy,
    Server,
    free_port,
    proxy_kinds,
    start_proxy,
    start_server,
    stop_proxy,
    stop_server,
)
from tests.e2e.test_reliability import engine, host_starts_five_sliders, phone_in
from tests.e2e.test_trio_round import PHONE, set_slider

DIM = "communicatie"


@pytest.fixture
def two_servers() -> Iterator[tuple[Server, Server]]:
    a = start_server(free_port(), tempfile.mkdtemp(prefix="werkplaats-a-"), REDIS_URL, worker="off")
    try:
        b = start_server(free_port(), tempfile.mkdtemp(prefix="werkplaats-b-"), REDIS_URL, worker="off")
    except Exception:
        stop_server(a)
        raise
    yield a, b
    stop_server(b)
    stop_server(a)


def test_a_trio_split_over_two_processes(two_servers: tuple[Server, Server], browser: Browser) -> None:
    a, b = two_servers
    code = engine("room")
    anna = phone_in(browser.new_context(viewport=PHONE), a, code, "Anna")
    bram = phone_in(browser.new_context(viewport=PHONE), b, code, "Bram")
    cem = phone_in(browser.new_context(viewport=PHONE), a, code, "Cem")
    screen = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(f"{b.url}/screen/{code}")
    expect(bram.get_by_test_id("group")).to_contain_text("Anna")  # the roster crossed processes
    set_slider(anna, f"slider-{DIM}-now", 20)
    set_slider(anna, f"slider-{DIM}-goal", 80)
    set_slider(bram, f"slider-{DIM}-now", 40)
    set_slider(bram, f"slider-{DIM}-goal", 70)
    expect(anna.get_by_test_id(f"status-{DIM}")).to_contain_text("2 van 3")
    set_slider(cem, f"slider-{DIM}-now", 75)
    placed_at = time.monotonic()
    set_slider(cem, f"slider-{DIM}-goal", 90)
    expect(bram.get_by_test_id(f"markers-{DIM}")).to_contain_text("Cem: 75 / 90", timeout=3000)
    expect(screen.get_by_test_id(f"screen-{DIM}")).to_contain_text("nu 45", timeout=3000)
    elapsed = time.monotonic() - placed_at
    expect(anna.get_by_test_id(f"markers-{DIM}")).to_contain_text("Bram: 40 / 70")
    assert elapsed < 3, f"{elapsed:.2f} s from a phone on A to a phone and the screen on B"


@pytest.fixture(params=proxy_kinds())
def behind_proxy(request: pytest.FixtureRequest, two_servers: tuple[Server, Server]) -> Iterator[Proxy]:
    proxy = start_proxy(list(two_servers), kind=request.param)
    yield proxy
    stop_proxy(proxy)


def test_a_room_behind_the_proxy(behind_proxy: Proxy, two_servers: tuple[Server, Server], browser: Browser) -> None:
    """Everyone uses one address; the proxy spreads the browsers over both processes and keeps each
    browser on its own (a page that jumped process would reload in a loop)."""
    host, code = host_starts_five_sliders(browser, behind_proxy)
    contexts = [browser.new_context(viewport=PHONE) for _ in range(3)]
    anna, bram, cem = (phone_in(c, behind_proxy, code, n) for c, n in zip(contexts, ["Anna", "Bram", "Cem"],
                                                                           strict=True))
    screen_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = screen_context.new_page()
    screen.goto(f"{behind_proxy.url}/screen/{code}")
    replicas = {c["value"] for ctx in [*contexts, screen_context] for c in ctx.cookies()
                if c["name"] == "werkplaats_replica"}
    assert len(replicas) == len(two_servers), replicas  # both processes serve this room (one cookie value each)
    for person, (now, goal) in ((anna, (20, 80)), (bram, (40, 70)), (cem, (75, 90))):
        set_slider(person, f"slider-{DIM}-now", now)
        set_slider(person, f"slider-{DIM}-goal", goal)
    expect(anna.get_by_test_id(f"markers-{DIM}")).to_contain_text("Cem: 75 / 90", timeout=3000)
    expect(cem.get_by_test_id(f"markers-{DIM}")).to_contain_text("Anna: 20 / 80", timeout=3000)
    expect(screen.get_by_test_id(f"screen-{DIM}")).to_contain_text("nu 45", timeout=3000)
    anna.wait_for_timeout(1500)  # a page that lost its process would have reloaded by now
    expect(anna.get_by_test_id(f"markers-{DIM}")).to_contain_text("Bram: 40 / 70")
    host.close()
