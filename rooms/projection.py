"""The fold: the only way a room's state is built, live and in replay alike.

What each event changes is declared once, in ``rooms.layout``, which the live writes and the
snapshots are built from too.
"""

from __future__ import annotations

from collections.abc import Iterable

from rooms import layout
from rooms.events import (
    MEMBER_EVENTS,
    Event,
    MemberMoved,
    ParticipantJoined,
    ReasonWritten,
    RoomCreated,
    RoundStarted,
    SliderPlaced,
    TextEdited,
)
from rooms.models import RoomState, owner_group


def groups_touched(state: RoomState, event: Event) -> set[int] | None:
    """The groups whose work an event changes, as the state stands before it; None: the whole room.

    A member's work concerns only their group, a join or a round only the group it fills or
    starts, a move the group it leaves and the one it enters. Everything else (the host's steps,
    settings, reveals) counts as the whole room. The live hub wakes only these groups' phones,
    and results kept per group (``RoomState.memo``) stay valid for the other groups.
    """
    if isinstance(event, TextEdited):
        group = owner_group(event.owner)
        owner = state.participants.get(event.owner) if group is None else None
        return {group} if group is not None else None if owner is None else {owner.group}
    if isinstance(event, MEMBER_EVENTS):
        actor = state.participants.get(event.participant_id)
        return None if actor is None else {actor.group}
    if isinstance(event, RoundStarted | ParticipantJoined):
        return {event.group}
    if isinstance(event, MemberMoved):
        member = state.participants.get(event.participant_id)
        return {event.group} if member is None else {event.group, member.group}
    return None


def apply(state: RoomState | None, event: Event) -> RoomState:
    """Apply one event. Mutates and returns ``state`` (a new state for RoomCreated)."""
    if isinstance(event, RoomCreated) or state is None:
        return layout.apply(state, event)
    groups = groups_touched(state, event)
    state = layout.apply(state, event)
    # a placement or a reason changes one item of its group's work: results about the group's
    # other items stay (``RoomState.memo`` with a unit)
    state.touched(groups, (event.activity, event.item) if isinstance(event, SliderPlaced | ReasonWritten) else None)
    return state


def fold(events: Iterable[Event], until: float | None = None) -> RoomState | None:
    """Fold a room's events into its state; with ``until``, stop after events at or before that time."""
    state: RoomState | None = None
    for event in events:
        if until is not None and event.at > until:
            break
        state = apply(state, event)
    return state
