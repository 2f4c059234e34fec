"""The fold: the only way a room's state is built, live and in replay alike."""

from __future__ import annotations

from collections.abc import Iterable

from rooms.events import (
    ActivityLocked,
    ActivityStarted,
    ActivityUnlocked,
    Event,
    GroupRevealed,
    MemberMoved,
    ParticipantJoined,
    ReasonWritten,
    RoomCreated,
    ScreenChanged,
    SliderPlaced,
)
from rooms.models import Participant, RoomState


def apply(state: RoomState | None, event: Event) -> RoomState:
    """Apply one event. Mutates and returns ``state`` (a new state for RoomCreated)."""
    if isinstance(event, RoomCreated):
        return RoomState(
            code=event.code,
            title=event.title,
            created_at=event.at,
            template=event.template,
            group_size=event.group_size,
            threshold=event.threshold,
            seq=event.seq,
        )
    if state is None:
        raise ValueError(f"event {event.type} before the room was created")
    match event:
        case ParticipantJoined():
            state.participants[event.participant_id] = Participant(
                id=event.participant_id,
                name=event.name,
                number=event.number,
                group=event.group,
                joined_at=event.at,
            )
            state.roster += 1
            state.roster_changed()
        case MemberMoved():
            member = state.participants.get(event.participant_id)
            if member is not None:
                member.group = event.group
            state.roster += 1
            state.roster_changed()
        case ActivityStarted():
            state.current = event.activity
            state.status[event.activity] = "open"
        case ActivityLocked():
            state.status[event.activity] = "locked"
        case ActivityUnlocked():
            state.status[event.activity] = "open"
        case SliderPlaced():
            items = state.placements.setdefault(event.activity, {})
            mine = items.setdefault(event.item, {}).setdefault(event.participant_id, {})
            mine[event.position] = event.value
        case ReasonWritten():
            texts = state.reasons.setdefault(event.activity, {}).setdefault(event.item, {})
            if event.text:
                texts[event.participant_id] = event.text
            else:
                texts.pop(event.participant_id, None)
                if not texts:
                    del state.reasons[event.activity][event.item]
                if not state.reasons[event.activity]:
                    del state.reasons[event.activity]
        case GroupRevealed():
            if event.group is None:
                state.revealed_all.add(event.activity)
            else:
                state.revealed_groups.setdefault(event.activity, set()).add(event.group)
        case ScreenChanged():
            state.screen = event.mode
    if event.seq:
        state.seq = event.seq
    return state


def fold(events: Iterable[Event], until: float | None = None) -> RoomState | None:
    """Fold a room's events into its state; with ``until``, stop after events at or before that time."""
    state: RoomState | None = None
    for event in events:
        if until is not None and event.at > until:
            break
        state = apply(state, event)
    return state
