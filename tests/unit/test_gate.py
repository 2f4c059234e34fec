"""The visibility gate, checked against its rules rather than its code: for random sessions
(random people, groups, reveal modes and work in every kind of activity), everything a phone
or the projector would be sent, for every activity as the current one, stays exactly the same
when everything hidden from that viewer is changed. A value that leaked would show the change.

The rules (the oracle below, written without the gate): a member's own work is theirs; another
member's work in the group is known once that unit (slider, card, choice) is revealed (everyone
in the group did it, the activity is live, or the host revealed it); a group's shared texts are
the group's; a text a member writes for themselves is known to nobody else; a past round's
positions are known as they were revealed when it ended; the projector knows what groups
revealed, but not the reasons, their shared texts but no own option before the group's choice is
shown and no observer's notes; nobody but the host knows another group's work.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from functools import partial

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms import commands
from rooms.commands import Rejected
from rooms.models import RoomState, group_owner
from rooms.templates import Template, TextActivity, TextField, load_template
from rooms.templates import Text as Label
from rooms.views import host_view, participant_view, screen_view
from tests.unit.builders import RoomBuilder

BASE = load_template()
TEMPLATE = Template.model_validate({
    **BASE.model_dump(),
    "activities": [
        *BASE.activities,
        TextActivity(id="eigen-notities", title=Label(nl="Voor jezelf"), scope="member",
                     fields=[TextField(id="notitie", label=Label(nl="Notitie"))]),
    ],
})
ACTIVITIES = {a.id: a for a in TEMPLATE.activities}
SLIDERS = ["pionier-doordenker", "spanningsvelden", "vijf-schuiven", "bouwstenen"]
DECKS = ["bouwstenen", "competentiespel", "best-persons", "sociale-innovatie"]
REVEALING = ["vijf-schuiven", "spanningsvelden", "bouwstenen", "koppelkansen", "sociale-innovatie",
             "competentiespel", "best-persons"]

who = st.integers(0, 9)
step = st.one_of(
    st.tuples(st.just("join")),
    st.tuples(st.just("move"), who, st.integers(1, 3)),
    st.tuples(st.just("place"), who, st.sampled_from(SLIDERS), st.integers(0, 9), st.integers(0, 2),
              st.integers(0, 100)),
    st.tuples(st.just("reason"), who, st.integers(0, 4)),
    st.tuples(st.just("note"), who, st.integers(1, 3)),
    st.tuples(st.just("assign"), who, st.sampled_from(DECKS), st.integers(0, 5), st.integers(0, 4)),
    st.tuples(st.just("choose"), who, st.integers(1, 31)),
    st.tuples(st.just("own"), who, st.integers(1, 2)),
    st.tuples(st.just("text"), who, st.sampled_from(["casus|titel", "koppelkansen|zin", "werkagenda|oppakken",
                                                     "eigen-notities|notitie", "bouwstenen|acties",
                                                     "werkagenda|action-1-what", "goede-gesprek|r1-tips",
                                                     "goede-gesprek|r1-step-waarnemen"])),
    st.tuples(st.just("reveal"), st.sampled_from(REVEALING), st.integers(0, 3)),
    st.tuples(st.just("mode"), st.sampled_from(REVEALING), st.sampled_from(["when-complete", "live", "host"])),
    st.tuples(st.just("round"), st.integers(1, 3), st.sampled_from(["vijf-schuiven", "goede-gesprek"])),
)


def do(room: RoomBuilder, action: tuple, words: Callable[[], str]) -> None:  # type: ignore[type-arg]
    state, template = room.state, room.state.template
    pids = list(state.participants)
    kind, *args = action
    if kind == "join":
        room.join(f"P{len(pids)}")
        return
    if kind in ("reveal", "mode", "round"):
        match kind:
            case "reveal":
                room.emit(commands.reveal(state, args[0], args[1] or None, room.clock))
            case "mode":
                room.emit(commands.set_reveal_mode(state, args[0], args[1], room.clock))
            case "round":
                room.emit(commands.start(state, args[1], room.clock))
                room.emit(commands.start_round(room.state, args[1], args[0], "host", room.clock))
        return
    if not pids:
        return
    pid = pids[args[0] % len(pids)]
    me = state.participants[pid]
    match kind:
        case "move":
            room.emit(commands.move_member(state, pid, args[1], room.clock))
        case "place":
            sliders = commands.sliders_activity(template, args[1])
            item = sliders.items[args[2] % len(sliders.items)].id
            position = sliders.positions[args[3] % len(sliders.positions)].id
            room.emit(commands.place(template, "ABCDEF", pid, args[1], item, position, args[4], room.clock))
        case "reason":
            item = commands.sliders_activity(template, "vijf-schuiven").items[args[1]].id
            room.emit(commands.write_reason(template, "ABCDEF", pid, "vijf-schuiven", item, words(), room.clock))
        case "note":
            room.emit(commands.write_text(template, "ABCDEF", pid, me.group, "bouwstenen", f"note-{args[1]}",
                                          words(), room.clock))
        case "assign":
            activity = ACTIVITIES[args[1]]
            cards = [c.id for c in getattr(activity, "deck", []) or getattr(activity, "items", [])]
            if activity.id == "bouwstenen":
                cards = [f for f in state.group_texts("bouwstenen", me.group) if f.startswith("note-")]
            if not cards:
                return
            pool = [c.id for c in getattr(activity, "categories", []) or getattr(activity, "bins", [])]
            members = [m.id for m in state.members(me.group)]
            targets = pool or [*members, commands.NONE_TARGET]
            room.emit(commands.assign(template, "ABCDEF", pid, activity.id, cards[args[2] % len(cards)],
                                      [targets[args[3] % len(targets)]], room.clock, set(members)))
        case "choose":
            options = ["energietransitie", "veilige-wijk", "gezonde-wijk", "klimaatadaptatie", "own-1"]
            chosen = [o for bit, o in enumerate(options) if args[1] >> bit & 1]
            room.emit(commands.choose(template, "ABCDEF", pid, "koppelkansen", chosen, room.clock))
        case "own":
            room.emit(commands.write_text(template, "ABCDEF", pid, me.group, "koppelkansen", f"own-{args[1]}",
                                          words(), room.clock))
        case "text":
            activity, field = args[1].split("|")
            text = "x" if "step" in field else words()
            room.emit(commands.write_text(template, "ABCDEF", pid, me.group, activity, field, text, room.clock))


# -- the oracle --------------------------------------------------------------------------------


def revealed(state: RoomState, activity: str, group: int, done: int) -> bool:
    spec = ACTIVITIES[activity]
    mode = state.reveal_modes.get(activity) or getattr(spec, "reveal", "when-complete")
    members = len(state.members(group))
    host = activity in state.revealed_all or group in state.revealed_groups.get(activity, set())
    return host or mode == "live" or (mode == "when-complete" and members > 0 and done == members)


def slider_done(state: RoomState, activity: str, item: str, group: int) -> int:
    positions = {"pionier-doordenker": 1, "spanningsvelden": 1, "vijf-schuiven": 2, "bouwstenen": 1}[activity]
    placed = state.placements.get(activity, {}).get(item, {})
    return sum(1 for m in state.members(group) if len(placed.get(m.id, {})) == positions)


def choice_options(state: RoomState, group: int) -> set[str]:
    return {"energietransitie", "veilige-wijk", "gezonde-wijk", "klimaatadaptatie",
            *(f for f in state.group_texts("koppelkansen", group) if f.startswith("own-"))}


def choice_done(state: RoomState, group: int) -> int:
    chosen = state.choices.get("koppelkansen", {})
    return sum(1 for m in state.members(group) if set(chosen.get(m.id, [])) & choice_options(state, group))


def changed(text: str) -> str:
    return "≠" + text[::-1]


def perturb(state: RoomState, groups: set[int], own: str | None, screen: bool) -> RoomState:
    """A copy of ``state`` in which everything hidden from the viewer is different (with the same
    amount of work done, which is public): ``groups`` are the groups whose revealed work the viewer
    knows, ``own`` the member whose own work they know."""
    out = fresh(state, placements=copy.deepcopy(state.placements), reasons=copy.deepcopy(state.reasons),
                cards=copy.deepcopy(state.cards), choices=copy.deepcopy(state.choices),
                texts=copy.deepcopy(state.texts), rounds=copy.deepcopy(state.rounds))
    group_of = {p.id: p.group for p in state.participants.values()}

    def known(pid: str, activity: str, done: Callable[[int], int]) -> bool:
        group = group_of.get(pid)
        return pid == own or (group in groups and revealed(state, activity, group, done(group)))

    for activity, items in out.placements.items():
        for item, by_member in items.items():
            for pid, placed in by_member.items():
                if not known(pid, activity, partial(slider_done, state, activity, item)):
                    for position in placed:
                        placed[position] = (placed[position] + 37) % 101
                    if pid in out.reasons.get(activity, {}).get(item, {}):
                        out.reasons[activity][item][pid] = changed(out.reasons[activity][item][pid])
                elif screen and pid in out.reasons.get(activity, {}).get(item, {}):  # the why stays in the group
                    out.reasons[activity][item][pid] = changed(out.reasons[activity][item][pid])
    for activity, cards in out.cards.items():
        for assigned in cards.values():
            done = {g: sum(1 for m in state.members(g) if m.id in assigned) for g in state.groups()}
            for pid, targets in assigned.items():
                if not known(pid, activity, done.__getitem__):
                    assigned[pid] = ["other-target-" + t for t in targets]
    for activity, chosen in out.choices.items():
        for pid in chosen:
            group = group_of.get(pid)
            counts = group is not None and any(o in choice_options(state, group) for o in chosen[pid])
            if counts and not known(pid, activity, partial(choice_done, state)):
                other = [o for o in ["energietransitie", "veilige-wijk", "gezonde-wijk", "klimaatadaptatie"]
                         if o not in chosen[pid]]
                chosen[pid] = other[:1] or ["energietransitie"]
    for activity, by_owner in out.texts.items():
        for owner, fields in by_owner.items():
            group = int(owner[1:]) if owner.startswith("g") and owner[1:].isdigit() else None
            for field in list(fields):
                if group is None:  # a member's own text
                    hidden = owner != own
                elif group not in groups or (screen and activity == "goede-gesprek"):
                    hidden = True
                elif screen and field.startswith("own-"):
                    hidden = not revealed(state, "koppelkansen", group, choice_done(state, group))
                else:
                    hidden = False
                if hidden:
                    fields[field] = changed(fields[field])
    for activity, by_group in out.rounds.items():
        positions = {"pionier-doordenker": 1, "spanningsvelden": 1, "vijf-schuiven": 2}.get(activity, 0)
        for group, records in by_group.items():
            for record in records:
                for before in record.before.values():
                    complete = sum(1 for values in before.values() if len(values) == positions)
                    whole = revealed(state, activity, group, complete)
                    for pid, values in before.items():
                        if pid != own and (group not in groups or not whole):
                            for position in values:
                                values[position] = (values[position] + 37) % 101
    return out


def fresh(state: RoomState, **changes: object) -> RoomState:
    """The same room with ``changes``, and nothing kept from ``state``'s earlier results."""
    return RoomState.model_construct(**{**{f: getattr(state, f) for f in RoomState.model_fields}, **changes})


