"""The fold: the only way a room's state is built, live and in replay alike."""

from __future__ import annotations

from collections.abc import Iterable

from rooms.events import (
    MEMBER_EVENTS,
    ActionWritten,
    ActivityLocked,
    ActivityStarted,
    ActivityUnlocked,
    CardAssigned,
    Event,
    GroupRevealed,
    MemberMoved,
    NoteWritten,
    OptionsChosen,
    OwnOptionNamed,
    ParticipantJoined,
    ReasonWritten,
    RevealModeChanged,
    RoomCreated,
    RoundStarted,
    ScreenChanged,
    SettingChanged,
    SliderPlaced,
    StepTicked,
    TextWritten,
    TimerSet,
    TipsWritten,
    text_place,
)
from rooms.models import Participant, RoomState, RoundRecord


def _prune(tree: dict, *path: str) -> None:  # type: ignore[type-arg]
    """Remove empty dicts along ``path`` (deepest first), so a cleared value leaves no trace."""
    nodes = [tree]
    for key in path:
        child = nodes[-1].get(key)
        if not isinstance(child, dict):
            break
        nodes.append(child)
    for depth in range(len(nodes) - 1, 0, -1):
        if not nodes[depth]:
            del nodes[depth - 1][path[depth - 1]]
        else:
            break


def groups_touched(state: RoomState, event: Event) -> set[int] | None:
    """The groups whose work an event changes, as the state stands before it; None: the whole room.

    A member's work concerns only their group, a join or a round only the group it fills or
    starts, a move the group it leaves and the one it enters. Everything else (the host's steps,
    settings, reveals) counts as the whole room. The live hub wakes only these groups' phones,
    and results kept per group (``RoomState.memo``) stay valid for the other groups.
    """
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
        return _apply(state, event)
    groups = groups_touched(state, event)
    state = _apply(state, event)
    state.touched(groups)
    return state


def _apply(state: RoomState | None, event: Event) -> RoomState:
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
            state.started_at.setdefault(event.activity, event.at)
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
        case TextWritten() | NoteWritten() | OwnOptionNamed() | ActionWritten() | StepTicked() | TipsWritten():
            owner, field, text = text_place(event)
            fields = state.texts.setdefault(event.activity, {}).setdefault(owner, {})
            if text:
                fields[field] = text
            else:
                fields.pop(field, None)
                _prune(state.texts, event.activity, owner)
        case CardAssigned():
            by_member = state.cards.setdefault(event.activity, {}).setdefault(event.card, {})
            if event.targets:
                by_member[event.participant_id] = list(event.targets)
            else:
                by_member.pop(event.participant_id, None)
                _prune(state.cards, event.activity, event.card)
        case OptionsChosen():
            chosen = state.choices.setdefault(event.activity, {})
            if event.options:
                chosen[event.participant_id] = list(event.options)
            else:
                chosen.pop(event.participant_id, None)
                _prune(state.choices, event.activity)
        case RoundStarted():
            records = state.rounds.setdefault(event.activity, {}).setdefault(event.group, [])
            records.append(RoundRecord(round=event.round - 1, ended_at=event.at, before=event.before))
            placed = state.placements.get(event.activity, {})
            for item in list(placed):
                for pid in event.members:
                    placed[item].pop(pid, None)
                _prune(state.placements, event.activity, item)
        case RevealModeChanged():
            state.reveal_modes[event.activity] = event.mode
        case SettingChanged():
            state.settings[event.name] = event.value
        case TimerSet():
            state.timer_seconds = event.seconds
            state.timer_ends = event.ends_at
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
