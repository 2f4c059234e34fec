"""What the projector and the host show, readable and bounded (issue 18), without a browser."""

from __future__ import annotations

from rooms import commands
from rooms.templates import SlidersActivity, Template
from rooms.views import SCREEN_GROUPS_MAX, Marker, host_view, screen_view
from tests.unit.builders import RoomBuilder
from workshop.components.group_card import progress_words
from workshop.components.markers import track
from workshop.i18n import Tr
from workshop.kinds.sliders import channel_html


def room_of(template: Template, people: int, activity: str) -> RoomBuilder:
    room = RoomBuilder(template)
    for n in range(people):
        room.join(f"Deelnemer {n + 1}")
    room.start(activity)
    return room


def test_a_large_room_is_shown_a_page_of_groups_at_a_time(template: Template) -> None:
    room = room_of(template, 90, "casus")
    first = screen_view(room.state)
    assert first.groups == 30 and first.pages == 4 and list(first.group_lines) == list(range(1, 9))
    last = screen_view(room.state, page=3)
    assert list(last.group_lines) == list(range(25, 31))
    assert screen_view(room.state, page=4).page == 0  # the pages go round
    assert all(len(screen_view(room.state, page=p).group_lines) <= SCREEN_GROUPS_MAX for p in range(4))


def test_every_group_of_the_page_is_listed_before_it_has_a_result(template: Template) -> None:
    room = room_of(template, 6, "bouwstenen")
    assert screen_view(room.state).group_lines == {1: [], 2: []}  # not a lone "en nog 2 groepen"


def test_a_fader_names_its_poles_and_speaks_plainly(template: Template) -> None:
    room = room_of(template, 3, "vijf-schuiven")
    for pid in room.state.participants:
        room.place(pid, "proces-bewoners", 10, 90)
    room.place(next(iter(room.state.participants)), "proces-bewoners", 80, 90)
    activity = template.activity("vijf-schuiven")
    assert isinstance(activity, SlidersActivity)
    view = screen_view(room.state)
    item = next(i for i in view.items if i.id == "proces-bewoners")
    html = channel_html(item, activity, Tr("nl"))
    assert "Vaste methoden en structurele aandacht" in html and "Per situatie gekozen" in html  # both ends named
    assert "Δ" not in html and "1 groep<" in html and "uiteen" in html
    markers = [Marker(participant_id=f"p{n}", name=name, values={"now": 40 + n, "goal": 70})
               for n, name in enumerate(["Anna de Vries", "Bram", "Cem"])]
    group = channel_html(item, activity, Tr("nl"), markers)
    assert group.count('class="knob person now"') == 3 and "AV 40/70" in group


def test_near_equal_markers_stack_instead_of_hiding(template: Template) -> None:
    markers = [Marker(participant_id=f"p{n}", name=f"P{n}", values={"now": v}) for n, v in enumerate([50, 52, 90])]
    html = track(markers, "now", "now")
    assert "bottom:-12px" in html and "bottom:16px" in html and 'style="height:62px"' in html


def test_host_progress_in_words(template: Template) -> None:
    room = room_of(template, 3, "vijf-schuiven")
    group = host_view(room.state).groups[0]
    assert progress_words(group, Tr("nl")) == "0 van 3 klaar"
    assert progress_words(group, Tr("en")) == "0 of 3 done"


def test_one_group_on_the_screen_gets_its_cards_as_a_heatmap(template: Template) -> None:
    from rooms.events import ScreenChanged

    room = room_of(template, 3, "best-persons")
    members = list(room.state.participants)
    for giver in members:
        room.emit(commands.assign(room.state.template, room.state.code, giver, "best-persons", "bruggenbouwers",
                                  [members[0]], 0.0, set(members)))
    room.emit(ScreenChanged(code=room.state.code, at=0.0, actor="host", mode="group:1"))
    view = screen_view(room.state)
    assert view.matrix is not None
    columns, rows = view.matrix
    assert columns == ["Deelnemer 1", "Deelnemer 2", "Deelnemer 3"] and rows == [("Bruggenbouwers", [3, 0, 0])]
    assert screen_view(room.state, page=0).group == 1


def test_one_group_on_the_screen_shows_where_the_alderman_would_put_it(template: Template) -> None:
    """As on the phones: the perspective's markers (the alderman's place, guessed by each member)
    in a lane of their own, in the group on the screen and in the spotlight."""
    from rooms.spotlight import Spot
    from workshop.components.spotlight import spotlight_html

    room = room_of(template, 3, "vijf-schuiven")
    activity = template.activity("vijf-schuiven")
    assert isinstance(activity, SlidersActivity) and activity.perspectives[0].id == "wethouder"
    pids = list(room.state.participants)
    for pid in pids:
        room.place(pid, "communicatie", 30, 80)
    room.emit(commands.place(template, "ABCDEF", pids[0], "vijf-schuiven", "communicatie", "wethouder", 15,
                             room.clock))
    room.emit(commands.show_on_screen(room.state, "group:1", room.clock))
    view = screen_view(room.state)
    item = next(i for i in view.items if i.id == "communicatie")
    html = channel_html(item, activity, Tr("nl"), view.group_markers["communicatie"])
    assert html.count('class="knob person persp"') == 1 and "(wethouder 15)" in html
    assert html.count('class="knob person now"') == 3
    english = channel_html(item, activity, Tr("en"), view.group_markers["communicatie"])
    assert "(alderman 15)" in english
    assert "knob person persp" not in channel_html(item, activity, Tr("nl"), [
        m.model_copy(update={"values": {k: v for k, v in m.values.items() if k != "wethouder"}})
        for m in view.group_markers["communicatie"]])  # nobody guessed: no empty lane
    room.emit(commands.show_on_screen(room.state, Spot(1, "vijf-schuiven", "communicatie", False).mode(), room.clock))
    spot = screen_view(room.state).spotlight
    assert spot is not None
    shown = spotlight_html(spot, activity, Tr("nl"))
    assert 'wp-spot-pos persp">wethouder' in shown and shown.count("wp-dot persp") == 1


def test_the_rooms_two_knobs_never_cover_each_other() -> None:
    from rooms.templates import Position, Text
    from workshop.kinds.sliders import KNOB_GAP, apart

    now, goal = Position(id="nu", label=Text(nl="nu")), Position(id="beoogd", label=Text(nl="beoogd"))
    assert apart({"nu": 20, "beoogd": 70}, [now, goal]) == {"nu": 20, "beoogd": 70}  # far apart: at their means
    close = apart({"nu": 68, "beoogd": 62}, [now, goal])
    assert close["nu"] - close["beoogd"] == KNOB_GAP and close["nu"] > close["beoogd"]  # just touching, in order
    assert (close["nu"] + close["beoogd"]) / 2 == 65
    top = apart({"nu": 100, "beoogd": 99}, [now, goal])
    assert max(top.values()) <= 100 and min(top.values()) >= 0 and abs(top["nu"] - top["beoogd"]) == KNOB_GAP
    assert apart({"nu": 40}, [now, goal]) == {"nu": 40}  # one knob: where it is
