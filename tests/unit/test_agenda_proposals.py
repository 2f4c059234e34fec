"""The agenda offers the actions of *Bouwstenen* as proposals the group takes over or leaves, and
proposes an owner per action from the competence game; both from what the whole group may know."""

from __future__ import annotations

import pytest
import yaml

from rooms import commands, exports
from rooms.kinds.agenda import KIND, ORIGIN_PART, free_action, proposals, split_actions
from rooms.kinds.agenda import actions as agenda_actions
from rooms.replay import describe
from rooms.templates import AgendaActivity, TemplateError, load_template, parse_template
from rooms.views import participant_view, screen_view
from tests.unit.builders import RoomBuilder

AGENDA = "werkagenda"
ACTIES = ("- Bewoners samenbrengen in een netwerk\n2. Wethouder uitnodigen in de wijk\n\n"
          "• bewoners  samenbrengen in een netwerk")


def room_with_actions(text: str = ACTIES) -> tuple[RoomBuilder, list[str]]:
    room = RoomBuilder(load_template())
    members = [room.join(name) for name in ("Anna", "Bram", "Cem")]
    room.start("bouwstenen")
    write(room, members[0], "bouwstenen", "acties", text)
    return room, members


def write(room: RoomBuilder, pid: str, activity: str, field: str, text: str) -> None:
    room.emit(commands.write_text(room.state.template, "ABCDEF", pid, 1, activity, field, text, room.clock))


def agenda(room: RoomBuilder) -> AgendaActivity:
    spec = room.state.template.activity("werkagenda")
    assert isinstance(spec, AgendaActivity)
    return spec


def view(room: RoomBuilder, pid: str):  # type: ignore[no-untyped-def]
    seen = participant_view(room.state, pid)
    assert seen is not None and seen.agenda is not None
    return seen.agenda


def test_each_line_of_the_actions_is_one_proposal_without_bullets_and_once() -> None:
    assert split_actions(ACTIES) == ["Bewoners samenbrengen in een netwerk", "Wethouder uitnodigen in de wijk"]
    assert split_actions("  \n") == []


def test_the_agenda_proposes_the_building_blocks_actions_and_leaves_them_out_of_the_prefill() -> None:
    room, (_anna, bram, _cem) = room_with_actions()
    room.start("werkagenda")
    seen = view(room, bram)
    assert [(p.n, p.text, p.source) for p in seen.proposals] == [
        (1, "Bewoners samenbrengen in een netwerk", "Zeven bouwstenen"),
        (2, "Wethouder uitnodigen in de wijk", "Zeven bouwstenen")]
    assert seen.actions == []  # proposals, not yet the group's actions
    reflectie, prefilled = seen.fields["reflectie"]
    assert prefilled and "Wethouder" not in reflectie  # not twice: only as a proposal
    summary = KIND.summary(room.state, agenda(room), 1, "nl")
    assert "Voorgestelde acties uit Zeven bouwstenen, nog niet overgenomen: 2" in summary
    assert not any("Wethouder" in line for line in summary)
    assert "nog niet overgenomen: 2" in screen_view(room.state).model_dump_json()


def test_a_proposal_taken_over_is_a_normal_action_and_not_offered_again_even_rewritten() -> None:
    room, (anna, bram, _cem) = room_with_actions()
    room.start("werkagenda")
    first = view(room, anna).proposals[0]
    slot = free_action(view(room, anna).actions)
    assert slot == "action-1"
    write(room, anna, "werkagenda", f"{slot}-what", first.text)
    write(room, anna, "werkagenda", f"{slot}-{ORIGIN_PART}", first.key)
    write(room, bram, "werkagenda", f"{slot}-what", "Voor 1 juni een netwerkavond met twintig bewoners")
    seen = view(room, bram)
    assert [p.n for p in seen.proposals] == [2]
    assert [(a.id, a.what) for a in seen.actions] == [("action-1", "Voor 1 juni een netwerkavond met twintig bewoners")]
    assert free_action(seen.actions) == "action-2"
    summary = KIND.summary(room.state, agenda(room), 1, "nl")
    assert "• Voor 1 juni een netwerkavond met twintig bewoners" in summary
    assert "Voorgestelde acties uit Zeven bouwstenen, nog niet overgenomen: 1" in summary
    # the exports and the report: what the group took over, not what it left
    report = "\n".join(KIND.report(room.state, agenda(room), 1, "nl"))
    table = " ".join(f"{r['value']} {r['text']}" for r in exports.rows(room.state) if r["activity"] == "werkagenda")
    assert "netwerkavond" in report and "netwerkavond" in table
    assert "Wethouder" not in table and "Wethouder" not in report


