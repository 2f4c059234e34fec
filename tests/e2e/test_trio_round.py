"""One whole trio round in real browsers: a host, three phones and the screen."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.axe_check import findings
from tests.e2e.conftest import Server
from tests.helpers import DIMENSIONS

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
PHONE: ViewportSize = {"width": 360, "height": 740}
DIM = "proces-bewoners"


def set_slider(page: Page, testid: str, value: int) -> None:
    """Move a QSlider with the keyboard, as someone who cannot drag would."""
    # QSlider takes keyboard focus on its track container, inside the element with the testid
    page.get_by_test_id(testid).locator("[tabindex]").first.focus()
    for _ in range(10):
        page.keyboard.press("PageDown")
    for _ in range(value // 10):
        page.keyboard.press("PageUp")
    for _ in range(value % 10):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id(testid.replace("slider-", "value-"))).to_have_text(str(value))


def test_a_trio_round_shows_divergence_everywhere(server: Server, browser: Browser) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    host = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    host.goto(server.url + "/")
    host.get_by_text("Zelf een sessie begeleiden").click()
    host.get_by_test_id("create-room").click()
    host.wait_for_url(re.compile(r"/host/"))
    code = host.get_by_test_id("room-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    screen_href = host.get_by_test_id("screen-link").get_attribute("href")
    assert screen_href and screen_href.endswith(f"/screen/{code}")
    join_href = host.get_by_test_id("join-link").get_attribute("href") or ""
    assert "t=" not in screen_href and join_href.endswith(f"/room/{code}")  # what the QR code holds too

    screen = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(screen_href)
    expect(screen.get_by_test_id("screen-code")).to_have_text(code)

    phones: list[Page] = []
    for name in ["Anna", "Bram", "Cem"]:
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        if name == "Anna":  # scanned the QR code: the room's own page asks her name
            phone.goto(join_href)
            expect(phone.get_by_test_id("join-code")).to_have_count(0)
            phone.screenshot(path=str(IMG / "phone-join.png"), full_page=False)
        else:  # typed the code on the start page, which sends them on
            phone.goto(f"{server.url}/?code={code}")
        phone.get_by_test_id("join-name").fill(name)
        phone.get_by_test_id("join-submit").click()
        phone.wait_for_url(re.compile(f"/room/{code}"))
        expect(phone.get_by_test_id("who")).to_have_text(name)
        phones.append(phone)
    expect(phones[0].get_by_test_id("group")).to_contain_text("Bram")

    host.get_by_test_id("start-vijf-schuiven").click()
    for phone in phones:
        expect(phone.get_by_test_id(f"slider-{DIM}-now")).to_be_visible()

    placements = {0: (20, 80), 1: (40, 70), 2: (75, 90)}
    for index in (0, 1):
        now, goal = placements[index]
        set_slider(phones[index], f"slider-{DIM}-now", now)
        set_slider(phones[index], f"slider-{DIM}-goal", goal)
    expect(phones[0].get_by_test_id(f"status-{DIM}")).to_contain_text("2 van 3")
    expect(phones[0].get_by_test_id(f"divergence-{DIM}")).to_have_count(0)
    phones[0].screenshot(path=str(IMG / "phone-waiting.png"), full_page=False)

    now, goal = placements[2]
    set_slider(phones[2], f"slider-{DIM}-now", now)
    moved_at = time.monotonic()
    set_slider(phones[2], f"slider-{DIM}-goal", goal)
    for phone in phones:
        expect(phone.get_by_test_id(f"divergence-{DIM}")).to_be_visible(timeout=3000)
    elapsed = time.monotonic() - moved_at
    for phone, name in zip(phones, ["Anna", "Bram", "Cem"], strict=True):
        expect(phone.get_by_test_id(f"markers-{DIM}")).to_contain_text("Bram: 40 / 70")
        # the markers are drawn once for the trio; each phone outlines its own two dots, no one else's
        box = phone.get_by_test_id(f"markers-{DIM}-box")
        expect(box.locator(".wp-dot")).to_have_count(6)
        mine = box.locator(".wp-dot.me")
        expect(mine).to_have_count(2)
        assert all(title.startswith(f"{name}: ") for title in mine.evaluate_all("ds => ds.map(d => d.title)"))
    # a co-member's move redraws the markers; the outline stays on the person's own dots
    set_slider(phones[1], f"slider-{DIM}-now", 45)
    expect(phones[0].get_by_test_id(f"markers-{DIM}")).to_contain_text("Bram: 45 / 70")
    expect(phones[0].get_by_test_id(f"markers-{DIM}-box").locator(".wp-dot.me[title^='Anna: ']")).to_have_count(2)
    set_slider(phones[1], f"slider-{DIM}-now", 40)
    expect(phones[0].get_by_test_id(f"markers-{DIM}")).to_contain_text("Bram: 40 / 70")
    expect(screen.get_by_test_id(f"screen-{DIM}")).to_contain_text("nu 45")
    expect(screen.get_by_test_id(f"screen-{DIM}")).to_contain_text("beoogd 80")
    expect(host.get_by_test_id("group-1")).to_contain_text("verschil")
    expect(host.get_by_test_id("summary")).to_contain_text("3 online", timeout=8000)
    assert elapsed < 3, f"divergence took {elapsed:.2f} s to reach all phones"

    # the revealed state passes axe too: divergence in words, markers with names and values for screen readers
    assert findings(phones[0]) == [] and findings(screen) == [] and findings(host) == []
    phones[0].get_by_test_id(f"divergence-{DIM}").scroll_into_view_if_needed()
    phones[0].screenshot(path=str(IMG / "phone-divergence.png"))
    screen.screenshot(path=str(IMG / "screen.png"))
    host.screenshot(path=str(IMG / "host.png"), full_page=True)

    # Reload a phone: same participant, same placements, no duplicate.
    phones[1].reload()
    expect(phones[1].get_by_test_id("who")).to_have_text("Bram")
    expect(phones[1].get_by_test_id(f"value-{DIM}-now")).to_have_text("40")
    expect(host.get_by_test_id("summary")).to_contain_text("3 deelnemers")

    # Lock: phones become read-only.
    host.get_by_test_id("lock").click()
    expect(phones[0].get_by_test_id("notice")).to_contain_text("vergrendeld")
    expect(phones[0].get_by_test_id(f"slider-{DIM}-now")).to_have_attribute("aria-disabled", "true")
    assert set(DIMENSIONS) >= {DIM}
