"""Visibility and divergence: who sees what, decided in the engine."""

from rooms import commands
from rooms.aggregates import mean, spread
from rooms.templates import Template
from rooms.views import participant_view, screen_view
from tests.unit.builders import RoomBuilder

DIM = "proces-bewoners"


def trio(template: Template) -> RoomBuilder:
    room = RoomBuilder(template)
    for name in ["Anna", "Bram", "Cem"]:
        room.join(name)
    room.start("vijf-schuiven")
    return room


def item(room: RoomBuilder, pid: str, dim: str = DIM):
    view = participant_view(room.state, pid)
    assert view is not None
    return next(i for i in view.items if i.id == dim)


def test_basic_aggregates() -> None:
    assert mean([10, 20, 60]) == 30
    assert spread([10, 20, 60]) == 50
    assert spread([]) is None and mean([]) is None


def test_positions_stay_hidden_until_the_whole_trio_has_placed(template: Template) -> None:
    room = trio(template)
    room.place("p1", DIM, 20, 80)
    room.place("p2", DIM, 30)  # only *now*: not yet placed
    for pid in ["p1", "p2", "p3"]:
        view = item(room, pid)
        assert not view.revealed
        assert view.markers == []
        assert view.spreads == {}
    assert item(room, "p1").placed == 1
    assert item(room, "p1").mine == {"now": 20, "goal": 80}
    assert item(room, "p2").mine == {"now": 30}  # your own placement is always yours to see

    room.place("p2", DIM, 30, 60)
    room.place("p3", DIM, 70, 90)
    for pid in ["p1", "p2", "p3"]:
        view = item(room, pid)
        assert view.revealed
        assert {m.name: m.values for m in view.markers} == {
            "Anna": {"now": 20, "goal": 80},
            "Bram": {"now": 30, "goal": 60},
            "Cem": {"now": 70, "goal": 90},
        }
        assert view.spreads == {"now": 50, "goal": 30}
        assert view.divergent
    # other dimensions are still hidden
    assert not item(room, "p1", "communicatie").revealed


def test_no_divergence_below_the_threshold(template: Template) -> None:
    room = trio(template)
    room.place("p1", DIM, 40, 60)
    room.place("p2", DIM, 50, 70)
    room.place("p3", DIM, 69, 89)
    view = item(room, "p1")
    assert view.revealed and view.spreads == {"now": 29, "goal": 29}
    assert not view.divergent


def test_threshold_is_reached_exactly(template: Template) -> None:
    room = trio(template)
    room.place("p1", DIM, 40, 50)
    room.place("p2", DIM, 40, 50)
    room.place("p3", DIM, 70, 50)
    assert item(room, "p1").divergent


def test_other_groups_never_see_each_other(template: Template) -> None:
    room = trio(template)
    for name in ["Dirk", "Eva", "Fay"]:
        room.join(name)
    for pid in ["p1", "p2", "p3", "p4", "p5", "p6"]:
        room.place(pid, DIM, 10, 20)
    names = {m.name for m in item(room, "p1").markers}
    assert names == {"Anna", "Bram", "Cem"}


def test_host_reveal_shows_incomplete_groups(template: Template) -> None:
    room = trio(template)
    room.place("p1", DIM, 20, 80)
    room.emit(commands.reveal(room.state, "vijf-schuiven", 1, room.clock))
    view = item(room, "p2")
    assert view.revealed
    assert [m.name for m in view.markers] == ["Anna"]


def test_screen_means_only_over_revealed_groups(template: Template) -> None:
    room = trio(template)
    for name in ["Dirk", "Eva", "Fay"]:
        room.join(name)
    room.place("p1", DIM, 20, 80)
    room.place("p2", DIM, 30, 60)
    room.place("p3", DIM, 70, 91)
    room.place("p4", DIM, 0, 0)  # group 2 incomplete: not in the room's figures
    screen = screen_view(room.state)
    channel = next(i for i in screen.items if i.id == DIM)
    assert channel.groups_included == 1
    assert channel.means == {"now": 40, "goal": 77}
    assert channel.lows == {"now": 20, "goal": 60} and channel.highs == {"now": 70, "goal": 91}
    assert channel.diverging == [(1, 50)]
    assert all(not m for m in screen.group_markers.values())


def test_screen_shows_one_group_only_once_revealed(template: Template) -> None:
    room = trio(template)
    room.place("p1", DIM, 20, 80)
    room.emit(commands.show_on_screen(room.state, "group:1", room.clock))
    assert DIM not in screen_view(room.state).group_markers
    room.place("p2", DIM, 30, 60)
    room.place("p3", DIM, 70, 90)
    markers = screen_view(room.state).group_markers[DIM]
    assert {m.name for m in markers} == {"Anna", "Bram", "Cem"}
    assert all(m.reason == "" for m in markers)  # reasons stay with the trio


def test_latecomer_hides_the_group_again_until_they_place(template: Template) -> None:
    room = RoomBuilder(template)
    for name in ["Anna", "Bram"]:
        room.join(name)
    room.start("vijf-schuiven")
    room.place("p1", DIM, 20, 80)
    room.place("p2", DIM, 30, 60)
    assert item(room, "p1").revealed
    room.join("Cem")  # joins the pair as its third member
    late = item(room, "p3")
    assert not late.revealed and late.markers == []


def test_a_view_is_a_snapshot_the_next_placement_leaves_alone(template: Template) -> None:
    """Phones keep their last view to tell what changed; the fold changes the state in place."""
    room = trio(template)
    pids = list(room.state.participants)
    for pid in pids:
        for position, value in (("now", 10), ("goal", 20)):
            room.emit(commands.place(room.state.template, "ABCDEF", pid, "vijf-schuiven", DIM, position, value,
                                     room.clock))
    kept = item(room, pids[0])
    assert kept.revealed and [m.values for m in kept.markers] == [{"now": 10, "goal": 20}] * 3
    room.emit(commands.place(room.state.template, "ABCDEF", pids[1], "vijf-schuiven", DIM, "now", 55, room.clock))
    assert [m.values for m in kept.markers] == [{"now": 10, "goal": 20}] * 3
    assert item(room, pids[0]).markers[1].values == {"now": 55, "goal": 20}


def test_a_view_built_past_pydantic_must_be_given_every_field() -> None:
    """``built`` sets fields without validating them: a field left out would be missing, not defaulted."""
    import pytest

    from rooms.view_models import Marker, built

    assert built(Marker, participant_id="p1", name="Anna", values={"now": 3}, reason="", number=1) == Marker(
        participant_id="p1", name="Anna", values={"now": 3}, number=1)
    with pytest.raises(TypeError, match="number"):
        built(Marker, participant_id="p1", name="Anna", values={}, reason="")
