"""Driving NiceGUI's simulated users by our data-testids."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from nicegui import ui
from nicegui.element import Element
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from tests.helpers import eventually
from workshop.components.slider_card import SliderCard


def _elements(user: User) -> list[Element]:
    assert user.client is not None, "the user has not opened a page"
    return list(user.client.elements.values())


def by_testid(user: User, testid: str) -> Element | None:
    for element in _elements(user):
        if element.props.get("data-testid") == testid and element.visible:
            return element
    return None


def need(user: User, testid: str) -> Element:
    element = by_testid(user, testid)
    assert element is not None, f"no visible element with data-testid={testid}"
    return element


def act(user: User, testid: str) -> UserInteraction[Any]:
    return UserInteraction(user, {need(user, testid)}, None)


def card(user: User, item: str) -> dict[str, Any]:
    """The props of a slider card (one element in ``slider_card.js``): what its phone shows."""
    return dict(need(user, f"item-{item}").props)


def shown(user: User, item: str, prop: str) -> str:
    """One line of a slider card, e.g. its ``status``, ``markers`` or ``divergence`` ("" when absent)."""
    element = by_testid(user, f"item-{item}")
    return "" if element is None else str(element.props.get(prop) or "")


def diverges(user: User, item: str) -> bool:
    """The card tells its group that they lie far apart."""
    return bool(shown(user, item, "divergence"))


def place(user: User, item: str, position: str, value: object) -> None:
    """Release a slider's thumb at ``value``, as the card in the browser reports it."""
    UserInteraction(user, {need(user, f"item-{item}")}, None).trigger(
        "act", {"kind": "place", "position": position, "value": value})


CARD_TEXT = ("status", "markers", "divergence", "round", "keep", "stored")


def visible_text(user: User) -> str:
    """Everything a person could read on the page, including HTML content and slider values."""
    parts = []
    for element in _elements(user):
        if isinstance(element, SliderCard):
            parts += [str(element.props.get(key) or "") for key in CARD_TEXT]
        text = getattr(element, "text", None)
        if isinstance(text, str):
            parts.append(text)
        for key in ("innerHTML", "model-value", "label"):
            value = element.props.get(key)
            if value is not None:
                parts.append(str(value))
        if isinstance(element, ui.html):
            parts.append(element.content)
    return "\n".join(parts)


async def join(user: User, code: str, name: str) -> None:
    """Join through the landing page, then make sure this user is on their phone page.

    The simulation has one global ``ui.navigate`` bound to whichever user opened a page
    last, so with several users the redirect after joining can land on another user.
    The redirect itself is covered by the browser test; here we open the room page.
    """
    await user.open(f"/?code={code}")
    act(user, "join-name").type(name)
    act(user, "join-submit").click()
    try:  # let the join handler and its redirect finish before anyone else opens a page
        await eventually(lambda: by_testid(user, "who") is not None, within=0.5)
    except AssertionError:
        await user.open(f"/room/{code}")
    assert by_testid(user, "who") is not None, f"{name} did not get onto the room page"


@dataclass
class Plain:
    """A page served as plain HTML (the QR code's name form, ``workshop.pages.join_page``), as read."""

    status: int
    location: str  # where a redirect sends the browser
    text: str = ""  # what a person reads (no style, no attribute)
    testids: dict[str, dict[str, str]] = field(default_factory=dict)  # data-testid -> the element's attributes
    inputs: dict[str, str] = field(default_factory=dict)  # form field name -> value sent as it stands


class _Reader(HTMLParser):
    def __init__(self, page: Plain) -> None:
        super().__init__()
        self.page, self.skip, self.parts = page, 0, list[str]()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.skip += tag in {"style", "script"}
        if "data-testid" in attributes:
            self.page.testids[attributes["data-testid"]] = attributes
        if tag == "input" and "name" in attributes and (attributes.get("type") != "radio" or "checked" in attributes):
            self.page.inputs[attributes["name"]] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in {"style", "script"}

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.parts.append(data.strip())


async def plain(user: User, path: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None,
                ) -> Plain:
    """GET ``path`` (or POST ``form`` to it) as this user's browser, with its cookie; no redirect followed."""
    client = user.http_client
    response = await (client.post(path, data=form, headers=headers) if form is not None
                      else client.get(path, headers=headers))
    page = Plain(response.status_code, response.headers.get("location", ""))
    if response.headers.get("content-type", "").startswith("text/html"):
        reader = _Reader(page)
        reader.feed(response.text)
        page.text = "\n".join(reader.parts)
    return page


async def join_by_qr(user: User, code: str, name: str, role: str | None = None, query: str = "") -> Plain:
    """As a phone that scanned the QR code: the room's page (the form), its fields filled, "Meedoen".
    Returns the form's answer (a redirect to the phone page, or the form again with the message)."""
    form = await plain(user, f"/room/{code}{query}")
    assert "join-name" in form.testids, f"no name form on /room/{code}{query}: {form.text[:200]}"
    return await plain(user, f"/room/{code}/join", {**form.inputs, "name": name, **({"role": role} if role else {})})
