"""Every activity kind of the programme against a real Redis: cards, sorting, choices, texts,
rounds, reveal modes, the timer and the agenda."""

from __future__ import annotations

import asyncio

import pytest

from rooms import gate, imports
from rooms.commands import Rejected
from rooms.kinds import registry
from rooms.kinds.cards import KIND as CARDS
from rooms.models import Participant
from rooms.store import RoomStore
from rooms.templates import CardsActivity, Template
from rooms.views import host_view, participant_view, screen_view
from tests.helpers import DIMENSIONS, all_events
from tests.store.test_store import assert_live_equals_fold


async def trio(store: RoomStore, template: Template, *names: str) -> tuple[str, list[Participant]]:
    code, _ = await store.create_room(template)
    people = [await store.join(code, name) for name in names or ("Anna", "Bram", "Cem")]
    return code, people


async def test_competence_cards_stay_private_until_the_whole_trio_assigned(
    store: RoomStore, template: Template
) -> None:
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "competentiespel")
    await store.assign(code, anna.id, 1, "competentiespel", "lef", [bram.id])
    await store.assign(code, bram.id, 1, "competentiespel", "lef", [bram.id, cem.id])
    state = await store.load(code)
    assert state is not None
    seen_by_cem = participant_view(state, cem.id)
    assert seen_by_cem is not None
    lef = next(c for c in seen_by_cem.cards if c.id == "lef")
    assert lef.assigned == 2 and not lef.revealed and lef.choices == [] and lef.mine == []
    # nothing of Anna's or Bram's choice is anywhere in Cem's view
    assert all(not c.choices and not c.agreed and not c.divergent for c in seen_by_cem.cards)
    assert all(not e.agreed and not e.mentioned for e in seen_by_cem.profile)
    await store.assign(code, cem.id, 1, "competentiespel", "lef", [bram.id])
    state = await store.load(code)
    assert state is not None
    seen_by_cem = participant_view(state, cem.id)
    assert seen_by_cem is not None
    lef = next(c for c in seen_by_cem.cards if c.id == "lef")
    assert lef.revealed and lef.divergent
    assert lef.agreed == [bram.id]
    assert dict(lef.choices) == {"Anna": [bram.id], "Bram": sorted([bram.id, cem.id]), "Cem": [bram.id]}
    profile = {e.name: e for e in seen_by_cem.profile}
    assert profile["Bram"].agreed == ["lef"] and profile["Cem"].mentioned == ["lef"]
    await assert_live_equals_fold(store, code)


async def test_a_card_can_only_go_to_members_of_the_own_group(store: RoomStore, template: Template) -> None:
    code, people = await trio(store, template, "Anna", "Bram", "Cem", "Dirk", "Eva")
    anna, dirk = people[0], people[3]
    state = await store.load(code)
    assert state is not None and state.participants[dirk.id].group == 2
    await store.start(code, "competentiespel")
    with pytest.raises(Rejected) as info:
        await store.assign(code, anna.id, 1, "competentiespel", "lef", [dirk.id])
    assert info.value.reason == "not-in-group"
    with pytest.raises(Rejected):
        await store.assign(code, anna.id, 1, "competentiespel", "geen-kaart", [anna.id])
    with pytest.raises(Rejected):  # claims to be in group 2
        await store.assign(code, anna.id, 2, "competentiespel", "lef", [dirk.id])
    state = await store.load(code)
    assert state is not None and state.cards == {}


