"""Reasons beside the positions (issue 16): a group's reasons reach its members once the slider is
revealed and never before; the screen's spotlight shows one group's slider with its reasons,
anonymised unless the host chose names, and nothing else of anyone's work."""

from __future__ import annotations

import pytest

from rooms import commands
from rooms.commands import Rejected
from rooms.spotlight import Spot, parse
from rooms.views import host_view, participant_view, screen_view
from tests.unit.builders import RoomBuilder
from tests.unit.test_gate_leaks import trio

DIM = "proces-bewoners"
OTHER = "communicatie"


def reasons_seen(room: RoomBuilder, pid: str, item: str = DIM) -> dict[str, str]:
    view = participant_view(room.state, pid)
    assert view is not None
    found = next(i for i in view.items if i.id == item)
    return {m.name: m.reason for m in found.markers}


def spotlight(room: RoomBuilder, group: int = 1, item: str = DIM, names: bool = False) -> None:
    mode = Spot(group=group, activity="vijf-schuiven", item=item, names=names).mode()
    room.emit(commands.show_on_screen(room.state, mode, room.clock))


def test_reasons_reach_the_group_once_revealed_and_not_before() -> None:
    room, anna, bram, cem = trio()
    room.start("vijf-schuiven")
    room.place(anna, DIM, 10, 90)
    room.reason(anna, DIM, "Anna haar waarom")
    room.place(bram, DIM, 40, 60)
    room.reason(bram, DIM, "Bram zijn waarom")
    for pid in (bram, cem):
        assert "Anna haar waarom" not in participant_view(room.state, pid).model_dump_json()  # type: ignore[union-attr]
    room.place(cem, DIM, 70, 75)
    for pid in (anna, bram, cem):
        assert reasons_seen(room, pid) == {"Anna": "Anna haar waarom", "Bram": "Bram zijn waarom", "Cem": ""}
    room.reason(cem, DIM, "Cem schrijft na het tonen")  # written after the reveal: there at once
    assert reasons_seen(room, anna)["Cem"] == "Cem schrijft na het tonen"
    host = host_view(room.state)
    assert {m.reason for m in host.groups[0].item_markers[DIM]} >= {"Anna haar waarom", "Cem schrijft na het tonen"}
    assert host.hotspot_markers[f"1:{DIM}"][0].reason == "Anna haar waarom"


def test_the_spotlight_shows_one_groups_slider_with_reasons_anonymised_unless_named() -> None:
    room, anna, bram, cem = trio()
    dora, _eli = room.join("Dora"), room.join("Eli")  # group 2
    room.start("vijf-schuiven")
    for pid, value, why in ((anna, 10, "te weinig tijd"), (bram, 50, "het hangt ervan af"),
                            (cem, 90, "wij doen dit al lang")):
        room.place(pid, DIM, value, value)
        room.reason(pid, DIM, why)
        room.place(pid, OTHER, 50, 50)
        room.reason(pid, OTHER, f"ander onderwerp {value}")
    room.place(dora, DIM, 33, 33)
    room.reason(dora, DIM, "Dora haar geheim")
    assert "te weinig tijd" not in screen_view(room.state).model_dump_json()  # the room view: no reasons
    spotlight(room)
    view = screen_view(room.state)
    assert view.spotlight is not None and view.spotlight.revealed
    said = {m.name: (m.reason, m.values["now"]) for m in view.spotlight.markers}
    assert said == {"Deelnemer A": ("te weinig tijd", 10), "Deelnemer B": ("het hangt ervan af", 50),
                    "Deelnemer C": ("wij doen dit al lang", 90)}
    dumped = view.model_dump_json()
    for hidden in ("Anna", "Bram", "Cem", "ander onderwerp", "Dora haar geheim"):
        assert hidden not in dumped, hidden
    assert screen_view(room.state, "en").spotlight.markers[0].name == "Participant A"  # type: ignore[union-attr]
    spotlight(room, names=True)
    view = screen_view(room.state)
    assert view.spotlight is not None and [m.name for m in view.spotlight.markers] == ["Anna", "Bram", "Cem"]
    assert "ander onderwerp" not in view.model_dump_json()