def current(state: RoomState, activity: str, screen: str = "room") -> RoomState:
    return fresh(state, current=activity, screen=screen)


def phone(state: RoomState, pid: str) -> list[object]:
    return [view.model_dump() if (view := participant_view(current(state, a), pid)) else None for a in ACTIVITIES]


def projector(state: RoomState) -> list[object]:
    modes = ["room", *(f"group:{g}" for g in state.groups())]
    return [screen_view(current(state, a, mode)).model_dump() for a in ACTIVITIES for mode in modes]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(size=st.integers(2, 4), steps=st.lists(step, min_size=1, max_size=30))
def test_nothing_hidden_reaches_a_phone_or_the_screen(size: int, steps: list[tuple]) -> None:  # type: ignore[type-arg]
    room = RoomBuilder(TEMPLATE, group_size=size)
    counter = itertools.count()
    for name in ["Anna", "Bram", "Cem"]:
        room.join(name)
    for action in steps:
        try:
            do(room, action, lambda: f"woord{next(counter)}")
        except Rejected:
            continue
    state = room.state
    for pid, member in state.participants.items():
        assert phone(state, pid) == phone(perturb(state, {member.group}, pid, screen=False), pid), pid
    assert projector(state) == projector(perturb(state, set(state.groups()), None, screen=True))


def test_the_check_sees_a_leak() -> None:
    """The differential check is not vacuous: the host, who sees everything, sees the change."""
    room = RoomBuilder(TEMPLATE)
    anna = room.join("Anna")
    room.join("Bram")
    room.join("Cem")
    room.place(anna, "proces-bewoners", 13, 97)
    state = room.state
    hidden = perturb(state, {1}, "someone-else", screen=False)
    assert host_view(current(state, "vijf-schuiven")) != host_view(current(hidden, "vijf-schuiven"))
    # and the phone of a colleague does not
    bram = next(p for p in state.participants if p != anna)
    assert phone(state, bram) == phone(perturb(state, {1}, bram, screen=False), bram)
    assert group_owner(1) == "g1"