async def test_building_blocks_link_written_tensions_and_rate_blocks(store: RoomStore, template: Template) -> None:
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "bouwstenen")
    await store.write_text(code, anna.id, 1, "bouwstenen", "note-1", "Budget voor wijkplannen duurt maanden")
    await store.write_text(code, bram.id, 1, "bouwstenen", "note-2", "Collega's voelen geen urgentie")
    with pytest.raises(Rejected):
        await store.write_text(code, bram.id, 1, "bouwstenen", "note-99", "te veel")
    for person in (anna, bram, cem):
        await store.assign(code, person.id, 1, "bouwstenen", "note-1", ["middelen"])
    await store.assign(code, anna.id, 1, "bouwstenen", "note-2", ["maatschappelijke-urgentie"])
    await store.assign(code, bram.id, 1, "bouwstenen", "note-2", ["maatschappelijke-urgentie", "vertrouwen"])
    await store.assign(code, cem.id, 1, "bouwstenen", "note-2", ["maatschappelijke-urgentie"])
    for person, value in ((anna, 20), (bram, 30), (cem, 70)):
        await store.place(code, person.id, "bouwstenen", "middelen", "rating", value)
    state = await store.load(code)
    assert state is not None
    activity = state.template.activity("bouwstenen")
    assert isinstance(activity, CardsActivity)
    counts = CARDS.target_counts(state, activity, 1)
    assert counts["middelen"] == 1 and counts["maatschappelijke-urgentie"] == 1 and counts["vertrouwen"] == 1
    note_2 = CARDS.result(state, activity, "note-2", 1)
    assert note_2.revealed and note_2.divergent
    view = participant_view(state, anna.id)
    assert view is not None
    assert [c.label for c in view.cards] == ["Budget voor wijkplannen duurt maanden", "Collega's voelen geen urgentie"]
    middelen = next(i for i in view.items if i.id == "middelen")
    assert middelen.revealed and middelen.divergent and middelen.spreads == {"rating": 50}
    lines = CARDS.summary(state, activity, 1, "nl")
    assert any("Middelen" in line for line in lines)
    assert screen_view(state).lines[0].startswith(("Middelen", "Maatschappelijke urgentie"))
    await assert_live_equals_fold(store, code)


async def test_sort_and_choice_reveal_when_everyone_answered(store: RoomStore, template: Template) -> None:
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "sociale-innovatie")
    with pytest.raises(Rejected):
        await store.assign(code, anna.id, 1, "sociale-innovatie", "nieuwe-kennis", ["mee-bezig", "elders"])
    # a part may be in progress and need attention at once (the template says multiple: true)
    await store.assign(code, anna.id, 1, "sociale-innovatie", "nieuwe-kennis", ["mee-bezig", "aandacht"])
    await store.assign(code, anna.id, 1, "sociale-innovatie", "nieuwe-kennis", ["mee-bezig"])
    await store.assign(code, bram.id, 1, "sociale-innovatie", "nieuwe-kennis", ["aandacht"])
    state = await store.load(code)
    assert state is not None
    sort = state.template.activity("sociale-innovatie")
    assert sort is not None
    assert registry.kind_of(sort).summary(gate.visible(state, gate.Screen()), sort, 1, "nl") == []
    await store.assign(code, cem.id, 1, "sociale-innovatie", "nieuwe-kennis", ["aandacht"])
    await store.start(code, "koppelkansen")
    await store.write_text(code, anna.id, 1, "koppelkansen", "own-1", "Coevorden verbindt")
    await store.choose(code, anna.id, "koppelkansen", ["gezonde-wijk", "own-1"])
    await store.choose(code, bram.id, "koppelkansen", ["gezonde-wijk"])
    with pytest.raises(Rejected):
        await store.choose(code, bram.id, "koppelkansen", ["raket"])
    state = await store.load(code)
    assert state is not None
    view = participant_view(state, cem.id)
    assert view is not None and view.choice is not None
    assert not view.choice.revealed and view.choice.chosen_by == {}
    assert view.choice.own == {"own-1": "Coevorden verbindt"}  # the group's own option is shared at once
    await store.choose(code, cem.id, "koppelkansen", ["energietransitie"])
    await store.write_text(code, cem.id, 1, "koppelkansen", "zin", "Met de skatebaan werken we aan gezond opgroeien.")
    state = await store.load(code)
    assert state is not None
    view = participant_view(state, anna.id)
    assert view is not None and view.choice is not None
    assert view.choice.revealed and view.choice.divergent
    assert view.choice.chosen_by["gezonde-wijk"] == ["Anna", "Bram"]
    assert view.texts["zin"].startswith("Met de skatebaan")
    sort_lines = registry.kind_of(sort).room_lines(state, sort, "nl")
    assert sort_lines == ["Nieuwe kennis: Zijn we al mee bezig 1, Heeft aandacht nodig 2"]
    await assert_live_equals_fold(store, code)


