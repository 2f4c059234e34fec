"""When a group's individual work may be shown: done and revealed, per unit of work.

A unit is what a member does one by one and the group sees one by one: a slider, a card, a
whole choice. Whether it is revealed depends on how many members have done it, which the
gate's viewers may not see for themselves (a member sees that a colleague has placed, not
where). So the gate answers these questions from the whole state and hands the answers along
with the state it cuts down (``RoomState.asked``); here is the one place that decides them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rooms.models import RoomState
    from rooms.templates import AnyActivity


@dataclass(frozen=True)
class Status:
    done: int
    members: int
    revealed: bool


def reveal_mode(state: RoomState, activity: AnyActivity) -> str:
    """How an activity reveals: the host's choice for the room, else the template's."""
    return state.reveal_modes.get(activity.id) or str(getattr(activity, "reveal", "when-complete"))


def host_revealed(state: RoomState, activity_id: str, group: int) -> bool:
    return activity_id in state.revealed_all or group in state.revealed_groups.get(activity_id, set())


def revealed(state: RoomState, activity: AnyActivity, group: int, done: int, members: int) -> bool:
    """Whether a group's individual work may be shown: on the host's reveal, live, or once all are done."""
    return _rule(state, activity, group)(done, members)


def _rule(state: RoomState, activity: AnyActivity, group: int) -> Callable[[int, int], bool]:
    """The reveal rule for one group and activity, as (done, members) -> revealed: the one place it
    is written, asked once per group when all its units are decided together."""
    if host_revealed(state, activity.id, group) or reveal_mode(state, activity) == "live":
        return lambda done, members: True
    if reveal_mode(state, activity) == "when-complete":
        return lambda done, members: members > 0 and done == members
    return lambda done, members: False


def status(state: RoomState, activity: AnyActivity, unit: str, group: int) -> Status:
    """How far ``group`` is with ``unit`` and whether it is revealed, decided on the whole state."""
    asked = state.asked()
    if asked is not None:
        return asked(activity, unit, group)
    found = state.memo(("status", activity.kind, activity.id), group, lambda: _statuses(state, activity, group))
    return found.get(unit) or _status(state, activity, group, 0)


def _statuses(state: RoomState, activity: AnyActivity, group: int) -> dict[str, Status]:
    """Every unit of the activity at once: one pass over the group's work when it changed."""
    from rooms.kinds import registry  # the kinds use this module: ask the registry when needed

    counts = registry.kind_of(activity).done_counts(state, activity, group)
    members = len(state.groups_index().get(group, ()))
    rule = _rule(state, activity, group)
    return {unit: Status(done=done, members=members, revealed=rule(done, members)) for unit, done in counts.items()}


def _status(state: RoomState, activity: AnyActivity, group: int, done: int) -> Status:
    members = len(state.groups_index().get(group, ()))
    return Status(done=done, members=members, revealed=revealed(state, activity, group, done, members))
