"""axe-core (shipped by the axe-playwright-python wheel, a dev dependency) on every page, in Dutch and in English:
no serious or critical finding."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe_check import findings
from tests.e2e.conftest import Server
from tests.e2e.test_reliability import engine
from tests.e2e.test_trio_round import IMG, PHONE

PHONE_ACTIVITIES = ["casus", "vijf-schuiven", "bouwstenen", "koppelkansen", "sociale-innovatie",
                    "competentiespel", "goede-gesprek", "werkagenda"]


def small_targets(page: Page) -> list[str]:
    """Buttons and checkboxes a thumb cannot hit: smaller than 44 × 44 px."""
    small = page.evaluate("""() => [...document.querySelectorAll('.q-btn, .q-checkbox__inner')]
        .filter(el => el.offsetParent !== null)
        .map(el => [el.getBoundingClientRect(), el.innerText || el.getAttribute('aria-label') || el.className])
        .filter(([r]) => r.width < 43.5 || r.height < 43.5)
        .map(([r, name]) => `${String(name).slice(0, 30)} ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    return [f"target too small: {s}" for s in small]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_passes_axe(server: Server, browser: Browser, lang: str) -> None:
    query = "?lang=en" if lang == "en" else ""
    problems: dict[str, list[str]] = {}

    landing = browser.new_context(viewport=PHONE).new_page()
    landing.goto(f"{server.url}/{query}")
    landing.get_by_test_id("join-submit").wait_for()
    problems["landing"] = findings(landing)

    host = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    host.goto(f"{server.url}/{query}")
    host.get_by_text("Zelf een sessie begeleiden" if lang == "nl" else "Run a session yourself").click()
    host.get_by_test_id("create-room").click()
    host.wait_for_url(re.compile(r"/host/"))
    code = host.get_by_test_id("room-code").inner_text().strip()
    token = host.url.split("t=")[1].split("&")[0]
    if lang == "en" and "lang=en" not in host.url:
        host.goto(host.url + "&lang=en")

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{server.url}/room/{code}{query}")  # as the QR code sends it: the room's page asks the name
    phone.get_by_test_id("join-name").wait_for()
    problems["phone, joining"] = findings(phone)
    phone.get_by_test_id("join-name").fill("Anna")
    phone.get_by_test_id("join-submit").click()
    phone.get_by_test_id("who").wait_for()
    problems["phone, waiting"] = findings(phone)
    screen = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(f"{server.url}/screen/{code}{query}")
    screen.get_by_test_id("screen-code").wait_for()
    problems["screen, joining"] = findings(screen)
    for activity in PHONE_ACTIVITIES:
        host.get_by_test_id(f"start-{activity}").click()
        expect(phone.get_by_test_id("activity-title")).to_be_visible()
        phone.wait_for_timeout(300)
        problems[f"phone, {activity}"] = findings(phone) + small_targets(phone)
        if activity in {"vijf-schuiven", "competentiespel"}:
            problems[f"screen, {activity}"] = findings(screen)
    problems["host"] = findings(host)
    handout = browser.new_context(viewport={"width": 1000, "height": 1300}).new_page()
    handout.goto(f"{server.url}/handout/{code}{query}")
    handout.get_by_test_id("handout-code").wait_for()
    problems["handout"] = findings(handout)
    if lang == "nl":
        handout.screenshot(path=str(IMG / "handout.png"), full_page=True)
    replay = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    replay.goto(f"{server.url}/replay/{code}?t={token}" + ("&lang=en" if lang == "en" else ""))
    replay.get_by_test_id("replay-events").wait_for()
    problems["replay"] = findings(replay)
    assert engine("exists", code)
    found = {page: items for page, items in problems.items() if items}
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(items) for page, items in found.items())