async def test_group_texts_are_shared_and_guarded_by_group(store: RoomStore, template: Template) -> None:
    code, people = await trio(store, template, "Anna", "Bram", "Cem", "Dirk", "Eva")
    anna, bram, dirk = people[0], people[1], people[3]
    with pytest.raises(Rejected):  # not open yet
        await store.write_text(code, anna.id, 1, "casus", "titel", "Skatebaan")
    await store.start(code, "casus")
    await store.write_text(code, anna.id, 1, "casus", "titel", "Skatebaan")
    await store.write_text(code, bram.id, 1, "casus", "omschrijving", "Jongeren willen een skatebaan.")
    await store.write_text(code, bram.id, 1, "casus", "titel", "Skatebaan in Lichtenvoorde")  # last write wins
    with pytest.raises(Rejected) as info:
        await store.write_text(code, dirk.id, 1, "casus", "titel", "overschreven")
    assert info.value.reason == "not-joined"
    with pytest.raises(Rejected):
        await store.write_text(code, anna.id, 1, "casus", "titel", "x" * 121)
    state = await store.load(code)
    assert state is not None
    assert state.group_texts("casus", 1) == {"titel": "Skatebaan in Lichtenvoorde",
                                             "omschrijving": "Jongeren willen een skatebaan."}
    view = participant_view(state, bram.id)
    assert view is not None and view.texts["titel"] == "Skatebaan in Lichtenvoorde"
    assert participant_view(state, dirk.id).texts == {}  # type: ignore[union-attr]
    await assert_live_equals_fold(store, code)


async def test_a_next_round_starts_from_the_earlier_positions_and_shows_before_and_after(
    store: RoomStore, template: Template
) -> None:
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "vijf-schuiven")
    dim = DIMENSIONS[0]
    for person, now in ((anna, 10), (bram, 50), (cem, 90)):
        await store.place(code, person.id, "vijf-schuiven", dim, "now", now)
        await store.place(code, person.id, "vijf-schuiven", dim, "goal", 80)
    with pytest.raises(Rejected):  # someone from another group (or nobody) cannot start the trio's round
        await store.start_round(code, "vijf-schuiven", 2, actor=anna.id)
    await store.start_round(code, "vijf-schuiven", 1, actor=anna.id)
    state = await store.load(code)
    assert state is not None
    assert state.round_of("vijf-schuiven", 1) == 2
    view = participant_view(state, bram.id)
    assert view is not None
    item = next(i for i in view.items if i.id == dim)
    assert item.mine == {} and not item.revealed and item.markers == []
    assert view.start[dim] == {"now": 50, "goal": 80}
    assert view.round_changes[dim].before == {"now": 80, "goal": 0}
    for person, now in ((anna, 40), (bram, 50), (cem, 55)):
        await store.place(code, person.id, "vijf-schuiven", dim, "now", now)
        await store.place(code, person.id, "vijf-schuiven", dim, "goal", 80)
    state = await store.load(code)
    assert state is not None
    change = host_view(state).groups[0].round_changes[dim]
    assert change.before["now"] == 80 and change.after["now"] == 15 and change.converged
    await store.show_on_screen(code, "group:1")
    state = await store.load(code)
    assert state is not None
    assert screen_view(state).group_changes[dim].after["now"] == 15
    await assert_live_equals_fold(store, code)


async def test_best_persons_shows_which_types_the_trio_covers(store: RoomStore, template: Template) -> None:
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "best-persons")
    for person in (anna, bram, cem):
        await store.assign(code, person.id, 1, "best-persons", "bruggenbouwers", [anna.id])
        await store.assign(code, person.id, 1, "best-persons", "alledaagse-doeners", ["none"])
    state = await store.load(code)
    assert state is not None
    lines = screen_view(state).group_lines[1]
    assert "Anna: Bruggenbouwers" in lines
    assert "In het team: 1 van 4 typen; ontbreekt: Alledaagse doeners, Frontliniewerkers, Sociale ondernemers" in lines


