"""A trio through the competence game and the agenda in real browsers, after a bad template
upload was refused with the file, the field and the reason."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.axe_check import findings
from tests.e2e.conftest import Server
from tests.e2e.test_trio_round import IMG, PHONE


def join(browser: Browser, url: str, code: str, name: str) -> Page:
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{url}/?code={code}")
    phone.get_by_test_id("join-name").fill(name)
    phone.get_by_test_id("join-submit").click()
    phone.wait_for_url(re.compile(f"/room/{code}"))
    expect(phone.get_by_test_id("who")).to_have_text(name)
    return phone


def create_after_upload(host: Page) -> None:
    """Create the room right after a refused upload and follow the way to its host page.

    Two ways this went wrong in CI, once each in many runs and never on a quiet machine: the
    redirect was not followed (the page then offers the link ``host-link``), and the click on
    "Nieuwe sessie maken" got no answer at all (neither redirect nor link; the page had been
    reloaded, the form collapsed). A facilitator clicks again; so does this test, once, and the
    server's log is printed with the failure if it happens twice."""
    for _ in range(2):
        if not host.get_by_test_id("create-room").is_visible():
            host.get_by_text("Zelf een sessie begeleiden").click()
        host.get_by_test_id("create-room").click()
        try:
            host.wait_for_url(re.compile(r"/host/"), timeout=10_000)
            return
        except PlaywrightTimeout:
            pass
        link = host.get_by_test_id("host-link")
        if link.count():
            link.click()
            host.wait_for_url(re.compile(r"/host/"))
            return
    raise AssertionError("two clicks on create-room led to no host page")


