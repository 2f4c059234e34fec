"""Het goede gesprek in a group of four and in a duo, in real browsers (issue 17): two talk and the
others watch in turns; a duo talks and then looks back together with the checklist."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server
from tests.e2e.test_trio_round import PHONE


def test_the_good_conversation_in_a_four_and_a_duo(server: Server, browser: Browser) -> None:
    host = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    host.goto(server.url + "/")
    host.get_by_text("Zelf een sessie begeleiden").click()
    host.get_by_label("Groepsgrootte").click()
    host.get_by_role("option", name="4 per groep").click()
    host.get_by_test_id("create-room").click()
    host.wait_for_url(re.compile(r"/host/"))
    code = host.get_by_test_id("room-code").inner_text().strip()

    phones: list[Page] = []
    for name in ("Anna", "Bram", "Cem", "Dirk", "Eva", "Fleur"):
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        phone.goto(f"{server.url}/room/{code}")
        phone.get_by_test_id("join-name").fill(name)
        phone.get_by_test_id("join-submit").click()
        expect(phone.get_by_test_id("who")).to_have_text(name)
        phones.append(phone)
    anna, bram, cem, dirk, eva, fleur = phones  # four join group 1; the fifth and sixth form a duo

    host.get_by_test_id("start-goede-gesprek").click()
    for watcher in (anna, bram):
        expect(watcher.get_by_test_id("practice-role")).to_contain_text("Jij observeert")
        expect(watcher.get_by_test_id("practice-role")).to_contain_text("Cem en Dirk")
        expect(watcher.get_by_test_id("step-waarnemen")).to_be_enabled()
    for talker in (cem, dirk):
        expect(talker.get_by_test_id("practice-role")).to_contain_text("Anna en Bram kijkt mee")
        expect(talker.get_by_test_id("step-waarnemen")).to_be_disabled()
    for member in (eva, fleur):
        expect(member.get_by_test_id("practice-role")).to_contain_text("samen het gesprek")
    fleur.get_by_test_id("step-waarnemen").click()  # a duo ticks what it saw itself
    expect(eva.get_by_test_id("step-waarnemen")).to_be_checked()
    expect(anna.get_by_test_id("practice-advice")).to_contain_text("Tips voor een goed gesprek")

    anna.get_by_test_id("next-round").click()
    confirm = anna.get_by_test_id("next-round-confirm")
    if confirm.count():  # a new round for the whole group asks first
        confirm.click()
    expect(cem.get_by_test_id("practice-role")).to_contain_text("Jij observeert")
    expect(anna.get_by_test_id("practice-role")).to_contain_text("Cem en Dirk kijkt mee")