async def test_live_reveal_shows_markers_before_the_group_is_complete(store: RoomStore, template: Template) -> None:
    code, (anna, bram, _cem) = await trio(store, template)
    await store.start(code, "pionier-doordenker")
    await store.place(code, anna.id, "pionier-doordenker", "positie", "nu", 30)
    state = await store.load(code)
    assert state is not None
    assert participant_view(state, bram.id).items[0].markers == []  # type: ignore[union-attr]
    with pytest.raises(Rejected):
        await store.set_reveal_mode(code, "pionier-doordenker", "soms")
    await store.set_reveal_mode(code, "pionier-doordenker", "live")
    state = await store.load(code)
    assert state is not None
    markers = participant_view(state, bram.id).items[0].markers  # type: ignore[union-attr]
    assert [(m.name, m.values) for m in markers] == [("Anna", {"nu": 30})]
    await store.set_reveal_mode(code, "pionier-doordenker", "host")
    state = await store.load(code)
    assert state is not None
    await store.place(code, bram.id, "pionier-doordenker", "positie", "nu", 30)
    await store.place(code, _cem.id, "pionier-doordenker", "positie", "nu", 30)
    state = await store.load(code)
    assert not participant_view(state, bram.id).items[0].revealed  # type: ignore[union-attr,arg-type]
    await assert_live_equals_fold(store, code)


async def test_timer_and_hotspots(store: RoomStore, template: Template) -> None:
    code, people = await trio(store, template, "Anna", "Bram", "Cem", "Dirk", "Eva", "Fleur")
    await store.set_timer(code, 300)
    state = await store.load(code)
    assert state is not None and state.timer_seconds == 300 and state.timer_ends is not None
    with pytest.raises(Rejected):
        await store.set_timer(code, -5)
    await store.start(code, "vijf-schuiven")
    values = {0: 10, 1: 20, 2: 30, 3: 0, 4: 50, 5: 100}
    for index, person in enumerate(people):
        await store.place(code, person.id, "vijf-schuiven", "communicatie", "now", values[index])
        await store.place(code, person.id, "vijf-schuiven", "communicatie", "goal", 90)
    state = await store.load(code)
    assert state is not None
    spots = host_view(state).hotspots
    assert [(h.group, h.item, h.spread) for h in spots[:2]] == [(2, "communicatie", 100), (1, "communicatie", 20)]
    assert spots[1].gap == 70
    await store.set_timer(code, 0)
    state = await store.load(code)
    assert state is not None and state.timer_ends is None
    await assert_live_equals_fold(store, code)


async def test_the_agenda_is_prefilled_from_earlier_results_and_edited_together(
    store: RoomStore, template: Template
) -> None:
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "casus")
    await store.write_text(code, anna.id, 1, "casus", "omschrijving", "Initiatiefnemers komen niet tot uitvoering.")
    await store.start(code, "vijf-schuiven")
    for person, now in ((anna, 20), (bram, 30), (cem, 40)):
        await store.place(code, person.id, "vijf-schuiven", "proces-bewoners", "now", now)
        await store.place(code, person.id, "vijf-schuiven", "proces-bewoners", "goal", 90)
    await store.start(code, "competentiespel")
    for person in (anna, bram, cem):
        await store.assign(code, person.id, 1, "competentiespel", "verbinden", [cem.id])
    await store.start(code, "werkagenda")
    state = await store.load(code)
    assert state is not None
    view = participant_view(state, bram.id)
    assert view is not None and view.agenda is not None
    text, prefilled = view.agenda.fields["omschrijving"]
    assert prefilled and text == "Initiatiefnemers komen niet tot uitvoering."
    reflection, _ = view.agenda.fields["reflectie"]
    assert "Proces met bewoners" in reflection and "60" in reflection  # the gap now → goal
    assert ("Cem", "Verbinden") in view.agenda.suggestions
    assert "Verbinden" in reflection  # the competence game reaches "reflectie … en competenties" too
    # nobody touched the agenda yet, and still the host and the screen show what is in it
    host_lines = next(g for g in host_view(state).groups if g.group == 1).lines
    assert any("Initiatiefnemers komen niet tot uitvoering." in line for line in host_lines), host_lines
    assert any("Initiatiefnemers komen niet tot uitvoering." in line
               for lines in screen_view(state).group_lines.values() for line in lines)
    # two members type in different fields at once: both land
    await store.write_text(code, anna.id, 1, "werkagenda", "oppakken", "Gesprek met de initiatiefnemers")
    await store.write_text(code, bram.id, 1, "werkagenda", "action-1-what", "Spreekuur in het dorpshuis")
    await store.write_text(code, cem.id, 1, "werkagenda", "action-1-who", "Cem")
    await store.write_text(code, cem.id, 1, "werkagenda", "action-1-when", "1 maart")
    with pytest.raises(Rejected):
        await store.write_text(code, cem.id, 1, "werkagenda", "action-1-colour", "blauw")
    state = await store.load(code)
    assert state is not None
    view = participant_view(state, anna.id)
    assert view is not None and view.agenda is not None
    assert view.agenda.fields["oppakken"] == ("Gesprek met de initiatiefnemers", False)
    [action] = view.agenda.actions
    assert (action.what, action.who, action.when) == ("Spreekuur in het dorpshuis", "Cem", "1 maart")
    await assert_live_equals_fold(store, code)


