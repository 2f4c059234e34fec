"""Each activity of the programme with a simulated trio (NiceGUI's User fixture), plus the host
running the whole programme and the screen following it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from nicegui.testing import User

from rooms.templates import Template, load_template
from tests.helpers import eventually
from tests.ui.simulate import act, by_testid, diverges, join, need, place, visible_text
from workshop.services import ready


def has(user: User, testid: str) -> bool:
    return by_testid(user, testid) is not None


def text_of(user: User, testid: str) -> str:
    element = by_testid(user, testid)
    if element is None:
        return ""
    content = getattr(element, "content", None)
    return str(content if isinstance(content, str) else getattr(element, "text", "") or "")


def shows(user: User, testid: str, text: str) -> bool:
    return text in text_of(user, testid)


def inner(user: User, testid: str) -> str:
    """The texts inside an element (a card of labels and buttons)."""
    element = by_testid(user, testid)
    if element is None:
        return ""
    return " ".join(str(getattr(e, "text", "") or "") for e in element.descendants())


def value_of(user: User, testid: str) -> str:
    element = by_testid(user, testid)
    return "" if element is None else str(getattr(element, "value", "") or "")


async def trio(
    create_user: Callable[[], User], activity: str, template: Template | None = None
) -> tuple[str, list[User]]:
    svc = await ready()
    code, _ = await svc.store.create_room(template or svc.template)
    await svc.store.start(code, activity)
    users = [create_user(), create_user(), create_user()]
    for user, name in zip(users, ["Anna", "Bram", "Cem"], strict=True):
        await join(user, code, name)
        await eventually(partial(has, user, "activity-title"), what=f"{name} sees the activity")
    return code, users


async def test_the_case_is_written_together(create_user: Callable[[], User]) -> None:
    _, (anna, bram, _cem) = await trio(create_user, "casus")
    act(anna, "text-titel").type("Skatebaan").trigger("blur")
    act(bram, "text-omschrijving").type("Jongeren willen een skatebaan.").trigger("blur")
    await eventually(lambda: value_of(bram, "text-titel") == "Skatebaan", what="Bram sees Anna's title")
    await eventually(lambda: value_of(anna, "text-omschrijving") == "Jongeren willen een skatebaan.",
                     what="Anna sees Bram's description")


async def test_competence_cards_reveal_once_all_three_gave_a_card(create_user: Callable[[], User]) -> None:
    _, (anna, bram, cem) = await trio(create_user, "competentiespel")
    assert "Kaart 1 van 44" in text_of(anna, "card-position")
    assert text_of(anna, "card-label") == "Enthousiasmeren"
    act(anna, "assign-member-2").click()  # Anna gives it to Bram
    act(bram, "assign-member-2").click()  # Bram to himself
    act(bram, "assign-member-3").click()  # ... and to Cem
    await eventually(lambda: "2 van 3" in text_of(cem, "card-status"), what="Cem sees two of three chose")
    assert "Bram" not in text_of(cem, "card-result") and not has(cem, "card-divergence")
    act(cem, "assign-member-2").click()
    for user in (anna, bram, cem):
        await eventually(partial(shows, user, "card-result", "Anna"), what="choices revealed")
        await eventually(partial(has, user, "card-divergence"), what="divergence shown")
    assert "Teamprofiel" in text_of(anna, "cards-overview")
    assert "Bram</b>: Enthousiasmeren" in text_of(anna, "cards-overview")
    act(anna, "card-next").click()
    await eventually(lambda: text_of(anna, "card-label") == "Collega's inspireren", what="next card")


async def test_building_blocks_from_notes_to_blocks(create_user: Callable[[], User]) -> None:
    _, (anna, bram, cem) = await trio(create_user, "bouwstenen")
    # the five-step model and what each building block means are there to read
    assert "Samen aan de slag" in visible_text(anna) and has(anna, "activity-guide")
    assert "Bestuurlijke verankering" in visible_text(anna) and has(anna, "categories-explained")
    act(anna, "new-note").type("Budget duurt maanden")
    act(anna, "add-note").click()
    await eventually(lambda: value_of(bram, "text-note-1") == "Budget duurt maanden", what="Bram sees the note")
    for user in (anna, bram, cem):
        await eventually(partial(shows, user, "card-label", "Budget duurt maanden"), what="the note is a card")
        act(user, "assign-middelen").click()
    await eventually(lambda: "Anna" in text_of(bram, "card-result"), what="links revealed")
    assert not has(bram, "card-divergence")
    assert has(anna, "item-middelen") and has(anna, "text-acties")


async def test_coupling_opportunities_with_an_own_carrier(create_user: Callable[[], User]) -> None:
    _, (anna, bram, cem) = await trio(create_user, "koppelkansen")
    act(anna, "own-option").type("Coevorden verbindt")
    act(anna, "own-add").click()
    await eventually(partial(has, bram, "option-own-1"), what="Bram sees the group's own carrier")
    act(bram, "option-gezonde-wijk").click()
    await eventually(lambda: "2 van 3" in text_of(cem, "choice-status"), what="two of three chose")
    assert text_of(cem, "choice-result") == ""
    act(cem, "option-gezonde-wijk").click()
    await eventually(lambda: "Coevorden verbindt" in text_of(anna, "choice-result"), what="choices revealed")
    await eventually(partial(has, anna, "choice-divergence"), what="they differ")
    act(cem, "text-zin").type("Gezond opgroeien in de hele gemeente.").trigger("blur")
    await eventually(lambda: value_of(anna, "text-zin") == "Gezond opgroeien in de hele gemeente.",
                     what="the sentence is shared")


async def test_social_innovation_sorts_into_one_or_both_bins_and_describes(create_user: Callable[[], User]) -> None:
    """A part can be in progress and need attention at once (the workbook: you can work on all four
    continuously), so a tap does not move on; and the group describes each part."""
    _, (anna, bram, cem) = await trio(create_user, "sociale-innovatie")
    first = text_of(anna, "card-label")
    act(anna, "assign-aandacht").click()
    act(anna, "assign-mee-bezig").click()
    assert text_of(anna, "card-label") == first  # both bins on the same card
    act(bram, "assign-mee-bezig").click()
    act(cem, "assign-aandacht").click()
    await eventually(lambda: "Bram" in text_of(anna, "card-result"), what="sort revealed")
    act(cem, "text-item-nieuwe-kennis").type("We missen kennis over jongeren.").trigger("blur")
    await eventually(lambda: value_of(anna, "text-item-nieuwe-kennis") == "We missen kennis over jongeren.",
                     what="the description is shared")
    await eventually(partial(has, anna, "card-divergence"), what="they differ")


async def test_the_good_conversation_rotates_roles(create_user: Callable[[], User]) -> None:
    _, (anna, bram, _cem) = await trio(create_user, "goede-gesprek")
    assert "Jij observeert" in text_of(anna, "practice-role")
    assert "Anna kijkt mee" in text_of(bram, "practice-role")
    assert not getattr(need(bram, "step-waarnemen"), "enabled", True)
    act(anna, "step-waarnemen").click()
    await eventually(lambda: getattr(by_testid(bram, "step-waarnemen"), "value", False) is True,
                     what="Bram sees the tick")
    act(bram, "next-round").click()
    await eventually(lambda: "Ronde 2" in text_of(anna, "practice-round"), what="round 2")
    await eventually(lambda: "Jij observeert" in text_of(bram, "practice-role"), what="Bram observes now")
    assert getattr(by_testid(anna, "step-waarnemen"), "value", True) is False


async def test_the_agenda_is_prefilled_and_gets_actions(create_user: Callable[[], User]) -> None:
    svc = await ready()
    code, (anna, bram, cem) = await trio(create_user, "casus")
    act(anna, "text-omschrijving").type("Ideeën van inwoners komen niet tot uitvoering.").trigger("blur")
    await eventually(lambda: value_of(bram, "text-omschrijving") != "", what="case written")
    # the building blocks' actions and the competence game, as the group did them before
    state = await svc.store.load(code)
    assert state is not None
    ids = {p.name: p.id for p in state.participants.values()}
    await svc.store.start(code, "bouwstenen")
    await svc.store.write_text(code, ids["Anna"], 1, "bouwstenen", "acties",
                               "Bewoners samenbrengen in een netwerk\nWethouder uitnodigen")
    await svc.store.start(code, "competentiespel")
    for name in ids:
        await svc.store.assign(code, ids[name], 1, "competentiespel", "netwerken", [ids["Cem"]])
    await svc.store.start(code, "werkagenda")
    await eventually(partial(has, bram, "agenda-omschrijving"), what="the agenda opens")
    assert value_of(bram, "agenda-omschrijving") == "Ideeën van inwoners komen niet tot uitvoering."
    await eventually(lambda: "Voorstel uit Zeven bouwstenen" in inner(bram, "agenda-proposal-1"),
                     what="the building blocks' actions proposed")
    assert "Wethouder uitnodigen" in inner(bram, "agenda-proposal-2")
    # Bram takes the first proposal over with one tap: it is the group's action 1, no longer proposed
    act(bram, "agenda-take-1").click()
    await eventually(lambda: value_of(cem, "action-1-what") == "Bewoners samenbrengen in een netwerk",
                     what="Cem sees the action taken over")
    await eventually(lambda: not has(anna, "agenda-proposal-1"), what="the proposal is gone")
    assert has(anna, "agenda-proposal-2")
    # the competence game proposes Cem (the group gave him Netwerken); a tap fills wie
    await eventually(partial(shows, anna, "owner-proposal-action-1", "Voorstel: Cem (Netwerken)"),
                     what="the owner proposal")
    assert value_of(anna, "action-1-who") == ""
    act(anna, "owner-proposal-action-1").click()
    await eventually(lambda: value_of(bram, "action-1-who") == "Cem", what="Bram sees the owner")
    act(bram, "add-action").click()
    act(bram, "action-2-what").type("Spreekuur in het dorpshuis").trigger("blur")
    await eventually(lambda: value_of(cem, "action-2-what") == "Spreekuur in het dorpshuis",
                     what="Cem sees Bram's action")
    act(cem, "action-2-when").type("1 maart").trigger("blur")
    await eventually(lambda: value_of(anna, "action-2-when") == "1 maart", what="Anna sees the date")


async def test_the_host_runs_the_whole_programme_and_the_screen_follows(
    user: User, create_user: Callable[[], User]
) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    phone = create_user()
    await join(phone, code, "Anna")
    screen = create_user()
    await screen.open(f"/screen/{code}")
    await user.open(f"/host/{code}?t={token}")
    for activity in load_template().activities:
        act(user, f"start-{activity.id}").click()
        title = activity.title.nl
        await eventually(partial(shows, phone, "activity-title", title), what=f"phone shows {title}")
        await eventually(partial(shows, screen, "screen-title", title), what=f"screen shows {title}")
        if activity.intro is not None:  # the room reads the task too
            assert text_of(screen, "screen-task") == activity.intro.nl
        await eventually(partial(shows, user, f"status-{activity.id}", "loopt"), what="host shows running")
        assert "Traceback" not in visible_text(phone)
    assert "gedaan" in text_of(user, "status-casus")
    act(user, "timer-start").click()
    await eventually(lambda: "data-ends" in str(need(phone, "timer").props) and
                     float(need(phone, "timer").props["data-ends"]) > 0, what="the phone gets the timer")


async def test_a_custom_template_with_other_sliders_and_deck(create_user: Callable[[], User]) -> None:
    from rooms.templates import parse_template

    custom = parse_template(
        """
