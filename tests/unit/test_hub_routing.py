"""Which open views an event wakes: a trio's work and a join stay within the group they concern."""

from __future__ import annotations

from rooms import commands
from rooms.events import Event
from rooms.templates import Template
from tests.unit.builders import RoomBuilder
from workshop.hub import RoomFeed


class Recorder:
    def __init__(self, participant_id: str | None) -> None:
        self.participant_id = participant_id
        self.connected = True
        self.seen: list[str] = []

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        self.seen.append(event.type)


def room_with_views(template: Template) -> tuple[RoomBuilder, RoomFeed, dict[str, Recorder], Recorder]:
    room = RoomBuilder(template)
    for name in ["Anna", "Bram", "Cem", "Dirk", "Eva"]:
        room.join(name)
    room.start("vijf-schuiven")
    feed = RoomFeed("ABCDEF", room.state.model_copy(deep=True), "-")
    phones = {pid: Recorder(pid) for pid in room.state.participants}
    screen = Recorder(None)
    for view in [*phones.values(), screen]:
        feed.add(view)
    return room, feed, phones, screen


def woken(phones: dict[str, Recorder]) -> set[str]:
    return {pid for pid, view in phones.items() if view.seen}


def feed_last(room: RoomBuilder, feed: RoomFeed, phones: dict[str, Recorder], screen: Recorder) -> None:
    for view in [*phones.values(), screen]:
        view.seen.clear()
    feed.apply(room.events[-1])


def test_a_placement_wakes_the_trio_and_the_room_views(template: Template) -> None:
    room, feed, phones, screen = room_with_views(template)
    group_1 = {m.id for m in room.state.members(1)}
    room.place("p1", "communicatie", 40)
    feed_last(room, feed, phones, screen)
    assert woken(phones) == group_1 and screen.seen == ["slider-placed"]


def test_a_join_wakes_only_the_group_it_fills(template: Template) -> None:
    room, feed, phones, screen = room_with_views(template)
    pid = room.join("Fenna")
    group = room.state.participants[pid].group
    feed_last(room, feed, phones, screen)
    assert woken(phones) == {p for p, m in room.state.participants.items() if m.group == group and p != pid}
    assert woken(phones) and woken(phones) != set(phones)
    assert screen.seen == ["participant-joined"]
    assert feed.state.participants[pid].group == group


def test_a_move_wakes_the_group_left_and_the_group_joined(template: Template) -> None:
    room, feed, phones, screen = room_with_views(template)
    old = {m.id for m in room.state.members(1)}
    room.emit(commands.move_member(room.state, "p1", 2, room.clock))
    feed_last(room, feed, phones, screen)
    assert woken(phones) == old | {m.id for m in room.state.members(2)}


def test_the_host_s_steps_wake_everyone(template: Template) -> None:
    room, feed, phones, screen = room_with_views(template)
    room.emit(commands.lock(room.state, "vijf-schuiven", room.clock))
    feed_last(room, feed, phones, screen)
    assert woken(phones) == set(phones) and screen.seen