async def test_a_proposed_action_is_taken_over_through_the_text_path_and_gets_a_proposed_owner(
    store: RoomStore, template: Template
) -> None:
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "bouwstenen")
    await store.write_text(code, anna.id, 1, "bouwstenen", "acties",
                           "Bewoners samenbrengen in een netwerk\nRaad bellen")
    await store.start(code, "competentiespel")
    for person in (anna, bram, cem):
        await store.assign(code, person.id, 1, "competentiespel", "netwerken", [bram.id])
    await store.start(code, "werkagenda")
    state = await store.load(code)
    assert state is not None
    offered = participant_view(state, cem.id).agenda.proposals  # type: ignore[union-attr]
    assert [p.text for p in offered] == ["Bewoners samenbrengen in een netwerk", "Raad bellen"]
    # what the phone's "Overnemen" writes: the text, then where it came from
    await store.write_text(code, cem.id, 1, "werkagenda", "action-1-what", offered[0].text)
    await store.write_text(code, cem.id, 1, "werkagenda", "action-1-from", offered[0].key)
    with pytest.raises(Rejected):
        await store.write_text(code, cem.id, 1, "werkagenda", "action-1-from", "x" * 81)
    state = await store.load(code)
    assert state is not None
    agenda = participant_view(state, anna.id).agenda  # type: ignore[union-attr]
    assert agenda is not None
    assert [p.text for p in agenda.proposals] == ["Raad bellen"]
    [action] = agenda.actions
    assert (action.id, action.what, action.origin) == ("action-1", offered[0].text, offered[0].key)
    assert (agenda.owners["action-1"].name, agenda.owners["action-1"].card) == ("Bram", "Netwerken")
    assert action.who == ""  # proposed, not filled
    host_lines = next(g for g in host_view(state).groups if g.group == 1).lines
    assert "Voorgestelde acties uit Zeven bouwstenen, nog niet overgenomen: 1" in host_lines
    await assert_live_equals_fold(store, code)