def test_an_action_emptied_offers_its_proposal_again() -> None:
    room, (anna, _bram, _cem) = room_with_actions()
    room.start("werkagenda")
    first = view(room, anna).proposals[0]
    write(room, anna, "werkagenda", "action-1-what", first.text)
    write(room, anna, "werkagenda", "action-1-from", first.key)
    write(room, anna, "werkagenda", "action-1-what", "")
    assert agenda_actions(room.state, agenda(room), 1) == []  # only where it came from is left: gone
    assert [p.n for p in proposals(room.state, agenda(room), 1)] == [1, 2]


def test_an_action_written_by_hand_as_proposed_takes_the_proposal_too() -> None:
    room, (anna, _bram, _cem) = room_with_actions()
    room.start("werkagenda")
    write(room, anna, "werkagenda", "action-4-what", "wethouder uitnodigen  in de wijk")
    assert [p.n for p in view(room, anna).proposals] == [1]


def test_taking_over_is_told_in_the_replay() -> None:
    room, (anna, _bram, _cem) = room_with_actions()
    room.start("werkagenda")
    before = room.state.model_copy(deep=True)
    event = commands.write_text(room.state.template, "ABCDEF", anna, 1, "werkagenda", "action-2-from", "bouwstenen:x",
                                room.clock)
    assert describe(event, before).split(" ", 1)[1] == "Anna neemt een voorgestelde actie over als actie 2"
    assert KIND.field_label(agenda(room), "action-2-from", "nl") == "Actie 2 · overgenomen voorstel"


def test_the_owner_proposal_uses_only_cards_the_group_revealed() -> None:
    room, (anna, bram, cem) = room_with_actions()
    template = room.state.template
    room.start("competentiespel")

    def give(pid: str) -> None:
        room.emit(commands.assign(template, "ABCDEF", pid, "competentiespel", "netwerken", [cem], room.clock,
                                  {anna, bram, cem}))

    give(anna)
    room.start("werkagenda")
    write(room, bram, "werkagenda", "action-1-what", "Bewoners samenbrengen in een netwerk")
    assert view(room, bram).owners == {}  # Anna's card alone is hers, not the group's
    room.start("competentiespel")
    give(bram)
    give(cem)
    room.start("werkagenda")
    owner = view(room, bram).owners["action-1"]
    assert (owner.name, owner.card) == ("Cem", "Netwerken")
    write(room, bram, "werkagenda", "action-1-who", "Cem")
    assert view(room, bram).actions[0].who == "Cem"  # filled only by a tap (a write), never by itself


def _default() -> dict:  # type: ignore[type-arg]
    from rooms.templates import DEFAULT_TEMPLATE

    return yaml.safe_load(DEFAULT_TEMPLATE.read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize("actions_from", [["casus"], ["later"], ["competentiespel"]])
def test_actions_from_must_be_an_earlier_activity_with_actions(actions_from: list[str]) -> None:
    data = _default()
    spec = next(a for a in data["activities"] if a["id"] == "werkagenda")
    spec["actions_from"] = actions_from
    with pytest.raises(TemplateError) as info:
        parse_template(yaml.safe_dump(data, allow_unicode=True), "copy.yaml")
    assert "actions_from" in str(info.value)


def test_the_reports_action_lines_speak_the_reports_language() -> None:
    room, (anna, *_rest) = room_with_actions()
    room.start(AGENDA)
    for part, text in [("what", "Buurtavond"), ("who", "Anna"), ("with", "Wijkteam"), ("when", "Mei"),
                       ("measure", "30 bewoners")]:
        write(room, anna, AGENDA, f"action-1-{part}", text)
    agenda = room.state.template.activity(AGENDA)
    assert isinstance(agenda, AgendaActivity)
    english = KIND.report(room.state, agenda, 1, "en")
    dutch = KIND.report(room.state, agenda, 1, "nl")
    assert "- Buurtavond · who: Anna · with whom: Wijkteam · when: Mei · done when: 30 bewoners" in english
    assert "- Buurtavond · wie: Anna · met wie: Wijkteam · wanneer: Mei · gelukt als: 30 bewoners" in dutch
