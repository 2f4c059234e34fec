"""Results kept between events (``RoomState.memo``) never go stale: after every step of a random
session, every phone's, the host's and the screen's view from the live state (with its kept
results) equal the views from a fresh fold of the same events (with none), and the views taken
before the step are unchanged by it."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from rooms import commands
from rooms.commands import Rejected
from rooms.projection import fold
from rooms.templates import load_template
from rooms.views import current_sliders, host_view, participant_view, screen_view
from tests.unit import test_gate as GATE
from tests.unit.builders import RoomBuilder

ITEMS = ["communicatie", "proces-bewoners"]
TEMPLATE = load_template()

step = st.one_of(
    st.tuples(st.just("join")),
    st.tuples(st.just("place"), st.integers(0, 7), st.sampled_from(ITEMS), st.sampled_from(["now", "goal"]),
              st.integers(0, 100)),
    st.tuples(st.just("move"), st.integers(0, 7), st.integers(1, 3)),
    st.tuples(st.just("round"), st.integers(1, 3)),
    st.tuples(st.just("mode"), st.sampled_from(["when-complete", "live", "host"])),
    st.tuples(st.just("reveal"), st.integers(1, 3)),
    st.tuples(st.just("lock")),
)


def do(room: RoomBuilder, action: tuple) -> None:  # type: ignore[type-arg]
    pids = list(room.state.participants)
    kind, *args = action
    match kind:
        case "join":
            room.join(f"P{len(pids)}")
        case "place" if pids:
            room.emit(commands.place(room.state.template, "ABCDEF", pids[args[0] % len(pids)], "vijf-schuiven",
                                     args[1], args[2], args[3], room.clock))
        case "move" if pids:
            room.emit(commands.move_member(room.state, pids[args[0] % len(pids)], args[1], room.clock))
        case "round":
            room.emit(commands.start_round(room.state, "vijf-schuiven", args[0], "host", room.clock))
        case "mode":
            room.emit(commands.set_reveal_mode(room.state, "vijf-schuiven", args[0], room.clock))
        case "reveal":
            room.emit(commands.reveal(room.state, "vijf-schuiven", args[0], room.clock))
        case "lock":
            room.emit(commands.lock(room.state, "vijf-schuiven", room.clock))


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(step, min_size=1, max_size=40))
def test_kept_results_match_a_fresh_fold(steps: list[tuple]) -> None:  # type: ignore[type-arg]
    room = RoomBuilder(TEMPLATE)
    for name in ["Anna", "Bram", "Cem", "Dirk"]:
        room.join(name)
    room.start("vijf-schuiven")
    for action in steps:
        # a view is a snapshot: phones keep the last one to tell what changed, so the fold must
        # never change one it handed out (the state's dicts are changed in place)
        kept = {pid: participant_view(room.state, pid) for pid in room.state.participants}
        kept_screen, kept_host = screen_view(room.state), host_view(room.state)
        as_taken = ({pid: v.model_dump() for pid, v in kept.items() if v is not None},
                    kept_screen.model_dump(), kept_host.model_dump())
        try:
            do(room, action)
        except Rejected:
            continue
        assert ({pid: v.model_dump() for pid, v in kept.items() if v is not None},
                kept_screen.model_dump(), kept_host.model_dump()) == as_taken
        fresh = fold(room.events)
        assert fresh is not None
        live = room.state
        for pid in live.participants:
            assert participant_view(live, pid) == participant_view(fresh, pid)
        assert screen_view(live) == screen_view(fresh)
        assert host_view(live) == host_view(fresh)


@settings(max_examples=40, deadline=None)
@given(first=st.sampled_from(list(GATE.ACTIVITIES)),
       steps=st.lists(st.one_of(GATE.step, st.tuples(st.just("start"), st.sampled_from(list(GATE.ACTIVITIES))),
                                st.tuples(st.just("screen"), st.integers(0, 3))), min_size=1, max_size=30))
def test_kept_results_and_gated_parts_match_a_fresh_fold_in_every_kind(first: str, steps: list[tuple]) -> None:  # type: ignore[type-arg]
    """The same for every kind of exercise: the gate's kept parts and the projector's state that is
    brought up to date group by group never go stale."""
    room = RoomBuilder(GATE.TEMPLATE)
    counter = itertools.count()
    for name in ["Anna", "Bram", "Cem"]:
        room.join(name)
    room.start(first)
    for action in steps:
        try:
            if action[0] == "start":
                room.start(action[1])
            elif action[0] == "screen":
                mode = "room" if action[1] == 0 else f"group:{action[1]}"
                room.emit(commands.show_on_screen(room.state, mode, room.clock))
            else:
                GATE.do(room, action, lambda: f"woord{next(counter)}")
        except Rejected:
            continue
        fresh = fold(room.events)
        assert fresh is not None
        for pid in room.state.participants:
            assert participant_view(room.state, pid) == participant_view(fresh, pid)
        assert screen_view(room.state) == screen_view(fresh)


def test_a_placement_keeps_what_was_worked_out_for_the_groups_other_sliders() -> None:
    """A placement or a reason names one slider: what was kept about the group's other sliders
    stays (the screen redraws a hundred groups' five sliders ten times a second); what names no
    slider (a new round) drops it all."""
    from rooms import aggregates

    room = RoomBuilder(TEMPLATE)
    anna, bram, cem = (room.join(name) for name in ["Anna", "Bram", "Cem"])
    room.start("vijf-schuiven")
    for pid in (anna, bram, cem):
        room.place(pid, "communicatie", 40, 60)
        room.place(pid, "proces-bewoners", 30, 70)
    activity = current_sliders(room.state)
    assert activity is not None

    def result(item: str) -> aggregates.GroupItem:
        return aggregates.group_item(room.state, activity, item, 1)

    kept = result("communicatie")
    room.place(anna, "proces-bewoners", 90)
    assert result("communicatie") is kept  # the other slider moved: the same result
    room.reason(bram, "proces-bewoners", "omdat")
    assert result("communicatie") is kept
    room.place(anna, "communicatie", 10)
    moved = result("communicatie")
    assert moved is not kept and moved.spreads["now"] == 30
    room.emit(commands.start_round(room.state, "vijf-schuiven", 1, "host", room.clock))
    assert result("communicatie") is not moved  # a new round names no slider
