"""Real co-editing in real browsers (issue 15): a trio types into the case at once, one phone
offline for five seconds mid-sentence, and every phone, the host page, the screen and the JSON
export end with the same texts, holding every letter each person typed, in their order."""

from __future__ import annotations

import asyncio
import json
import re
import time

from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, async_playwright, expect
from redis.asyncio import Redis

from rooms.exports import to_json
from rooms.store import RoomStore
from tests.conftest import REDIS_URL
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server

PHONE: ViewportSize = {"width": 390, "height": 844}
TITLE = "een twee drie vier vijf zes zeven acht"


def in_order(text: str, typed: str) -> bool:
    """Whether every letter of ``typed`` is in ``text``, in the order it was typed."""
    letters = iter(text)
    return all(ch in letters for ch in typed)


async def join(browser: Browser, url: str, code: str, name: str) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = await context.new_page()
    await phone.goto(f"{url}/?code={code}")
    await phone.get_by_test_id("join-name").fill(name)
    await phone.get_by_test_id("join-submit").click()
    await phone.wait_for_url(re.compile(f"/room/{code}"))
    await expect(phone.get_by_test_id("who")).to_have_text(name)
    return context, phone


async def hosted(browser: Browser, url: str) -> tuple[Page, str]:
    """A facilitator creates a session through the start page: their page and the room's code."""
    host = await (await browser.new_context(viewport={"width": 1366, "height": 900})).new_page()
    await host.goto(url + "/")
    await host.get_by_text("Zelf een sessie begeleiden").click()
    await host.get_by_test_id("create-room").click()
    await host.wait_for_url(re.compile(r"/host/"))
    return host, (await host.get_by_test_id("room-code").inner_text()).strip()


async def field(phone: Page, testid: str) -> str:
    return await phone.get_by_test_id(testid).input_value()


async def type_at_end(phone: Page, testid: str, text: str, delay: float) -> None:
    box = phone.get_by_test_id(testid)
    await box.click()
    await box.press("End")
    await box.press("Control+End")
    await phone.keyboard.type(text, delay=delay)


async def settled(pages: list[Page], testid: str, within: float = 30.0) -> str:
    """The text every page shows once they all show the same."""
    deadline = time.monotonic() + within
    while True:
        seen = [await field(p, testid) for p in pages]
        if len(set(seen)) == 1 or time.monotonic() > deadline:
            assert len(set(seen)) == 1, f"{testid} differs between the phones: {seen}"
            return seen[0]
        await asyncio.sleep(0.25)


