import pytest

from rooms import commands
from rooms.commands import Rejected, clean_name, clean_value, unique_name
from rooms.templates import Template
from tests.unit.builders import RoomBuilder


def test_names_are_trimmed_and_bounded() -> None:
    assert clean_name("  Anna   de  Vries ") == "Anna de Vries"
    assert clean_name("x" * 40) == "x" * 40
    for bad in ["", "   ", "x" * 41, "x" * 5000, None, 12]:
        with pytest.raises(Rejected):
            clean_name(bad)


def test_a_name_holds_no_invisible_characters() -> None:
    """A name is seen on every phone and the screen: one of only invisible characters is empty, and
    zero-width ones do not make a second "Anna" that reads the same; emoji keep their joiner."""
    for bad in ["\u200b", "\u2060\u2060", "\ufeff", "\u00ad \u200e"]:
        with pytest.raises(Rejected):
            clean_name(bad)
    assert clean_name("An\u200bna\u00ad") == "Anna"
    assert clean_name("Eva \U0001f469\u200d\U0001f467") == "Eva \U0001f469\u200d\U0001f467"


def test_html_in_a_name_stays_text() -> None:
    assert clean_name("<b>Bram</b>") == "<b>Bram</b>"  # stored as typed; pages render it as plain text


def test_duplicate_names_get_a_suffix() -> None:
    assert unique_name("Anna", set()) == "Anna"
    assert unique_name("anna", {"Anna"}) == "anna (2)"
    assert unique_name("Anna", {"Anna", "Anna (2)"}) == "Anna (3)"
    assert len(unique_name("x" * 40, {"x" * 40})) <= 40


@pytest.mark.parametrize("raw, expected", [(0, 0), (100, 100), (42.4, 42), ("70", 70), (" 55,6 ", 56)])
def test_slider_values_accepted(raw: object, expected: int) -> None:
    assert clean_value(raw) == expected


@pytest.mark.parametrize("raw", [-1, 101, 1e9, float("nan"), float("inf"), "abc", "", None, True, [50], {"v": 1}])
def test_slider_values_refused(raw: object) -> None:
    with pytest.raises(Rejected):
        clean_value(raw)


def group_sizes(builder: RoomBuilder) -> list[int]:
    return [len(builder.state.members(g)) for g in builder.state.groups()]


def test_trios_fill_in_join_order_and_nobody_is_alone(template: Template) -> None:
    room = RoomBuilder(template)
    seen = []
    for n in range(1, 11):
        room.join(f"P{n}")
        seen.append(group_sizes(room))
    assert seen == [
        [1], [2], [3], [4], [3, 2], [3, 3], [3, 4], [3, 3, 2], [3, 3, 3], [3, 3, 4],
    ]


@pytest.mark.parametrize("size", [2, 3, 4, 5, 6])
def test_no_group_of_one_for_any_group_size(template: Template, size: int) -> None:
    room = RoomBuilder(template, group_size=size)
    for n in range(1, 40):
        room.join(f"P{n}")
        sizes = group_sizes(room)
        assert n == 1 or min(sizes) >= 2, sizes
        assert max(sizes) <= size + 1


def test_latecomer_after_host_moves_joins_smallest_group(template: Template) -> None:
    room = RoomBuilder(template)
    for n in range(1, 7):
        room.join(f"P{n}")
    room.emit(commands.move_member(room.state, "p6", 1, room.clock))  # groups now 4 and 2
    room.join("Late")
    assert group_sizes(room) == [4, 3]


def test_move_member_checks_its_input(template: Template) -> None:
    room = RoomBuilder(template)
    room.join("A")
    for bad in [0, 3, "1", None, True]:
        with pytest.raises(Rejected):
            commands.move_member(room.state, "p1", bad, 0)
    with pytest.raises(Rejected):
        commands.move_member(room.state, "nobody", 1, 0)


def test_place_refuses_unknown_activity_item_and_position(template: Template) -> None:
    for activity, item, position in [
        ("nope", "communicatie", "now"),
        ("vijf-schuiven", "nope", "now"),
        ("vijf-schuiven", "communicatie", "later"),
    ]:
        with pytest.raises(Rejected):
            commands.place(template, "ABCDEF", "p1", activity, item, position, 50, 0)


def test_reason_is_bounded_and_only_where_the_activity_asks_for_one(template: Template) -> None:
    with pytest.raises(Rejected):
        commands.write_reason(template, "ABCDEF", "p1", "vijf-schuiven", "communicatie", "x" * 1001, 0)
    with pytest.raises(Rejected):
        commands.write_reason(template, "ABCDEF", "p1", "pionier-doordenker", "positie", "why", 0)


def test_advance_walks_the_programme_and_stops_at_the_end(template: Template) -> None:
    room = RoomBuilder(template)
    order = []
    while True:
        try:
            event = commands.advance(room.state, room.clock)
        except Rejected:
            break
        room.emit(event)
        order.append(room.state.current)
    assert order == [a.id for a in template.activities]


def test_screen_modes(template: Template) -> None:
    room = RoomBuilder(template)
    room.join("A")
    room.join("B")
    for mode in ["room", "blank", "join", "group:1"]:
        assert commands.show_on_screen(room.state, mode, 0).mode == mode
    for bad in ["group:7", "group:", "everything", ""]:
        with pytest.raises(Rejected):
            commands.show_on_screen(room.state, bad, 0)
