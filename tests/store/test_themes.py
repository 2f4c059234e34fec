"""Themes of the room's reasons (issue 16): thirty Dutch reasons about three evident topics,
written by ten trios in a real room, are grouped so that each topic's reasons share a theme; the
host renames and merges; the screen shows a theme without names. Everything runs offline: the
lemmas come from the dictionaries inside the ``simplemma`` wheel."""

from __future__ import annotations

import pytest

from rooms.commands import Rejected
from rooms.store import RoomStore
from rooms.templates import Template
from rooms.themes import screen_mode
from rooms.views import screen_view, themes_of
from tests.fixtures.reasons_nl import GREEN, PARKING, YOUTH

DIM = "proces-bewoners"


async def room_with_reasons(store: RoomStore, template: Template, revealed: int = 10) -> tuple[str, dict[str, str]]:
    """Ten trios; member k of trio g writes reason number g of topic k. The first ``revealed``
    trios place the slider (and so see each other's reasons), the rest only write."""
    code, _ = await store.create_room(template)
    await store.start(code, "vijf-schuiven")
    topic_of: dict[str, str] = {}
    for g in range(10):
        for topic, texts in (("youth", YOUTH), ("green", GREEN), ("parking", PARKING)):
            member = await store.join(code, f"{topic}-{g}")
            await store.write_reason(code, member.id, "vijf-schuiven", DIM, texts[g])
            topic_of[texts[g]] = topic
            if g < revealed:
                for position in ("now", "goal"):
                    await store.place(code, member.id, "vijf-schuiven", DIM, position, 40 + g)
    return code, topic_of


async def test_thirty_reasons_about_three_topics_fall_into_three_themes(store: RoomStore, template: Template) -> None:
    code, topic_of = await room_with_reasons(store, template)
    state = await store.load(code)
    assert state is not None
    found = themes_of(state, "vijf-schuiven", DIM)
    theme_of = {r.text: t.key for t in found for r in t.reasons}
    assert set(theme_of) == set(topic_of)  # every reason is in one theme
    by_topic = {topic: {theme_of[text] for text, tp in topic_of.items() if tp == topic} for topic in ("youth", "green",
                                                                                                    "parking")}
    assert all(len(keys) == 1 for keys in by_topic.values()), by_topic  # each topic's reasons share a theme
    assert len({next(iter(k)) for k in by_topic.values()}) == 3, by_topic  # and the topics do not share one
    phrases = {t.key: " ".join(t.phrases) for t in found}
    assert "jongeren" in phrases[next(iter(by_topic["youth"]))]
    assert "groen" in phrases[next(iter(by_topic["green"]))]
    assert "parkeren" in phrases[next(iter(by_topic["parking"]))] or "auto" in phrases[next(iter(by_topic["parking"]))]
    assert {r.name for t in found for r in t.reasons} >= {"youth-0", "parking-9"}  # the host sees who


async def test_the_host_renames_and_merges_and_puts_a_theme_on_the_screen(store: RoomStore, template: Template) -> None:
    code, _ = await room_with_reasons(store, template)
    state = await store.load(code)
    assert state is not None
    found = themes_of(state, "vijf-schuiven", DIM)
    youth, green, parking = (next(t for t in found if any(r.text == texts[0] for r in t.reasons))
                             for texts in (YOUTH, GREEN, PARKING))
    await store.edit_theme(code, "vijf-schuiven", DIM, parking.key, label="Parkeren en auto's")
    await store.edit_theme(code, "vijf-schuiven", DIM, green.key, into=youth.key)
    with pytest.raises(Rejected):
        await store.edit_theme(code, "vijf-schuiven", DIM, "Geen sleutel!", label="x")
    with pytest.raises(Rejected):
        await store.edit_theme(code, "vijf-schuiven", "geen-schuif", parking.key, label="x")
    state = await store.load(code)
    assert state is not None
    edited = {t.key: t for t in themes_of(state, "vijf-schuiven", DIM)}
    assert edited[parking.key].label == "Parkeren en auto's"
    assert green.key not in edited and len(edited[youth.key].reasons) == 20

    await store.show_on_screen(code, screen_mode("vijf-schuiven", DIM, parking.key))
    state = await store.load(code)
    assert state is not None
    view = screen_view(state)
    assert view.theme is not None and view.theme.theme is not None
    assert view.theme.theme.label == "Parkeren en auto's" and len(view.theme.theme.reasons) == 10
    assert "parking-" not in view.model_dump_json()  # the screen gets the reasons, not who wrote them


async def test_only_revealed_reasons_make_themes(store: RoomStore, template: Template) -> None:
    code, topic_of = await room_with_reasons(store, template, revealed=5)
    state = await store.load(code)
    assert state is not None
    shown = {r.text for t in themes_of(state, "vijf-schuiven", DIM) for r in t.reasons}
    assert shown == {text for text in topic_of if any(text == texts[g] for texts in (YOUTH, GREEN, PARKING)
                                                      for g in range(5))}
