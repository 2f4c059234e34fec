"""Reasons beside the positions and the spotlight, in real browsers (issue 16).

A trio places one slider, each with a reason of their own (Anna also places the alderman's
view). Until the third placement no phone's websocket frames (nor page HTML) carry another
member's reason; after it, every phone lists all three in ``reasons-<item>``. The host opens the
hotspot (names and reasons) and puts it on the screen, which shows the markers and the three
reasons anonymised, then named once the host switches; one tap takes the screen back to the
room. The trio writes what would move the slider (it goes into the agenda). Then the host finds
the themes of the slider's reasons and puts one on the screen, without names. axe checks the
pages on the way.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe_check import findings
from tests.e2e.conftest import Server
from tests.e2e.test_privacy_frames import Recorder, place
from tests.e2e.test_reliability import host_starts_five_sliders
from tests.e2e.test_slider_card import reason_of
from tests.e2e.test_trio_round import IMG, PHONE
from tests.helpers import wait_until

DIM = "proces-bewoners"
# one made-up word each, so a frame that carries a reason in any form is found by it
WORDS = {"Anna": "Kleurpotloodfabriek", "Bram": "Zeehondencreche", "Cem": "Windmolenkoffie"}
REASONS = {
    "Anna": f"Bij de {WORDS['Anna']} beslissen bewoners al mee",
    "Bram": f"Sinds de {WORDS['Bram']} praten we alleen nog met de raad",
    "Cem": f"De {WORDS['Cem']} laat zien dat het nog niet zo ver is",
}
VALUES = {"Anna": (20, 80), "Bram": (55, 60), "Cem": (85, 40)}


def others_reasons(recorder: Recorder, name: str) -> list[str]:
    return [f"{recorder.who} received {other}'s reason: …{text[max(0, text.find(word) - 40):][:100]}…"
            for _step, text in recorder.strings()
            for other, word in WORDS.items() if other != name and word in text]


def test_a_trio_sees_its_reasons_after_the_reveal_and_the_host_spotlights_them(
        server: Server, browser: Browser) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    host, code = host_starts_five_sliders(browser, server)
    host.set_viewport_size({"width": 1366, "height": 900})
    screen = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(f"{server.url}/screen/{code}")
    expect(screen.get_by_test_id("screen-code")).to_have_text(code)
    recorders = {name: Recorder(name) for name in WORDS}
    phones: dict[str, Page] = {}
    for name in WORDS:
        phone = recorders[name].attach(browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
        phone.goto(f"{server.url}/?code={code}")
        phone.get_by_test_id("join-name").fill(name)
        phone.get_by_test_id("join-submit").click()
        phone.wait_for_url(re.compile(f"/room/{code}"))
        expect(phone.get_by_test_id("activity-title")).to_have_text("Vijf schuiven")
        phones[name] = phone

    # Each writes a reason; Anna and Bram place, Cem waits with his placement.
    for name, phone in phones.items():
        phone.get_by_test_id(f"reason-{DIM}").fill(REASONS[name])
        phone.get_by_test_id(f"number-{DIM}-now").click()  # leaving the field sends the reason
        def stored(name: str = name) -> bool:
            return WORDS[name] in reason_of(code, name, DIM)

        wait_until(stored, what=f"{name}'s reason is stored")
        if name != "Cem":
            for position, value in zip(("now", "goal"), VALUES[name], strict=True):
                place(phone, position, value)
        if name == "Anna":  # and where she thinks the alderman would put it (nobody has to)
            place(phone, "wethouder", 90)
    for name, phone in phones.items():  # each page as the room builds it: her own reason comes back to her
        phone.reload()
        expect(phone.get_by_test_id(f"reason-{DIM}")).to_have_value(REASONS[name])
    expect(phones["Cem"].get_by_test_id(f"status-{DIM}")).to_contain_text("2 van 3")
    expect(phones["Anna"].get_by_test_id(f"reasons-{DIM}")).to_have_count(0)
    for name, recorder in recorders.items():
        assert recorder.sockets and recorder.pages, f"{name}'s traffic was recorded"
        assert any(WORDS[name] in text for _s, text in recorder.strings()), f"{name}'s own reason came back to her"
        leaks = others_reasons(recorder, name)
        assert leaks == [], "a reason reached another phone before the reveal:\n" + "\n".join(leaks)

    # Cem places: the slider is revealed, and every phone lists all three reasons with the names.
    for position, value in zip(("now", "goal"), VALUES["Cem"], strict=True):
        place(phones["Cem"], position, value)
    for phone in phones.values():
        listed = phone.get_by_test_id(f"reasons-{DIM}")
        for name, reason in REASONS.items():
            expect(listed).to_contain_text(name)
            expect(listed).to_contain_text(reason)
    # a reason typed after the reveal appears at once
    phones["Bram"].get_by_test_id(f"reason-{DIM}").fill(REASONS["Bram"] + ", en dat wringt")
    phones["Bram"].get_by_test_id(f"number-{DIM}-now").click()
    expect(phones["Anna"].get_by_test_id(f"reasons-{DIM}")).to_contain_text("en dat wringt")
    # what would move it: the trio picks the slider and writes what is needed, together
    anna = phones["Anna"]
    anna.get_by_test_id("move-item").click()
    anna.get_by_role("option", name="Proces met bewoners").click()
    anna.get_by_test_id("move-need").fill("Een vast aanspreekpunt voor initiatieven")
    anna.get_by_test_id("move-item").click()  # leaving the text sends it
    anna.keyboard.press("Escape")
    expect(phones["Cem"].get_by_test_id("move-need")).to_have_value("Een vast aanspreekpunt voor initiatieven")
    expect(phones["Cem"].get_by_test_id("move-item")).to_contain_text("Proces met bewoners")
    phones["Anna"].get_by_test_id(f"reasons-{DIM}").scroll_into_view_if_needed()
    phones["Anna"].screenshot(path=str(IMG / "phone-reasons.png"))
    phone_problems = findings(phones["Anna"])

    # The host opens the hotspot: the group's markers with names and reasons.
    host.get_by_test_id(f"hotspot-1-{DIM}").click()
    opened = host.get_by_test_id(f"hotspot-reasons-1-{DIM}")
    for name, reason in REASONS.items():
        expect(opened).to_contain_text(name)
        expect(opened).to_contain_text(reason)
    expect(host.get_by_test_id(f"host-reasons-1-{DIM}")).to_contain_text(REASONS["Cem"])  # the group's card
    host.get_by_test_id(f"spotlight-1-{DIM}").click()

    # The screen: the slider, the markers and the three reasons, anonymised by default.
    spot = screen.get_by_test_id("spotlight")
    expect(spot).to_contain_text("Proces met bewoners")
    for reason in REASONS.values():
        expect(spot).to_contain_text(reason)
    for letter in "ABC":
        expect(spot).to_contain_text(f"Deelnemer {letter}")
    expect(spot.locator(".wp-dot")).to_have_count(7)  # three members, now and goal; Anna's alderman
    for name in WORDS:
        expect(spot).not_to_contain_text(name)
    expect(host.get_by_test_id("spotlight-current")).to_contain_text("anoniem")
    screen.wait_for_timeout(300)  # the dots are placed; freeze nothing else moves on this page
    screen.screenshot(path=str(IMG / "screen-spotlight.png"))
    screen_problems = findings(screen)
    host.get_by_test_id("hotspots").screenshot(path=str(IMG / "host-hotspot.png"))
    host_problems = findings(host)

    # The host switches to names; then one tap takes the screen back to the room.
    host.get_by_test_id("spotlight-names").click()
    for name, reason in REASONS.items():
        expect(spot).to_contain_text(f"{name} ")
        expect(spot).to_contain_text(reason)
    expect(spot).not_to_contain_text("Deelnemer A")
    host.get_by_test_id("spotlight-off").click()
    expect(screen.get_by_test_id(f"screen-{DIM}")).to_be_visible()
    expect(screen.get_by_test_id("spotlight")).to_have_count(0)
    expect(host.get_by_test_id("spotlight-current")).to_have_count(0)

    # Themes: the host finds the themes of the slider's reasons and puts one on the screen, without names.
    host.get_by_test_id("themes-item").click()
    host.get_by_role("option", name="Proces met bewoners").click()
    host.get_by_test_id("themes-find").click()
    themes = host.get_by_test_id("themes")
    expect(themes.locator("[data-testid^=theme-show-]").first).to_be_visible()
    for name in WORDS:
        expect(themes).to_contain_text(name)  # the host sees who wrote what
    themes_problems = findings(host)
    themes.locator("[data-testid^=theme-show-]").first.click()
    shown = screen.get_by_test_id("screen-theme")
    expect(shown).to_contain_text("Proces met bewoners")
    assert any(reason in shown.inner_text() for reason in REASONS.values())
    for name in WORDS:
        expect(shown).not_to_contain_text(name)
    host.get_by_test_id("screen-mode").click()
    host.get_by_role("option", name="De hele zaal").click()
    expect(screen.get_by_test_id(f"screen-{DIM}")).to_be_visible()

    problems = {"phone with reasons": phone_problems, "host, themes": themes_problems,
                "screen, spotlight": screen_problems, "host, hotspot open": host_problems}
    found = {page: items for page, items in problems.items() if items}
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(items) for page, items in found.items())
