"""A slider card's updates leave out what the browser keeps, and are whole again when the browser
would not have it (``SliderCard._to_dict``)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui.testing import User

from tests.helpers import eventually
from tests.ui.simulate import by_testid, join, need
from workshop.components.slider_card import UNCHANGING, SliderCard
from workshop.services import ready

DIM = "proces-bewoners"


async def test_updates_are_slim_until_the_browser_would_lack_the_whole_card(
        create_user: Callable[[], User]) -> None:
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    await svc.store.start(code, "vijf-schuiven")
    anna = create_user()
    await join(anna, code, "Anna")
    await eventually(lambda: by_testid(anna, f"item-{DIM}") is not None, what="Anna's sliders")
    card = need(anna, f"item-{DIM}")
    assert isinstance(card, SliderCard)

    card._to_dict()  # the browser has had it whole (in the page or a first update)
    slim = card._to_dict()
    assert not set(UNCHANGING) & set(slim["props"]) and slim["preserved_props"] == list(UNCHANGING)
    assert slim["props"]["status"] and slim["events"]  # what changes, and the listener, still go

    card._set(low="Links")  # a change to something the browser keeps: sent whole once
    whole = card._to_dict()
    assert whole["props"]["low"] == "Links" and "preserved_props" not in whole
    assert "preserved_props" in card._to_dict()

    card.on("extra", lambda: None)  # a new listener: the page rebuilds the card from the update alone
    rebuilt = card._to_dict()
    assert "head" in rebuilt["props"] and "preserved_props" not in rebuilt
    assert "preserved_props" in card._to_dict()
