"""The slider card in a real browser: what runs in ``slider_card.js`` (typing, the reason, a refusal)."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Browser, expect

from rooms.models import RoomState
from tests.e2e.conftest import Server
from tests.e2e.test_reliability import DIM, engine, phone_in, placed
from tests.e2e.test_trio_round import PHONE
from tests.helpers import wait_until


def reason_of(code: str, name: str, dim: str = DIM) -> str:
    state: RoomState = engine("load", code)
    member = next(p for p in state.participants.values() if p.name == name)
    return state.reasons.get("vijf-schuiven", {}).get(dim, {}).get(member.id, "")


def test_a_phone_types_numbers_and_a_reason(server: Server, browser: Browser) -> None:
    code = engine("room")
    phone = phone_in(browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True), server, code, "Anna")
    now = phone.get_by_test_id(f"number-{DIM}-now")
    goal = phone.get_by_test_id(f"number-{DIM}-goal")
    reason = phone.get_by_test_id(f"reason-{DIM}")

    # typing a number and pressing Enter places it, and moves the thumb there
    now.fill("64")
    now.press("Enter")
    expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("64")
    expect(phone.get_by_test_id(f"slider-{DIM}-now")).to_have_attribute("aria-valuenow", "64")
    assert placed(code, "Anna") == {"now": 64}

    # a number outside the scale is explained and stores nothing
    goal.fill("250")
    goal.press("Enter")
    expect(phone.get_by_text("0 tot 100").first).to_be_visible()
    expect(phone.get_by_test_id(f"value-{DIM}-goal")).to_have_text("—")
    assert placed(code, "Anna") == {"now": 64}

    # leaving the field places what it holds, as Enter does
    goal.fill("85")
    reason.click()
    expect(phone.get_by_test_id(f"value-{DIM}-goal")).to_have_text("85")

    # the reason is saved while typing (at most once a second) and when the field is left
    reason.fill("We praten al veel met bewoners")
    now.click()
    wait_until(lambda: reason_of(code, "Anna") == "We praten al veel met bewoners", what="the reason is stored")

    # a reload shows what the room stored: values, thumbs and the reason
    phone.reload()
    expect(phone.get_by_test_id(f"value-{DIM}-goal")).to_have_text("85")
    expect(phone.get_by_test_id(f"slider-{DIM}-goal")).to_have_attribute("aria-valuenow", "85")
    expect(phone.get_by_test_id(f"number-{DIM}-now")).to_have_value("64")
    expect(phone.get_by_test_id(f"reason-{DIM}")).to_have_value("We praten al veel met bewoners")


def test_live_reveal_shows_a_move_while_it_is_dragged(server: Server, browser: Browser) -> None:
    code = engine("room")
    engine("set_reveal_mode", code, "vijf-schuiven", "live")
    # a mouse drags here: Playwright has no touch moves, and Quasar listens to touch on a touch device
    anna, bram = (phone_in(browser.new_context(viewport=PHONE), server, code, name) for name in ("Anna", "Bram"))
    expect(anna.get_by_test_id("group")).to_contain_text("Bram")
    goal = anna.get_by_test_id(f"number-{DIM}-goal")  # a marker shows once both positions are placed
    goal.fill("30")
    goal.press("Enter")
    track = anna.get_by_test_id(f"slider-{DIM}-now")
    track.scroll_into_view_if_needed()
    box = track.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    anna.mouse.move(box["x"] + box["width"] * 0.5, y)
    anna.mouse.down()
    anna.mouse.move(box["x"] + box["width"] * 0.85, y, steps=8)
    # still held: Bram sees Anna's marker on the right half before she lets go
    expect(bram.get_by_test_id(f"markers-{DIM}")).to_contain_text(re.compile(r"Anna: ([6-9]\d|100) / 30"))
    assert placed(code, "Anna")["now"] > 60
    anna.mouse.up()


def test_the_next_round_starts_from_the_last_places(server: Server, browser: Browser) -> None:
    code = engine("room")
    phones = [phone_in(browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True), server, code, name)
              for name in ("Anna", "Bram", "Cem")]
    for phone, (now, goal) in zip(phones, ((20, 80), (40, 70), (75, 90)), strict=True):
        for position, value in (("now", now), ("goal", goal)):
            field = phone.get_by_test_id(f"number-{DIM}-{position}")
            field.fill(str(value))
            field.press("Enter")
            expect(phone.get_by_test_id(f"value-{DIM}-{position}")).to_have_text(str(value))
    anna = phones[0]
    expect(anna.get_by_test_id(f"markers-{DIM}")).to_contain_text("Cem: 75 / 90")
    anna.get_by_test_id("next-round").click()
    anna.get_by_test_id("next-round-confirm").click()  # the whole group's round: asked once more
    # a new round: nothing placed yet, the thumbs wait where they were, and one button places them there
    expect(anna.get_by_test_id(f"value-{DIM}-now")).to_have_text("—")
    expect(anna.get_by_test_id(f"number-{DIM}-now")).to_have_value("")  # not last round's number
    expect(anna.get_by_test_id(f"slider-{DIM}-now")).to_have_attribute("aria-valuenow", "20")
    anna.get_by_test_id(f"keep-{DIM}").click()
    expect(anna.get_by_test_id(f"value-{DIM}-now")).to_have_text("20")
    expect(anna.get_by_test_id(f"value-{DIM}-goal")).to_have_text("80")
    expect(anna.get_by_test_id(f"keep-{DIM}")).to_have_count(0)
    assert placed(code, "Anna") == {"now": 20, "goal": 80}


def test_a_card_s_updates_leave_out_what_never_changes_and_it_still_shows(server: Server, browser: Browser) -> None:
    code = engine("room")
    phone = phone_in(browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True), server, code, "Anna")
    frames: list[str] = []
    phone.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(payload if isinstance(payload, str) else payload.decode())))
    phone.reload()  # recorded from the page's first frame on
    card = phone.get_by_test_id(f"item-{DIM}")
    head = card.locator("details").first
    expect(head).to_contain_text("Waar let je op?")
    help_text = head.text_content()
    assert help_text and len(help_text) > 100

    for value in ("64", "70"):
        phone.get_by_test_id(f"number-{DIM}-now").fill(value)
        phone.get_by_test_id(f"number-{DIM}-now").press("Enter")
        expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text(value)
    wait_until(lambda: sum(f'"item-{DIM}"' in f for f in frames) >= 2, what="the card's updates over the socket")

    # the browser kept the title, the help and the positions' labels from the page
    assert head.text_content() == help_text
    expect(phone.get_by_test_id(f"slider-{DIM}-goal")).to_be_visible()
    expect(card).to_contain_text("Beoogde situatie")
    cards = [element for f in frames if f'"item-{DIM}"' in f and f.startswith("42")
             for element in json.loads(f[2:])[1].values()
             if isinstance(element, dict) and element.get("props", {}).get("data-testid") == f"item-{DIM}"]
    assert len(cards) >= 2
    for sent in cards:  # each update of the card: what changes, and the names of what the browser keeps
        assert not {"head", "positions", "low", "high"} & set(sent["props"]), sent["props"].keys()
        assert {"head", "positions"} <= set(sent["preserved_props"])
