"""Privacy by construction, seen from the wire: what one member does alone reaches neither the
other members of her trio nor the projector, through *vijf-schuiven*, *koppelkansen*,
*competentiespel* and the *werkagenda* that is pre-filled from them.

Every websocket frame (and the HTML of every page load, which carries NiceGUI's first element
tree) that Bram's, Cem's and the screen's browsers receive is recorded and searched for values
only Anna could have produced, in the forms the app renders them. So that a broken recorder or a
pattern that can never match does not let the test pass, Anna's own traffic must contain each of
them, and the placement pattern must match the trio's agenda once Bram and Cem have placed too.
The name of her own option is not among them: an own option is the group's at once (all three may
pick it); that she chose it is hers.

Not covered here: a ``scope: member`` text shown on the projector. The default programme
(``assets/templates/wijkgericht-werken.yaml``) has no member-scope text (``casus`` is
``scope: group``), so a browser cannot get there without an uploaded programme.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Page, Response, WebSocket, expect
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import Server
from tests.e2e.test_reliability import host_starts_five_sliders
from tests.e2e.test_slider_card import reason_of
from tests.e2e.test_trio_round import PHONE
from tests.helpers import wait_until

DIM = "proces-bewoners"
REASON_WORD = "Zwartewaterkloosterdijk"
OWN_OPTION = "Wadlooprondetafelberaad"
CHOSEN = "Klimaatadaptatie"  # option-klimaatadaptatie
GIVEN = {"Enthousiasmeren": "Bram", "De juiste personen zoeken": "Cem"}  # card 1 and card 3 of the deck
BARRIER = "Afgesproken in het buurthuis"  # Anna writes it in the shared agenda last: the others get it

PLACEMENT = "her placement 13 → 97"
CONTROL = "control"  # the step after the checked ones, where the trio completes (see the test's end)
_chosen = "|".join(re.escape(o) for o in (CHOSEN, OWN_OPTION))
_cards = "|".join(re.escape(c) for c in GIVEN)
_names = "|".join(GIVEN.values())
# What Anna alone did, as it would show when rendered anywhere (agenda pre-fill, markers, results,
# suggestions, her own buttons): each pattern matches inside one text, never across two.
SECRETS: dict[str, re.Pattern[str]] = {
    "her reason": re.compile(REASON_WORD),
    # "Proces met bewoners: nu 13 → beoogd 97" (summaries) or "Anna: 13 / 97" (markers)
    PLACEMENT: re.compile(r"(?<![\d.])13\s*(?:→|/)\s*(?:beoogd\s*)?97(?![\d.])"),
    # "Gekozen: Klimaatadaptatie (1), Wadloop… (1)", "<b>Klimaatadaptatie</b>: Anna", "✓ Klimaatadaptatie".
    # The own option's name itself is the group's at once (an option all three may pick, see
    # tests/store/test_activities.py); that she chose it is hers.
    "her choices": re.compile(rf"(?:{_chosen}) \(\d+\)|(?:{_chosen})</b>:|✓ (?:{_chosen})"),
    # "Bram: Enthousiasmeren" (suggestions, profile) or "Enthousiasmeren: Bram" (her card overview)
    "the cards she gave": re.compile(rf"\b(?:{_names})(?:</b>)?: [^;<\"]*(?:{_cards})|(?:{_cards}): (?:{_names})\b"),
}


@dataclass
class Recorder:
    """Everything one page receives from the server: websocket frames and page HTML, by step."""

    who: str
    step: str = "vijf-schuiven"
    texts: list[tuple[str, str]] = field(default_factory=list)
    sockets: int = 0
    pages: int = 0

    def attach(self, page: Page) -> Page:
        page.on("websocket", self._socket)
        page.on("response", self._response)
        return page

    def _socket(self, ws: WebSocket) -> None:
        self.sockets += 1
        ws.on("framereceived", lambda payload: self._add(payload))

    def _response(self, response: Response) -> None:
        kind = response.request.resource_type
        if kind == "document" or "/_nicegui_ws/" in response.url:  # a page, or socket.io by long polling
            try:
                body = response.text()
            except PlaywrightError:  # a redirect has no body
                return
            self.pages += kind == "document"
            self._add(body)

    def _add(self, payload: str | bytes) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        self.texts.append((self.step, text))

    def strings(self) -> list[tuple[str, str]]:
        """(step, one text) for every string the page received: JSON strings one by one, HTML unescaped."""
        out: list[tuple[str, str]] = []
        for step, raw in self.texts:
            start = raw.find("[")
            try:
                decoded = json.loads(raw[start:]) if start >= 0 and not raw.lstrip().startswith("<") else None
            except ValueError:
                decoded = None
            if decoded is None:
                out.append((step, html.unescape(_unescape_json(raw))))
            else:
                out += [(step, s) for s in _strings(decoded)]
        return out

    def found(self, name: str, step: str = "") -> list[str]:
        """Where this page received ``SECRETS[name]``: in ``step`` if given, else in any step but the control."""
        pattern = SECRETS[name]
        hits = []
        for when, text in self.strings():
            if (when != step) if step else (when == CONTROL):
                continue
            match = pattern.search(text)
            if match:
                around = text[max(0, match.start() - 60): match.end() + 40].replace("\n", " ")
                hits.append(f"{self.who} [{when}] {name}: …{around}…")
        return hits


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node, *_carried(node)]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


_BASE64 = re.compile(r"[A-Za-z0-9+/]{12,}={0,2}")


def _carried(text: str) -> list[str]:
    """The letters the shared texts' Yjs updates and documents in ``text`` carry (base64 of a
    binary in which inserted text is UTF-8; issue 15), so a leak cannot hide in one."""
    out = []
    for match in _BASE64.finditer(text):
        run = match.group()
        try:
            out.append(base64.b64decode(run + "=" * (-len(run) % 4)).decode("utf-8", "replace"))
        except ValueError:
            continue
    return out


def _unescape_json(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text).replace("\\n", "\n")


def place(phone: Page, position: str, value: int) -> None:
    number = phone.get_by_test_id(f"number-{DIM}-{position}")
    number.fill(str(value))
    number.press("Enter")
    expect(phone.get_by_test_id(f"value-{DIM}-{position}")).to_have_text(str(value))


def test_what_one_member_does_alone_reaches_nobody_else(server: Server, browser: Browser) -> None:
    recorders = {who: Recorder(who) for who in ("Anna", "Bram", "Cem", "screen")}
    host, code = host_starts_five_sliders(browser, server)
    screen = recorders["screen"].attach(browser.new_context(viewport={"width": 1920, "height": 1080}).new_page())
    screen.goto(f"{server.url}/screen/{code}")
    expect(screen.get_by_test_id("screen-code")).to_have_text(code)
    phones: dict[str, Page] = {}
    for name in ("Anna", "Bram", "Cem"):
        phone = recorders[name].attach(browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
        phone.goto(f"{server.url}/?code={code}")
        phone.get_by_test_id("join-name").fill(name)
        phone.get_by_test_id("join-submit").click()
        phone.wait_for_url(re.compile(f"/room/{code}"))
        expect(phone.get_by_test_id("who")).to_have_text(name)
        phones[name] = phone
    anna, bram, cem = phones["Anna"], phones["Bram"], phones["Cem"]
    expect(anna.get_by_test_id("group")).to_contain_text("Bram")
    expect(anna.get_by_test_id("group")).to_contain_text("Cem")

    def start(activity: str, title: str, step: str = "") -> None:
        for recorder in recorders.values():
            recorder.step = step or activity
        host.get_by_test_id(f"start-{activity}").click()
        for page in (anna, bram, cem):
            expect(page.get_by_test_id("activity-title")).to_have_text(title)
        expect(screen.get_by_test_id("screen-title")).to_contain_text(title)

    # Vijf schuiven: Anna places Proces met bewoners at 13 → 97 and says why; Bram and Cem wait.
    for page in (anna, bram, cem):
        expect(page.get_by_test_id("activity-title")).to_have_text("Vijf schuiven")
    for position, value in (("now", 13), ("goal", 97)):
        place(anna, position, value)
    anna.get_by_test_id(f"reason-{DIM}").fill(f"Zoals aan de {REASON_WORD}: bewoners doen mee")
    anna.get_by_test_id(f"number-{DIM}-now").click()
    wait_until(lambda: REASON_WORD in reason_of(code, "Anna", DIM), what="Anna's reason is stored")
    anna.reload()  # her page as it is built from the room: her reason comes back to her
    expect(anna.get_by_test_id(f"reason-{DIM}")).to_have_value(re.compile(REASON_WORD))
    expect(bram.get_by_test_id(f"status-{DIM}")).to_contain_text("1 van 3")

    # Koppelkansen: Anna picks an option and adds one of her own.
    start("koppelkansen", "Koppelkansen")
    anna.get_by_test_id("option-klimaatadaptatie").click()
    anna.get_by_test_id("own-option").fill(OWN_OPTION)
    anna.get_by_test_id("own-add").click()
    expect(anna.get_by_test_id("option-own-1")).to_contain_text(OWN_OPTION)
    expect(anna.get_by_test_id("option-klimaatadaptatie")).to_contain_text("✓")
    expect(cem.get_by_test_id("choice-status")).to_contain_text("1 van 3")

    # Competentiespel: Anna gives card 1 to Bram and card 3 to Cem.
    start("competentiespel", "Competentiespel")
    expect(anna.get_by_test_id("card-label")).to_have_text("Enthousiasmeren")
    anna.get_by_test_id("assign-member-2").click()
    anna.get_by_test_id("card-next").click()
    anna.get_by_test_id("card-next").click()
    expect(anna.get_by_test_id("card-label")).to_have_text("De juiste personen zoeken")
    anna.get_by_test_id("assign-member-3").click()
    expect(anna.get_by_test_id("cards-overview")).to_contain_text("De juiste personen zoeken: Cem")
    expect(bram.get_by_test_id("card-status")).to_contain_text("1 van 3")

    # Werkagenda: pre-filled from what the group did. Anna writes one shared line last; once the others
    # and the screen show it, everything sent to them before it has arrived too.
    start("werkagenda", "Lokale werkagenda")
    expect(anna.get_by_test_id("agenda-reflectie")).to_be_visible()
    anna.get_by_test_id("agenda-oppakken").fill(BARRIER)
    for page in (bram, cem):
        expect(page.get_by_test_id("agenda-oppakken")).to_have_value(BARRIER)
    expect(screen.get_by_test_id("screen-groups")).to_contain_text(BARRIER)

    for who, recorder in recorders.items():
        assert recorder.sockets and recorder.pages, f"{who}'s websocket and page HTML were recorded"
        received = [text for step, text in recorder.strings() if step == "werkagenda"]
        assert any("Lokale werkagenda" in text for text in received), f"{who}'s frames of the agenda were recorded"
        if who != "Anna":
            assert any(BARRIER in text for text in received), f"{who}'s frames carry what the group shares"
    leaks = [hit for who in ("Bram", "Cem", "screen") for name in SECRETS for hit in recorders[who].found(name)]
    mine = [name for name in SECRETS if name != PLACEMENT]  # the agenda may or may not show her own placement
    missing = [name for name in mine if not recorders["Anna"].found(name)]
    assert missing == [], f"Anna's own traffic should show what she did (else the check proves nothing): {missing}"

    # The pattern for the placement proves itself too: once Bram and Cem place the same, the trio is
    # complete, and the agenda shows the trio's "nu 13 → beoogd 97" to each of them.
    start("vijf-schuiven", "Vijf schuiven", step=CONTROL)
    for page in (bram, cem):
        for position, value in (("now", 13), ("goal", 97)):
            place(page, position, value)
    start("werkagenda", "Lokale werkagenda", step=CONTROL)
    expect(bram.get_by_test_id("agenda-reflectie")).to_have_value(re.compile("Proces met bewoners"))
    assert recorders["Bram"].found(PLACEMENT, step=CONTROL), "the placement as the agenda shows it"

    assert leaks == [], "hidden answers reached others:\n" + "\n".join(leaks)