def test_competence_game_and_agenda_in_browsers(server: Server, browser: Browser) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    host = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    host.goto(server.url + "/")
    host.get_by_text("Zelf een sessie begeleiden").click()
    bad = Path(tempfile.mkdtemp()) / "mijn-programma.yaml"
    bad.write_text("id: mijn\ntitle: {nl: Mijn}\nactivities:\n  - kind: sort\n    id: s\n    title: {nl: S}\n"
                   "    items: [{id: a, label: {nl: A}}]\n    bins: [{id: x, label: {nl: X}}]\n")
    host.get_by_test_id("template-upload").locator("input[type=file]").set_input_files(str(bad))
    error = host.get_by_test_id("template-error")
    expect(error).to_contain_text("mijn-programma.yaml")
    expect(error).to_contain_text("bins")
    expect(host.get_by_test_id("template-name")).to_contain_text("standaard")
    create_after_upload(host)
    code = host.get_by_test_id("room-code").inner_text().strip()
    screen = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(f"{server.url}/screen/{code}")
    anna, bram, cem = (join(browser, server.url, code, name) for name in ("Anna", "Bram", "Cem"))

    host.get_by_test_id("start-casus").click()
    anna.get_by_test_id("text-omschrijving").fill("Ideeën van inwoners komen niet tot uitvoering.")
    anna.get_by_test_id("text-titel").fill("Initiatiefnemers")
    expect(cem.get_by_test_id("text-omschrijving")).to_have_value("Ideeën van inwoners komen niet tot uitvoering.")

    # the building blocks end in actions; the agenda proposes them (below)
    host.get_by_test_id("start-bouwstenen").click()
    anna.get_by_test_id("new-note").fill("Geld vrijmaken kost maanden")
    anna.get_by_test_id("add-note").click()
    expect(bram.get_by_test_id("text-note-1")).to_have_value("Geld vrijmaken kost maanden")
    anna.get_by_test_id("text-acties").fill("Bewoners enthousiasmeren voor een buurtfeest\nWethouder uitnodigen")
    expect(cem.get_by_test_id("text-acties")).to_have_value(
        "Bewoners enthousiasmeren voor een buurtfeest\nWethouder uitnodigen")

    host.get_by_test_id("start-competentiespel").click()
    for phone in (anna, bram, cem):
        expect(phone.get_by_test_id("card-label")).to_have_text("Enthousiasmeren")
    anna.get_by_test_id("assign-member-2").click()
    bram.get_by_test_id("assign-member-2").click()
    bram.get_by_test_id("assign-member-3").click()
    expect(cem.get_by_test_id("card-status")).to_contain_text("2 van 3")
    expect(cem.get_by_test_id("card-result")).not_to_contain_text("Anna")
    cem.get_by_test_id("assign-member-2").click()
    for phone in (anna, bram, cem):
        expect(phone.get_by_test_id("card-result")).to_contain_text("Anna: Bram")
        expect(phone.get_by_test_id("card-divergence")).to_be_visible()
    expect(anna.get_by_test_id("team-profile")).to_be_visible()
    expect(anna.get_by_test_id("cards-overview")).to_contain_text("Bram: Enthousiasmeren")
    expect(host.get_by_test_id("group-1")).to_contain_text("Bram: Enthousiasmeren")
    expect(screen.get_by_test_id("screen-groups")).to_contain_text("Bram: Enthousiasmeren")
    expect(screen.get_by_test_id("screen-groups")).to_contain_text("Cem: genoemd door sommigen: Enthousiasmeren")
    assert findings(anna) == [] and findings(screen) == []
    anna.get_by_test_id("card-divergence").scroll_into_view_if_needed()
    anna.screenshot(path=str(IMG / "phone-cards.png"))
    screen.screenshot(path=str(IMG / "screen-cards.png"))

    host.get_by_test_id("start-werkagenda").click()
    # the case's title and description (the title typed just before the next activity started is
    # no longer lost: issue 15)
    expect(bram.get_by_test_id("agenda-omschrijving")).to_have_value(
        "Initiatiefnemers\nIdeeën van inwoners komen niet tot uitvoering.")
    expect(bram.get_by_test_id("agenda-suggestions")).to_contain_text("Bram: Enthousiasmeren")
    # the building blocks' actions are proposals: counted on the host, taken over with one tap
    expect(bram.get_by_test_id("agenda-proposal-1")).to_contain_text("Voorstel uit Zeven bouwstenen")
    expect(bram.get_by_test_id("agenda-proposal-2")).to_contain_text("Wethouder uitnodigen")
    expect(bram.get_by_test_id("agenda-reflectie")).not_to_have_value(re.compile("Wethouder"))
    expect(host.get_by_test_id("group-1")).to_contain_text("nog niet overgenomen: 2")
    bram.get_by_test_id("agenda-take-1").click()
    expect(cem.get_by_test_id("action-1-what")).to_have_value("Bewoners enthousiasmeren voor een buurtfeest")
    expect(anna.get_by_test_id("agenda-proposal-1")).to_have_count(0)
    expect(anna.get_by_test_id("agenda-proposal-2")).to_be_visible()
    # the competence game proposes Bram (the group gave him Enthousiasmeren); one tap fills wie
    expect(anna.get_by_test_id("owner-proposal-action-1")).to_contain_text("Voorstel: Bram (Enthousiasmeren)")
    expect(anna.get_by_test_id("action-1-who")).to_have_value("")
    anna.get_by_test_id("owner-proposal-action-1").click()
    expect(cem.get_by_test_id("action-1-who")).to_have_value("Bram")
    expect(cem.get_by_test_id("owner-proposal-action-1")).to_be_hidden()
    bram.get_by_test_id("add-action").click()
    bram.get_by_test_id("action-2-what").fill("Spreekuur in het dorpshuis")
    bram.get_by_test_id("action-2-who").fill("Bram")
    # Cem types in another field at the same time: both edits land
    anna.get_by_test_id("agenda-oppakken").fill("Gesprek met de initiatiefnemers")
    expect(cem.get_by_test_id("action-2-what")).to_have_value("Spreekuur in het dorpshuis")
    expect(cem.get_by_test_id("agenda-oppakken")).to_have_value("Gesprek met de initiatiefnemers")
    expect(host.get_by_test_id("group-1")).to_contain_text("Spreekuur in het dorpshuis")
    expect(host.get_by_test_id("group-1")).to_contain_text("nog niet overgenomen: 1")
    expect(screen.get_by_test_id("screen-lines")).to_contain_text("2 acties afgesproken")
    assert findings(bram) == [] and findings(host) == []
    bram.get_by_test_id("agenda-proposal-2").scroll_into_view_if_needed()
    bram.screenshot(path=str(IMG / "phone-agenda.png"))
    host.screenshot(path=str(IMG / "host-programme.png"), full_page=True)

    # After the session: a PDF report through the RQ worker, then the replay.
    host.get_by_test_id("export-pdf").click()
    with host.expect_download(timeout=30000) as download:
        host.get_by_test_id("download-pdf").click(timeout=30000)
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    replay_href = host.get_by_test_id("replay-link").get_attribute("href")
    assert replay_href
    replay = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    replay.goto(server.url + replay_href)
    expect(replay.get_by_test_id("replay-events")).to_contain_text("Start: Lokale werkagenda")
    replay.get_by_test_id("chapter-competentiespel-end").click()
    expect(replay.get_by_test_id("replay-screen")).to_contain_text("Competentiespel")
    expect(replay.get_by_test_id("replay-groups")).to_contain_text("Bram: Enthousiasmeren")
    replay.screenshot(path=str(IMG / "replay.png"), full_page=True)


def test_a_phone_with_a_code_gets_the_facilitators_form_only_when_it_opens_it(server: Server, browser: Browser) -> None:
    """A whole room opens the start page with the code at once: the form for facilitators is built
    on demand there (and exactly once), and works like the one on the plain start page."""
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{server.url}/?code=ABCDEF")
    expect(page.get_by_test_id("join-submit")).to_be_visible()
    assert page.get_by_test_id("create-room").count() == 0
    toggle = page.get_by_text("Zelf een sessie begeleiden")
    toggle.click()
    expect(page.get_by_test_id("create-room")).to_be_visible()
    toggle.click()
    toggle.click()
    expect(page.get_by_test_id("create-room")).to_have_count(1)
    page.get_by_test_id("create-room").click()
    try:
        page.wait_for_url(re.compile(r"/host/"), timeout=10_000)
    except PlaywrightTimeout:  # the known missed redirect (see above): the page shows the link too
        page.get_by_test_id("host-link").click()
        page.wait_for_url(re.compile(r"/host/"))
    expect(page.get_by_test_id("room-code")).to_be_visible()
