"""Replay: the room at any moment, by the same fold as the live state, and the session's story.

``Replay`` keeps the events in order and folds forward incrementally while the time moves
forward; moving back folds again from the start (a session has thousands of events, a fold
of them takes milliseconds).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from pydantic import BaseModel

from rooms.events import (
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
from rooms.models import RoomState
from rooms.projection import apply
from rooms.templates import CardsActivity, SlidersActivity, SortActivity


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
            if isinstance(event, ActivityStarted):
                if chapters and chapters[-1].end == self.end and chapters[-1].activity != event.activity:
                    chapters[-1].end = event.at - 1e-6  # the moment just before the next one starts
                if not chapters or chapters[-1].activity != event.activity:
                    chapters.append(Chapter(activity=event.activity, start=event.at, end=self.end))
            elif isinstance(event, ActivityLocked) and chapters and chapters[-1].activity == event.activity:
                chapters[-1].end = event.at
        return chapters


def clock(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at))


def describe(event: Event, state: RoomState | None, lang: str = "nl") -> str:
    """One line of the session's story, e.g. "14:32:05 Anna zet Proces met bewoners (nu) op 70".

    ``state`` is the room just before the event (for names and labels).
    """
    def t(nl: str, en: str) -> str:
        return en if lang == "en" else nl

    def who(pid: str) -> str:
        if state is None:
            return "?"
        member = state.participants.get(pid)
        return member.name if member else t("iemand", "someone")

    def title(activity_id: str) -> str:
        spec = state.template.activity(activity_id) if state else None
        return spec.title.get(lang) if spec else activity_id

    text: str
    match event:
        case RoomCreated():
            text = t(f"Sessie {event.code} gemaakt: {event.title}", f"Session {event.code} created: {event.title}")
        case ParticipantJoined():
            text = t(f"{event.name} doet mee (groep {event.group})", f"{event.name} joins (group {event.group})")
        case MemberMoved():
            text = t(f"{who(event.participant_id)} naar groep {event.group}",
                     f"{who(event.participant_id)} to group {event.group}")
        case ActivityStarted():
            text = t(f"Start: {title(event.activity)}", f"Start: {title(event.activity)}")
        case ActivityLocked():
            text = t(f"Vergrendeld: {title(event.activity)}", f"Locked: {title(event.activity)}")
        case ActivityUnlocked():
            text = t(f"Ontgrendeld: {title(event.activity)}", f"Unlocked: {title(event.activity)}")
        case SliderPlaced():
            item, position = event.item, event.position
            spec = state.template.activity(event.activity) if state else None
            if isinstance(spec, CardsActivity):
                spec = spec.rating_sliders()
            if isinstance(spec, SlidersActivity):
                found = spec.item(event.item)
                item = found.label.get(lang) if found else item
                pos = next((p for p in spec.positions if p.id == event.position), None)
                position = pos.short_label().get(lang) if pos else position
            text = t(f"{who(event.participant_id)} zet {item} ({position}) op {event.value}",
                     f"{who(event.participant_id)} sets {item} ({position}) to {event.value}")
        case ReasonWritten():
            name = who(event.participant_id)
            text = t(f"{name} licht {event.item} toe", f"{name} explains {event.item}")
        case TextWritten() | NoteWritten() | OwnOptionNamed() | ActionWritten() | StepTicked() | TipsWritten():
            name, field = who(event.participant_id), text_place(event)[1]
            text = t(f"{name} schrijft {field}", f"{name} writes {field}")
        case CardAssigned():
            spec = state.template.activity(event.activity) if state else None
            card = event.card
            if isinstance(spec, CardsActivity | SortActivity):
                pool = spec.items if isinstance(spec, SortActivity) else spec.deck
                found_card = next((c for c in pool if c.id == event.card), None)
                card = found_card.label.get(lang) if found_card else card
            targets = ", ".join(who(x) if state and x in state.participants else x for x in event.targets) or "–"
            text = t(f"{who(event.participant_id)} legt {card} bij {targets}",
                     f"{who(event.participant_id)} puts {card} with {targets}")
        case OptionsChosen():
            text = t(f"{who(event.participant_id)} kiest {', '.join(event.options) or 'niets'}",
                     f"{who(event.participant_id)} chooses {', '.join(event.options) or 'nothing'}")
        case GroupRevealed():
            target = (t("alle groepen", "all groups") if event.group is None
                      else t(f"groep {event.group}", f"group {event.group}"))
            text = t(f"Getoond aan {target}: {title(event.activity)}", f"Revealed to {target}: {title(event.activity)}")
        case RoundStarted():
            text = t(f"Groep {event.group} begint ronde {event.round} van {title(event.activity)}",
                     f"Group {event.group} starts round {event.round} of {title(event.activity)}")
        case RevealModeChanged():
            shown = title(event.activity)
            text = t(f"Tonen bij {shown}: {event.mode}", f"Reveal for {shown}: {event.mode}")
        case TimerSet():
            text = (t(f"Timer {event.seconds // 60} min", f"Timer {event.seconds // 60} min") if event.ends_at
                    else t("Timer gestopt", "Timer stopped"))
        case ScreenChanged():
            text = t(f"Scherm toont {event.mode}", f"Screen shows {event.mode}")
        case SettingChanged():
            text = t(f"Instelling {event.name}: {event.value}", f"Setting {event.name}: {event.value}")
    return f"{clock(event.at)} {text}"
