"""Replay: the room at any moment, by the same fold as the live state, and the session's story.

``Replay`` keeps the events in order and folds forward incrementally while the time moves
forward; moving back folds again from the start (a session has thousands of events, a fold
of them takes milliseconds).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from pydantic import BaseModel

from rooms import layout
from rooms.events import (
    ActionWritten,
    ActivityLocked,
    ActivityStarted,
    ActivityUnlocked,
    Event,
    GroupRevealed,
    MemberMoved,
    NoteWritten,
    OwnOptionNamed,
    ParticipantJoined,
    RevealModeChanged,
    RoomCreated,
    RoundStarted,
    ScreenChanged,
    SettingChanged,
    StepTicked,
    TextEdited,
    TextWritten,
    TimerSet,
    TipsWritten,
    text_event,
    text_place,
)
from rooms.i18n import translate
from rooms.kinds import registry
from rooms.kinds.base import who
from rooms.models import RoomState
from rooms.projection import apply


class Chapter(BaseModel):
    """One activity's stretch of the session: from its (first) start to the next start or its lock."""

    activity: str
    start: float
    end: float


class Replay:
    def __init__(self, events: Sequence[Event]) -> None:
        if not events or not isinstance(events[0], RoomCreated):
            raise ValueError("a replay needs the room's events from its creation on")
        self.events = list(events)
        self.start = self.events[0].at
        self.end = self.events[-1].at
        self._state: RoomState | None = None
        self._applied = 0

    def index_at(self, t: float) -> int:
        """How many events happened at or before ``t``."""
        lo, hi = 0, len(self.events)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.events[mid].at <= t:
                lo = mid + 1
            else:
                hi = mid
        return max(lo, 1)

    def state_after(self, count: int) -> RoomState:
        """The state after the first ``count`` events (at least the room's creation)."""
        count = max(1, min(count, len(self.events)))
        if self._state is None or count < self._applied:
            self._state = None
            self._applied = 0
        state = self._state
        for event in self.events[self._applied:count]:
            state = apply(state, event)
        assert state is not None
        self._state = state
        self._applied = count
        return state

    def state_at(self, t: float) -> RoomState:
        return self.state_after(self.index_at(t))

    def chapters(self) -> list[Chapter]:
        chapters: list[Chapter] = []
        for event in self.events:
            match event:
                case ActivityStarted():
                    if chapters and chapters[-1].end == self.end and chapters[-1].activity != event.activity:
                        chapters[-1].end = event.at - 1e-6  # the moment just before the next one starts
                    if not chapters or chapters[-1].activity != event.activity:
                        chapters.append(Chapter(activity=event.activity, start=event.at, end=self.end))
                case ActivityLocked() if chapters and chapters[-1].activity == event.activity:
                    chapters[-1].end = event.at
        return chapters


def clock(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at))


def describe(event: Event, state: RoomState | None, lang: str = "nl") -> str:
    """One line of the session's story, e.g. "14:32:05 Anna zet Proces met bewoners (nu) op 70".

    ``state`` is the room just before the event (for names and labels). Work in an activity is
    told by that activity's kind (``rooms.kinds``); the room's own events here.
    """
    if isinstance(event, TextEdited) and state is not None:
        event = _as_written(event, state)
    activity = getattr(event, "activity", None)
    spec = state.template.activity(activity) if state is not None and isinstance(activity, str) else None
    told = registry.kind_of(spec).describe(event, state, spec, lang) if spec is not None else None
    return f"{clock(event.at)} {told if told is not None else _room_sentence(event, state, lang)}"


def _as_written(event: TextEdited, state: RoomState) -> Event:
    """An edit told as the text it leaves (a note, an action, tips, a field), the way the typed
    events of a text written whole are told: the story reads the same either way."""
    changed = {part.name: value for part, _path, value in layout.changes(event, state)}
    before = state.docs.get(event.activity, {}).get(event.owner, {}).get(event.field)
    if "docs" not in changed or changed["docs"] == before:
        return event  # ``state`` is not the room just before it (or it was refused): tell only who typed
    after = changed.get("texts")
    written = TextWritten(code=event.code, at=event.at, actor=event.actor, participant_id=event.participant_id,
                          activity=event.activity, owner=event.owner, field=event.field, text=after or "")
    return text_event(written)


def _room_sentence(event: Event, state: RoomState | None, lang: str) -> str:
    def title(activity_id: str) -> str:
        spec = state.template.activity(activity_id) if state else None
        return spec.title.get(lang) if spec else activity_id

    match event:
        case RoomCreated():
            return translate(lang, "Sessie {code} gemaakt: {title}", code=event.code, title=event.title)
        case ParticipantJoined():
            return translate(lang, "{name} doet mee (groep {group})", name=event.name, group=event.group)
        case MemberMoved():
            name = who(state, event.participant_id, lang)
            return translate(lang, "{name} naar groep {group}", name=name, group=event.group)
        case ActivityStarted():
            return translate(lang, "Start: {title}", title=title(event.activity))
        case ActivityLocked():
            return translate(lang, "Vergrendeld: {title}", title=title(event.activity))
        case ActivityUnlocked():
            return translate(lang, "Ontgrendeld: {title}", title=title(event.activity))
        case GroupRevealed():
            if event.group is None:
                return translate(lang, "Getoond aan alle groepen: {title}", title=title(event.activity))
            return translate(lang, "Getoond aan groep {group}: {title}", group=event.group,
                             title=title(event.activity))
        case RoundStarted():
            return translate(lang, "Groep {group} begint ronde {round} van {title}", group=event.group,
                             round=event.round, title=title(event.activity))
        case RevealModeChanged():
            return translate(lang, "Tonen bij {title}: {mode}", title=title(event.activity), mode=event.mode)
        case TimerSet():
            return (translate(lang, "Timer {minutes} min", minutes=event.seconds // 60) if event.ends_at
                    else translate(lang, "Timer gestopt"))
        case ScreenChanged():
            return translate(lang, "Scherm toont {mode}", mode=event.mode)
        case SettingChanged():
            return translate(lang, "Instelling {name}: {value}", name=event.name, value=event.value)
        case TextWritten() | NoteWritten() | OwnOptionNamed() | ActionWritten() | StepTicked() | TipsWritten():
            name, field = who(state, event.participant_id, lang), text_place(event)[1]
            return translate(lang, "{name} schrijft {field}", name=name, field=field)
        case TextEdited():
            name = who(state, event.participant_id, lang)
            return translate(lang, "{name} schrijft {field}", name=name, field=event.field)
    return translate(lang, "Iets gebeurd")