async def test_two_members_taking_proposals_at_once_get_an_action_each(
    store: RoomStore, template: Template
) -> None:
    """Taking a proposal over is one write (its text and its origin in a slot found free): two
    members tapping two proposals at the same moment neither overwrite nor lose one."""
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "bouwstenen")
    await store.write_text(code, anna.id, 1, "bouwstenen", "acties", "Raad bellen\nBuurtfeest\nWijkkrant")
    await store.start(code, "werkagenda")
    await store.write_text(code, cem.id, 1, "werkagenda", "action-1-what", "Eigen actie")
    state = await store.load(code)
    assert state is not None
    offered = participant_view(state, cem.id).agenda.proposals  # type: ignore[union-attr]
    assert [p.text for p in offered] == ["Raad bellen", "Buurtfeest", "Wijkkrant"]
    taken = await asyncio.gather(*(store.take_proposal(code, who.id, 1, "werkagenda", p.key)
                                   for who, p in ((anna, offered[0]), (bram, offered[1]))))
    assert sorted(taken) == ["action-2", "action-3"]
    # a slot the phone holds a new row in is left to it; a proposal taken already is refused
    assert await store.take_proposal(code, cem.id, 1, "werkagenda", offered[2].key, {"action-4"}) == "action-5"
    for key in (offered[0].key, "werkagenda:nope", 12, None):
        with pytest.raises(Rejected):
            await store.take_proposal(code, cem.id, 1, "werkagenda", key)
    state = await store.load(code)
    assert state is not None
    agenda = participant_view(state, anna.id).agenda  # type: ignore[union-attr]
    assert agenda is not None and agenda.proposals == []
    assert sorted((a.what, a.origin) for a in agenda.actions) == sorted(
        [("Eigen actie", "")] + [(p.text, p.key) for p in offered])
    await assert_live_equals_fold(store, code)
    imports.check(await all_events(store, code))


async def test_practice_rounds_rotate_the_observer(store: RoomStore, template: Template) -> None:
    code, (anna, bram, _cem) = await trio(store, template)
    await store.start(code, "goede-gesprek")
    state = await store.load(code)
    assert state is not None
    first = participant_view(state, anna.id)
    assert first is not None and first.practice is not None
    assert first.practice.am_observer and first.practice.talkers == ["Bram", "Cem"]
    await store.write_text(code, anna.id, 1, "goede-gesprek", "r1-step-waarnemen", "x")
    await store.write_text(code, anna.id, 1, "goede-gesprek", "r1-tips", "Meer doorvragen")
    state = await store.load(code)
    assert participant_view(state, bram.id).practice.ticked == ["waarnemen"]  # type: ignore[union-attr,arg-type]
    await store.start_round(code, "goede-gesprek", 1, actor=bram.id)
    state = await store.load(code)
    assert state is not None
    second = participant_view(state, bram.id)
    assert second is not None and second.practice is not None
    assert second.practice.round == 2 and second.practice.am_observer and second.practice.ticked == []
    assert second.practice.rounds_done == 1
    await assert_live_equals_fold(store, code)


async def test_the_good_conversation_in_a_group_of_four_and_in_a_duo(store: RoomStore, template: Template) -> None:
    """Two talk and the others watch, in turns; a duo talks and watches itself with the checklist."""
    code, _ = await store.create_room(template, group_size=4)
    people = [await store.join(code, name) for name in ("Anna", "Bram", "Cem", "Dirk", "Eva", "Fleur")]
    await store.start(code, "goede-gesprek")
    state = await store.load(code)
    assert state is not None
    assert [len(state.members(g)) for g in state.groups()] == [4, 2]
    four = [p for p in people if state.participants[p.id].group == 1]
    duo = [p for p in people if state.participants[p.id].group == 2]

    def practice(person: Participant) -> tuple[bool, list[str], str, bool]:
        assert state is not None
        view = participant_view(state, person.id)
        assert view is not None and view.practice is not None
        return view.practice.am_observer, view.practice.talkers, view.practice.observer, view.practice.self_observed

    first = [practice(p) for p in four]
    assert [watching for watching, *_ in first] == [True, True, False, False]
    assert first[0][1] == [four[2].name, four[3].name] and first[0][2] == f"{four[0].name} en {four[1].name}"
    for person in duo:
        watching, talkers, _observer, itself = practice(person)
        assert watching and itself and sorted(talkers) == sorted(p.name for p in duo)
    # a duo member ticks the steps they saw in their own conversation
    await store.write_text(code, duo[0].id, 2, "goede-gesprek", "r1-step-waarnemen", "x")
    # the pairs change places in the next round of the four
    await store.start_round(code, "goede-gesprek", 1, actor=four[0].id)
    state = await store.load(code)
    assert state is not None
    assert [practice(p)[0] for p in four] == [False, False, True, True]
    duo_view = participant_view(state, duo[1].id)
    assert duo_view is not None and duo_view.practice is not None and duo_view.practice.ticked == ["waarnemen"]
    await assert_live_equals_fold(store, code)