async def scenario(url: str) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        host, code = await hosted(browser, url)
        screen = await (await browser.new_context(viewport={"width": 1920, "height": 1080})).new_page()
        await screen.goto(f"{url}/screen/{code}")
        joined = [await join(browser, url, code, name) for name in ("Anna", "Bram", "Cem")]
        (_a, anna), (bram_context, bram), (_c, cem) = joined
        phones = [anna, bram, cem]
        await host.get_by_test_id("start-casus").click()
        for phone in phones:
            await expect(phone.get_by_test_id("text-titel")).to_be_visible()

        # alone, at 100 ms a key: the title arrives exactly as typed, everywhere
        await type_at_end(anna, "text-titel", TITLE, 100)
        for phone in phones:
            await expect(phone.get_by_test_id("text-titel")).to_have_value(TITLE, timeout=15_000)
        await expect(host.get_by_text(TITLE, exact=False).first).to_be_visible(timeout=15_000)

        # three at once: two in the description, one adding to the title; Bram goes offline mid-sentence
        words = {
            "anna": "Inwoners hebben ideeen voor de wijk",
            "bram": "maar de gemeente reageert traag en onduidelijk",
            "cem": " met de jongeren van Stadshagen",
        }

        async def bram_types() -> None:
            half = len(words["bram"]) // 2
            await type_at_end(bram, "text-omschrijving", words["bram"][:half], 120)
            await bram_context.set_offline(True)
            started = time.monotonic()
            await bram.keyboard.type(words["bram"][half:], delay=120)  # typed while offline
            await asyncio.sleep(max(0.0, 5.0 - (time.monotonic() - started)))
            # what Bram typed offline is on his phone only, until he is back
            seen[0] = await field(anna, "text-omschrijving")
            seen[1] = await field(bram, "text-omschrijving")
            await bram_context.set_offline(False)

        seen = ["", ""]
        await asyncio.gather(
            type_at_end(anna, "text-omschrijving", words["anna"], 50),
            bram_types(),
            type_at_end(cem, "text-titel", words["cem"], 300),
        )
        half = len(words["bram"]) // 2
        assert len(seen[0]) <= len(words["anna"]) + half, seen  # nothing of Bram's offline half yet
        assert in_order(seen[1], words["bram"]), seen  # which his own phone showed all along
        description = await settled(phones, "text-omschrijving")
        title = await settled(phones, "text-titel")
        assert title == TITLE + words["cem"]
        assert in_order(description, words["anna"]) and in_order(description, words["bram"])
        assert len(description) == len(words["anna"]) + len(words["bram"])

        # the host corrects the description as one more editor, while Anna adds a word
        await host.get_by_test_id("correct-text").click()
        await host.get_by_test_id("correct-choice").click()
        await host.get_by_role("option").filter(has_text="omschrijving").click()
        await expect(host.get_by_test_id("correct-box")).to_have_value(description)
        await asyncio.gather(type_at_end(host, "correct-box", " (klopt)", 150),
                             type_at_end(anna, "text-omschrijving", " ja", 200))
        description = await settled([*phones], "text-omschrijving")
        assert len(description) == len(words["anna"]) + len(words["bram"]) + len(" (klopt)") + len(" ja")
        assert in_order(description, " (klopt)") and in_order(description, " ja")
        await expect(host.get_by_test_id("correct-box")).to_have_value(description)
        await host.get_by_test_id("correct-close").click()

        # a reload starts from the room's document, and typing goes on from there
        await cem.reload()
        await expect(cem.get_by_test_id("text-omschrijving")).to_have_value(description)
        await type_at_end(cem, "text-omschrijving", ".", 100)
        description = await settled(phones, "text-omschrijving")
        assert description.endswith(".")

        # the host page and the screen show the same texts
        for page in (host, screen):
            await expect(page.get_by_text(description, exact=False).first).to_be_visible(timeout=15_000)
            await expect(page.get_by_text(title, exact=False).first).to_be_visible(timeout=15_000)
        # and so does the JSON export, folded from the room's events
        redis = Redis.from_url(REDIS_URL, decode_responses=True)
        try:
            store = RoomStore(redis)
            events = [e for _, e in await store.events(code)]
        finally:
            await redis.aclose()
        exported = json.loads(to_json(events))["state"]["texts"]["casus"]["g1"]
        assert exported == {"titel": title, "omschrijving": description}
        await browser.close()


def test_a_trio_types_together_and_nothing_is_lost(server: Server) -> None:
    asyncio.run(scenario(server.url))


async def reopened(url: str) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        host, code = await hosted(browser, url)
        (_a, anna), (bram_context, bram) = [await join(browser, url, code, name) for name in ("Anna", "Bram")]
        await host.get_by_test_id("start-casus").click()
        await type_at_end(anna, "text-titel", "Skatebaan", 60)
        await expect(bram.get_by_test_id("text-titel")).to_have_value("Skatebaan")
        await bram_context.set_offline(True)
        await type_at_end(bram, "text-titel", " in Coevorden", 80)
        await bram.close()  # the tab closed while offline: what he typed is only in his browser
        await asyncio.sleep(1)
        await expect(anna.get_by_test_id("text-titel")).to_have_value("Skatebaan")
        await bram_context.set_offline(False)
        again = await bram_context.new_page()
        await again.goto(f"{url}/room/{code}")
        for page in (again, anna):
            await expect(page.get_by_test_id("text-titel")).to_have_value("Skatebaan in Coevorden", timeout=15_000)
        await browser.close()


def test_what_a_phone_typed_offline_survives_closing_the_page(server: Server) -> None:
    asyncio.run(reopened(server.url))


async def both_at_the_end(url: str) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        host, code = await hosted(browser, url)
        (_a, anna), (_c, cem) = [await join(browser, url, code, name) for name in ("Anna", "Cem")]
        await host.get_by_test_id("start-casus").click()
        # both click into the empty title and type at its end at the same time, at human speed
        await asyncio.gather(type_at_end(anna, "text-titel", "Skatebaan", 150),
                             type_at_end(cem, "text-titel", " 2027", 170))
        title = await settled([anna, cem], "text-titel")
        # each one's letters stay together (the two runs in either order), never one letter each
        assert title in ("Skatebaan 2027", " 2027Skatebaan"), title
        await browser.close()


def test_two_people_typing_at_the_end_of_one_field_keep_their_words_whole(server: Server) -> None:
    asyncio.run(both_at_the_end(server.url))