def test_an_unrevealed_group_is_not_spotlit() -> None:
    room, anna, bram, _cem = trio()
    room.start("vijf-schuiven")
    room.place(anna, DIM, 10, 90)
    room.reason(anna, DIM, "nog van mij alleen")
    room.place(bram, DIM, 40, 60)
    spotlight(room)
    view = screen_view(room.state)
    assert view.spotlight is not None and not view.spotlight.revealed and view.spotlight.markers == []
    assert "nog van mij alleen" not in view.model_dump_json() and "10" not in str(view.spotlight)


@pytest.mark.parametrize("mode", ["spotlight:anon:7:vijf-schuiven:" + DIM, "spotlight:anon:1:vijf-schuiven:geen",
                                  "spotlight:anon:1:casus:" + DIM, "spotlight:open:1:vijf-schuiven:" + DIM,
                                  "spotlight:anon:1:vijf-schuiven:" + DIM + ":extra"])
def test_a_spotlight_on_nothing_is_refused(mode: str) -> None:
    room, *_ = trio()
    with pytest.raises(Rejected):
        commands.show_on_screen(room.state, mode, room.clock)


def test_the_mode_names_the_spot() -> None:
    spot = Spot(group=12, activity="vijf-schuiven", item=DIM, names=True)
    assert parse(spot.mode()) == spot
    assert parse("group:1") is None and parse("room") is None


def test_the_agenda_is_pre_filled_with_the_groups_reasons_once_revealed() -> None:
    from tests.unit.test_gate_leaks import agenda_text

    room, anna, bram, cem = trio()
    room.start("vijf-schuiven")
    room.place(anna, DIM, 10, 90)
    room.reason(anna, DIM, "Anna haar waarom")
    room.place(bram, DIM, 40, 60)
    room.reason(bram, DIM, "Bram zijn waarom")
    for pid in (anna, bram, cem):
        assert "waarom" not in agenda_text(room, pid)  # not revealed: not the group's yet
    room.start("vijf-schuiven")
    room.place(cem, DIM, 70, 75)
    for pid in (anna, bram, cem):
        text = agenda_text(room, pid)
        assert "Anna (10 / 90): Anna haar waarom" in text and "Bram (40 / 60): Bram zijn waarom" in text


def test_what_would_move_it_flows_into_the_agenda() -> None:
    from tests.unit.test_gate_leaks import agenda_text

    room, anna, bram, cem = trio()
    room.start("vijf-schuiven")
    for pid in (anna, bram, cem):
        room.place(pid, DIM, 20, 80)
    template = room.state.template
    room.emit(commands.write_text(template, "ABCDEF", anna, 1, "vijf-schuiven", "move-item", DIM, room.clock))
    room.emit(commands.write_text(template, "ABCDEF", bram, 1, "vijf-schuiven", "move-need",
                                  "Een vast aanspreekpunt voor initiatieven", room.clock))
    assert participant_view(room.state, cem).texts == {  # type: ignore[union-attr]
        "move-item": DIM, "move-need": "Een vast aanspreekpunt voor initiatieven"}
    assert ("Wat is er nodig om Proces met bewoners te verschuiven: Een vast aanspreekpunt voor initiatieven"
            in agenda_text(room, cem))
    with pytest.raises(Rejected):
        commands.write_text(template, "ABCDEF", anna, 1, "vijf-schuiven", "move-colour", "blauw", room.clock)


def test_the_aldermans_perspective_is_a_third_marker_that_nobody_has_to_place() -> None:
    room, anna, bram, cem = trio()
    room.start("vijf-schuiven")
    template = room.state.template
    room.emit(commands.place(template, "ABCDEF", anna, "vijf-schuiven", DIM, "wethouder", 95, room.clock))
    room.place(anna, DIM, 10, 90)
    room.place(bram, DIM, 40, 60)
    assert "95" not in participant_view(room.state, bram).model_dump_json()  # type: ignore[union-attr]
    room.place(cem, DIM, 70, 75)  # done without anyone's perspective but Anna's: revealed
    view = participant_view(room.state, bram)
    assert view is not None
    item = next(i for i in view.items if i.id == DIM)
    assert item.revealed and "wethouder" not in item.spreads and item.spreads["now"] == 60
    assert {m.name: m.values.get("wethouder") for m in item.markers} == {"Anna": 95, "Bram": None, "Cem": None}
    room.emit(commands.place(template, "ABCDEF", cem, "vijf-schuiven", DIM, "wethouder", 30, room.clock))
    item = next(i for i in participant_view(room.state, bram).items if i.id == DIM)  # type: ignore[union-attr]
    assert item.spreads["wethouder"] == 65
