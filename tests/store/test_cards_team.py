"""The competence game's joint pass against a real Redis: one decision per card and group, the
last one standing, written only once the card is revealed and only naming the own group."""

from __future__ import annotations

import pytest

from rooms.commands import Rejected
from rooms.kinds.agenda import owner_suggestions
from rooms.store import RoomStore
from rooms.templates import AgendaActivity, Template
from rooms.views import participant_view
from tests.store.test_activities import trio
from tests.store.test_store import assert_live_equals_fold


async def test_the_trio_settles_a_card_together_and_the_last_decision_stands(
    store: RoomStore, template: Template
) -> None:
    code, (anna, bram, cem, dirk) = await trio(store, template, "Anna", "Bram", "Cem", "Dirk")
    state = await store.load(code)
    assert state is not None and state.participants[dirk.id].group == 1  # four in one group
    await store.start(code, "competentiespel")
    await store.assign(code, anna.id, 1, "competentiespel", "verbinden", [bram.id])
    with pytest.raises(Rejected) as refused:  # not revealed yet: three of four gave it
        await store.settle(code, anna.id, "competentiespel", "verbinden", [bram.id])
    assert refused.value.reason == "not-revealed"
    for person in (bram, cem, dirk):
        await store.assign(code, person.id, 1, "competentiespel", "verbinden", [cem.id])
    await store.settle(code, anna.id, "competentiespel", "verbinden", [bram.id])
    await store.settle(code, bram.id, "competentiespel", "verbinden", [bram.id, cem.id])
    state = await store.load(code)
    assert state is not None
    for person in (anna, bram, cem, dirk):
        view = participant_view(state, person.id)
        assert view is not None
        card = next(c for c in view.cards if c.id == "verbinden")
        assert card.joint == sorted([bram.id, cem.id]) and len(card.choices) == 4
    await store.start(code, "werkagenda")
    state = await store.load(code)
    assert state is not None
    agenda = state.template.activity("werkagenda")
    assert isinstance(agenda, AgendaActivity)
    suggested = dict(owner_suggestions(state, agenda, 1, "nl"))
    assert suggested["Bram"] == "Verbinden" and suggested["Cem"] == "Verbinden" and suggested["Anna"] == ""
    await assert_live_equals_fold(store, code)


async def test_a_joint_decision_is_refused_outside_the_group_and_when_locked(
    store: RoomStore, template: Template
) -> None:
    code, (anna, bram, cem, dirk, eva, _fien) = await trio(store, template, "Anna", "Bram", "Cem", "Dirk", "Eva",
                                                          "Fien")
    await store.start(code, "competentiespel")
    for person in (anna, bram, cem):
        await store.assign(code, person.id, 1, "competentiespel", "lef", [anna.id])
    with pytest.raises(Rejected):
        await store.settle(code, anna.id, "competentiespel", "lef", [dirk.id])
    with pytest.raises(Rejected):  # Dirk's group has not revealed the card
        await store.settle(code, dirk.id, "competentiespel", "lef", [eva.id])
    await store.lock(code, "competentiespel")
    with pytest.raises(Rejected) as refused:
        await store.settle(code, bram.id, "competentiespel", "lef", [anna.id])
    assert refused.value.reason == "not-open"
    state = await store.load(code)
    assert state is not None
    assert all(not owner.startswith("g") for owner in state.cards["competentiespel"]["lef"])
    await assert_live_equals_fold(store, code)
