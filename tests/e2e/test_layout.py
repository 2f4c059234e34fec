"""Layout invariants through the whole programme (issue 18), in one run: a host at 1366×768, six
phones at 390×844 with touch, the projector at 1920×1080 for two trios and for a room of 30 groups.

At every exercise: the projector never scrolls, the host's controls, the groups' progress and the
hotspots sit in the first 768 px without scrolling, no phone scrolls sideways, a new exercise opens
at its top, and no page logs an error. The run also saves the pictures of the README and ends with
the deletion of the session, which every open page must tell.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize, expect
from redis.asyncio import Redis

from rooms.store import RoomStore
from rooms.templates import load_template
from tests.conftest import REDIS_URL
from tests.e2e.conftest import Server
from tests.e2e.test_trio_round import IMG
from tests.programme_seed import fill

HOST: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}
SCREEN: ViewportSize = {"width": 1920, "height": 1080}
BIG_GROUPS = 30
FILLED = 9  # groups of the big room that work (more than one page of the screen)
PROGRAMME = [a.id for a in load_template().activities]
TITLES = {a.id: a.title.nl for a in load_template().activities}


def store_call(script: Any) -> Any:
    """Run ``script(store)`` against the test Redis the server uses (off Playwright's event loop)."""
    import asyncio

    async def run() -> Any:
        redis = Redis.from_url(REDIS_URL, decode_responses=True)
        try:
            return await script(RoomStore(redis))
        finally:
            await redis.aclose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def big_room() -> str:
    async def script(store: RoomStore) -> str:
        code, _ = await store.create_room(load_template())
        for n in range(BIG_GROUPS * 3):
            await store.join(code, f"Deelnemer {n + 1}")
        return code

    return str(store_call(script))


def start_and_fill(code: str, activity: str, groups: int | None = None) -> None:
    async def script(store: RoomStore) -> None:
        await store.start(code, activity)
        await fill(store, code, activity, groups=groups)

    store_call(script)


def only_fill(code: str, activity: str) -> None:
    async def script(store: RoomStore) -> None:
        await fill(store, code, activity)

    store_call(script)


def watch(page: Page, name: str, errors: list[str]) -> Page:
    page.on("console", lambda m: errors.append(f"{name}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{name}: {e}"))
    return page


def size(page: Page) -> dict[str, int]:
    return dict(page.evaluate(
        "() => { const e = document.scrollingElement;"
        " return {height: e.scrollHeight, width: e.scrollWidth, top: Math.round(window.scrollY)} }"))


def too_wide(page: Page) -> list[str]:
    """What sticks out on the right of a phone (for the failure message)."""
    return list(page.evaluate(
        "() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > innerWidth"
        " + 1).slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + (e.getAttribute('data-testid') || '')"
        " + ' ' + Math.round(e.getBoundingClientRect().right))"))


def bottom(page: Page, testid: str) -> float:
    box = page.get_by_test_id(testid).first.bounding_box()
    assert box is not None, f"{testid} is not shown"
    return box["y"] + box["height"]


def settled(page: Page) -> None:
    """Every pending update flushed: two animation frames after the network is quiet."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_every_page_keeps_its_layout_through_the_programme(server: Server, browser: Browser) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    host = watch(browser.new_context(viewport=HOST).new_page(), "host", errors)
    host.goto(server.url + "/")
    host.get_by_text("Zelf een sessie begeleiden").click()
    host.get_by_test_id("create-room").click()
    host.wait_for_url(re.compile(r"/host/"))
    code = host.get_by_test_id("room-code").inner_text().strip()
    screen = watch(browser.new_context(viewport=SCREEN).new_page(), "screen", errors)
    screen.goto(f"{server.url}/screen/{code}")
    big = big_room()
    wall = watch(browser.new_context(viewport=SCREEN).new_page(), "screen-30", errors)
    wall.goto(f"{server.url}/screen/{big}")

    phones = []
    for index, name in enumerate(("Anna", "Bram", "Cem", "Dirk", "Eva", "Fatima")):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        phone = watch(context.new_page(), name, errors)
        # the room's own page (the QR code), or the start page with the code typed in
        phone.goto(f"{server.url}/room/{code}" if index % 2 == 0 else f"{server.url}/?code={code}")
        settled(phone)
        assert size(phone)["width"] <= PHONE["width"], f"the join page scrolls sideways: {too_wide(phone)}"
        field = phone.get_by_test_id("join-name")
        if index == 0:  # the field takes no more than a name may have
            field.press_sequentially("x" * 45)
            assert len(field.input_value()) == 40
        field.fill(name)
        phone.get_by_test_id("join-submit").click()
        expect(phone.get_by_test_id("who")).to_have_text(name)
        phones.append(phone)
    anna = phones[0]
    expect(host.get_by_test_id("summary")).to_contain_text("6 deelnemers")

    for activity in PROGRAMME:
        anna.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        host.get_by_test_id(f"start-{activity}").click()
        expect(host.get_by_test_id(f"status-{activity}")).to_contain_text("nu")
        expect(anna.get_by_test_id("activity-title")).to_have_text(TITLES[activity])
        if activity == "sociale-innovatie":  # a part may go in both bins: nothing moves on by itself
            expect(anna.get_by_test_id("card-next")).to_be_enabled()
        only_fill(code, activity)
        start_and_fill(big, activity, groups=FILLED)
        for page in (host, screen, wall, *phones[:3]):
            settled(page)
        assert size(anna)["top"] == 0, f"{activity}: a new exercise opens at its top"
        for phone in phones[:3]:
            assert size(phone)["width"] <= PHONE["width"], f"{activity}: a phone scrolls sideways: {too_wide(phone)}"
        for wall_page, what in ((screen, "two trios"), (wall, "30 groups")):
            measured = size(wall_page)
            assert measured["height"] <= SCREEN["height"] and measured["width"] <= SCREEN["width"], (
                f"{activity}, {what}: the screen is {measured}")
        measured = size(host)
        assert measured["height"] <= HOST["height"], f"{activity}: the host page scrolls ({measured})"
        for testid in ("next-activity", "lock", "reveal", "timer-start", "progress-strip", "summary"):
            assert bottom(host, testid) <= HOST["height"], f"{activity}: {testid} is below the fold"
        expect(host.get_by_test_id("progress-strip")).to_contain_text("Groep 2")
        if activity == "vijf-schuiven":
            assert bottom(host, "hotspots") <= HOST["height"]
            expect(host.get_by_test_id("hotspots")).to_contain_text("Waar kun je gaan luisteren")
            expect(screen.get_by_test_id("screen-positionering-intern")).to_contain_text("Eigen budget en positie")
            expect(screen.get_by_test_id("screen-counts")).to_have_text("6 deelnemers in 2 groepen")
            screen.screenshot(path=str(IMG / "screen-console.png"))
            host.screenshot(path=str(IMG / "host-1366.png"))
            host.get_by_test_id("screen-mode").click()
            host.get_by_role("option", name="Groep 1").click()
            expect(screen.get_by_test_id("screen-group")).to_have_text("Groep 1")
            expect(screen.locator(".knob.person").first).to_be_visible()
            settled(screen)
            assert size(screen)["height"] <= SCREEN["height"]
            screen.screenshot(path=str(IMG / "screen-group.png"))
            host.get_by_test_id("screen-mode").click()
            host.get_by_role("option", name="De hele zaal").click()
        if activity == "competentiespel":  # one group: who got which card, as a heatmap
            host.get_by_test_id("screen-mode").click()
            host.get_by_role("option", name="Groep 1").click()
            expect(screen.locator(".wp-matrix")).to_be_visible()
            settled(screen)
            assert size(screen)["height"] <= SCREEN["height"]
            screen.screenshot(path=str(IMG / "screen-heatmap.png"))
            host.get_by_test_id("screen-mode").click()
            host.get_by_role("option", name="De hele zaal").click()
        if activity == "bouwstenen":
            expect(wall.get_by_test_id("screen-pager")).to_contain_text("van 30")
            wall.screenshot(path=str(IMG / "screen-blocks.png"))

    expect(host.get_by_test_id("next-activity")).to_be_disabled()  # the last exercise

    # the replay: the scrubber's bubble is a clock, the speed label whole, and no errors while scrubbing
    href = host.get_by_test_id("replay-link").get_attribute("href")
    assert href
    replay = watch(browser.new_context(viewport=HOST).new_page(), "replay", errors)
    replay.goto(server.url + href)
    replay.get_by_test_id("chapter-vijf-schuiven-end").click()
    expect(replay.locator(".q-slider__pin-value-marker-text, .q-slider__text").first).to_have_text(
        re.compile(r"^\d+:\d\d(:\d\d)?$"))
    expect(replay.get_by_role("combobox", name="Snelheid")).to_be_visible()
    settled(replay)
    assert not errors, errors

    # deleting the session: a second host tab, the phones and the screen all say so
    second = watch(browser.new_context(viewport=HOST).new_page(), "host-2", errors)
    second.goto(host.url)
    expect(second.get_by_test_id("room-code")).to_have_text(code)
    host.get_by_test_id("delete-room").click()
    host.get_by_test_id("delete-confirm").click()
    expect(second.get_by_test_id("host-deleted")).to_be_visible()
    expect(screen.get_by_test_id("screen-deleted")).to_be_visible()
    expect(screen.get_by_test_id("screen-code")).to_have_count(0)
    for phone in phones[:3]:
        expect(phone.get_by_test_id("notice")).to_contain_text("verwijderd")
    assert not errors, errors
