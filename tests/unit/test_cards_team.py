"""The competence game's joint pass (``rooms.kinds.cards_team``): after the members' own choices
are revealed, the group settles each card together, and the team's results follow that decision."""

from __future__ import annotations

import pytest

from rooms import commands, exports, gate
from rooms.events import CardSettled
from rooms.kinds.cards import KIND as CARDS
from rooms.projection import fold
from rooms.replay import describe
from rooms.templates import CardsActivity, Template
from rooms.views import participant_view, screen_view
from tests.unit.builders import RoomBuilder


def competence_room(template: Template) -> tuple[RoomBuilder, list[str]]:
    room = RoomBuilder(template)
    people = [room.join(name) for name in ("Anna", "Bram", "Cem", "Dirk", "Eva", "Fien")]
    room.start("competentiespel")
    return room, people


def assign(room: RoomBuilder, pid: str, card: str, targets: list[str]) -> None:
    group = {m.id for m in room.state.members(room.state.participants[pid].group)}
    room.emit(commands.assign(room.state.template, "ABCDEF", pid, "competentiespel", card, targets, room.clock, group))


def settle(room: RoomBuilder, pid: str, card: str, targets: list[str]) -> CardSettled:
    event = commands.settle(room.state, pid, "competentiespel", card, targets, room.clock)
    room.emit(event)
    return event


def game(template: Template) -> CardsActivity:
    activity = template.activity("competentiespel")
    assert isinstance(activity, CardsActivity) and activity.joint
    return activity


def test_a_card_is_settled_together_only_once_the_groups_choices_are_shown(template: Template) -> None:
    room, (anna, bram, cem, *_) = competence_room(template)
    assign(room, anna, "lef", [bram])
    assign(room, bram, "lef", [cem])
    with pytest.raises(commands.Rejected) as refused:
        settle(room, anna, "lef", [bram])
    assert refused.value.reason == "not-revealed"
    assign(room, cem, "lef", [bram, cem])
    event = settle(room, anna, "lef", [bram])
    assert event.group == 1 and event.targets == [bram]
    settle(room, cem, "lef", [bram, cem])  # anyone in the group may change it: the last decision stands
    result = CARDS.result(room.state, game(template), "lef", 1)
    assert result.joint == [bram, cem] and dict(result.choices)[anna] == [bram]  # beside the own votes


def test_a_joint_decision_names_only_the_own_group_and_only_where_the_game_has_one(template: Template) -> None:
    room, (anna, bram, cem, dirk, *_) = competence_room(template)
    for pid in (anna, bram, cem):
        assign(room, pid, "lef", [bram])
    with pytest.raises(commands.Rejected):
        settle(room, anna, "lef", [dirk])  # Dirk is in group 2
    with pytest.raises(commands.Rejected):
        settle(room, anna, "geen-kaart", [bram])
    room.start("best-persons")
    with pytest.raises(commands.Rejected) as refused:
        room.emit(commands.settle(room.state, anna, "best-persons", "bruggenbouwers", [bram], room.clock))
    assert refused.value.reason == "no-joint"


def test_the_team_profile_strengths_and_gaps_follow_the_joint_decision(template: Template) -> None:
    room, (anna, bram, cem, *_) = competence_room(template)
    activity = game(template)
    for pid, humour in ((anna, ["none"]), (bram, [anna]), (cem, ["none"])):
        assign(room, pid, "humor", humour)  # on their own, two of three miss humour in the team
        assign(room, pid, "geduld", [cem] if pid == anna else ["none"])
    assert CARDS.team_gaps(room.state, activity, 1) == [] and CARDS.team_strengths(room.state, activity, 1) == []
    profile = {e.name: e for e in CARDS.team_profile(room.state, activity, 1)}
    assert profile["Anna"].mentioned == ["humor"] and profile["Cem"].mentioned == ["geduld"]
    settle(room, bram, "humor", [anna])  # together: Anna has it after all
    settle(room, anna, "geduld", ["none"])  # together: nobody has patience
    profile = {e.name: e for e in CARDS.team_profile(room.state, activity, 1)}
    assert profile["Anna"].agreed == ["humor"] and profile["Anna"].mentioned == []
    assert profile["Cem"].agreed == [] and profile["Cem"].mentioned == []
    assert "humor" in CARDS.team_strengths(room.state, activity, 1)
    assert CARDS.team_gaps(room.state, activity, 1) == ["geduld"]
    lines = CARDS.summary(room.state, activity, 1, "nl")
    assert "Mist in het team: Geduld" in lines and "Samen vastgesteld: 2 van 44 kaarten" in lines, lines
    settle(room, cem, "humor", [])  # withdrawn: back to what the members chose on their own
    assert CARDS.result(room.state, activity, "humor", 1).joint is None
    assert {e.name: e for e in CARDS.team_profile(room.state, activity, 1)}["Anna"].mentioned == ["humor"]


def test_the_joint_decision_is_the_groups_to_see_and_is_told_in_exports_and_replay(template: Template) -> None:
    room, (anna, bram, cem, dirk, *_) = competence_room(template)
    for pid in (anna, bram, cem):
        assign(room, pid, "lef", [bram] if pid != cem else [cem])
    event = settle(room, anna, "lef", [bram, cem])
    for pid in (bram, cem):
        view = participant_view(room.state, pid)
        assert view is not None
        lef = next(c for c in view.cards if c.id == "lef")
        assert lef.joint == sorted([bram, cem])
    other = participant_view(room.state, dirk)
    assert other is not None and all(c.joint is None for c in other.cards)
    assert "g1" not in str(gate.visible(room.state, gate.Member(dirk)).cards)
    assert gate.visible(room.state, gate.Screen()).cards["competentiespel"]["lef"]["g1"] == sorted([bram, cem])
    assert screen_view(room.state).activity == "competentiespel"
    rows = [r for r in exports.rows(room.state) if r["position"] == "joint"]
    assert len(rows) == 1 and rows[0]["group"] == 1 and "Bram" in rows[0]["value"] and "Cem" in rows[0]["value"]
    before = fold(room.events[:-1])
    said = describe(event, before, "nl")
    assert said.endswith(" Groep 1 stelt samen vast: Lef past bij Bram, Cem (door Anna)"), said
    assert fold(room.events) == room.state