async def test_best_persons_outside_the_group_count_for_the_types(store: RoomStore, template: Template) -> None:
    """The best persons are often residents or partners: the group names them per type, and a type
    they cover is no longer missing."""
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "best-persons")
    for person in (anna, bram, cem):
        await store.assign(code, person.id, 1, "best-persons", "alledaagse-doeners", [anna.id])
        await store.assign(code, person.id, 1, "best-persons", "frontliniewerkers", [bram.id])
        await store.assign(code, person.id, 1, "best-persons", "sociale-ondernemers", ["none"])
        await store.assign(code, person.id, 1, "best-persons", "bruggenbouwers", ["none"])
    state = await store.load(code)
    assert state is not None
    activity = state.template.activity("best-persons")
    assert isinstance(activity, CardsActivity)
    before = CARDS.summary(state, activity, 1, "nl")
    assert any("2 van 4 typen" in line and "Bruggenbouwers" in line for line in before), before
    await store.write_text(code, cem.id, 1, "best-persons", "outside-bruggenbouwers", "Fatima, buurtmoeder")
    state = await store.load(code)
    assert state is not None
    after = CARDS.summary(state, activity, 1, "nl")
    assert "Bruggenbouwers, buiten de groep: Fatima, buurtmoeder" in after
    assert any("3 van 4 typen" in line and "Bruggenbouwers" not in line for line in after), after
    with pytest.raises(Rejected):  # only the deck's cards have an outside text
        await store.write_text(code, cem.id, 1, "best-persons", "outside-wethouders", "x")
    await assert_live_equals_fold(store, code)


async def test_the_competence_game_names_what_the_team_lacks(store: RoomStore, template: Template) -> None:
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "competentiespel")
    for person in (anna, bram, cem):
        await store.assign(code, person.id, 1, "competentiespel", "verbinden", [cem.id])
        await store.assign(code, person.id, 1, "competentiespel", "geduld", ["none"])
    await store.assign(code, anna.id, 1, "competentiespel", "humor", ["none"])
    await store.assign(code, bram.id, 1, "competentiespel", "humor", [anna.id])
    await store.assign(code, cem.id, 1, "competentiespel", "humor", ["none"])
    state = await store.load(code)
    assert state is not None
    activity = state.template.activity("competentiespel")
    assert isinstance(activity, CardsActivity)
    lines = CARDS.summary(state, activity, 1, "nl")
    assert "Mist in het team: Geduld" in lines, lines  # humour: one of three sees it in Anna


async def test_the_agenda_takes_up_the_conversation_and_the_best_persons(store: RoomStore, template: Template) -> None:
    code, (anna, bram, cem) = await trio(store, template)
    await store.start(code, "best-persons")
    await store.write_text(code, bram.id, 1, "best-persons", "outside-bruggenbouwers", "Fatima, buurtmoeder")
    await store.start(code, "goede-gesprek")
    await store.write_text(code, anna.id, 1, "goede-gesprek", "r1-step-verzoek", "x")
    await store.write_text(code, anna.id, 1, "goede-gesprek", "r1-tips", "Eerst luisteren, dan vragen")
    state = await store.load(code)
    assert state is not None
    # the host sees what the observer saw; the observer's notes stay off the screen
    host_lines = next(g for g in host_view(state).groups if g.group == 1).lines
    assert "Ronde 1: ✓ Eindigen met een verzoek" in host_lines, host_lines
    assert not any("Eindigen" in line or "luisteren" in line
                   for lines in screen_view(state).group_lines.values() for line in lines)
    await store.start(code, "werkagenda")
    state = await store.load(code)
    assert state is not None
    view = participant_view(state, cem.id)
    assert view is not None and view.agenda is not None
    text, prefilled = view.agenda.fields["oppakken"]
    assert prefilled and "Fatima, buurtmoeder" in text and "Eerst luisteren, dan vragen" in text, text