id: mijn-werkplaats
title: {nl: Mijn werkplaats}
activities:
  - kind: sliders
    id: samenwerking
    title: {nl: Samenwerking}
    positions: [{id: nu, label: {nl: Nu}}]
    items: [{id: tempo, label: {nl: Tempo}}]
  - kind: cards
    id: rollen
    title: {nl: Rollen}
    deck: [{id: trekker, label: {nl: Trekker}}, {id: remmer, label: {nl: Remmer}}]
"""
    )
    svc = await ready()
    code, (anna, bram, cem) = await trio(create_user, "samenwerking", custom)
    for user, value in ((anna, 10), (bram, 20), (cem, 90)):
        place(user, "tempo", "nu", value)
    await eventually(partial(diverges, anna, "tempo"), what="divergence on a custom slider")
    await svc.store.start(code, "rollen")
    await eventually(lambda: text_of(anna, "card-label") == "Trekker", what="the custom deck")


async def test_a_new_action_does_not_hide_a_proposal_whose_action_was_emptied(
    create_user: Callable[[], User]
) -> None:
    """A proposal taken over and then emptied by hand is offered again; an action added after it
    goes to a slot of its own, not to the one that still knows that proposal (it would hide it)."""
    svc = await ready()
    code, (anna, bram, _cem) = await trio(create_user, "casus")
    state = await svc.store.load(code)
    assert state is not None
    ids = {p.name: p.id for p in state.participants.values()}
    await svc.store.start(code, "bouwstenen")
    await svc.store.write_text(code, ids["Anna"], 1, "bouwstenen", "acties", "Raad bellen")
    await svc.store.start(code, "werkagenda")
    await eventually(partial(has, bram, "agenda-proposal-1"), what="the proposal")
    act(bram, "agenda-take-1").click()
    await eventually(lambda: value_of(anna, "action-1-what") == "Raad bellen", what="taken over")
    await svc.store.write_text(code, ids["Anna"], 1, "werkagenda", "action-1-what", "")  # emptied by hand
    await eventually(partial(has, bram, "agenda-proposal-1"), what="offered again")
    act(bram, "add-action").click()
    assert has(bram, "action-2-what") and not has(bram, "action-1-what")
    act(bram, "action-2-what").type("Spreekuur").trigger("blur")
    await eventually(lambda: value_of(anna, "action-2-what") == "Spreekuur", what="Anna sees the new action")
    assert has(anna, "agenda-proposal-1")  # still offered
