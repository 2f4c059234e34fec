"""Events: facts in the past tense, one model each, in one discriminated union.

Each carries the room code, who caused it (``host``, a participant id or
``system``) and the server time. ``seq`` is the event's place in the room's
stream; it is filled in when the event is read back, not by whoever writes it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from rooms.templates import Template


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    at: float
    actor: str
    seq: int = 0


class RoomCreated(_Event):
    type: Literal["room-created"] = "room-created"
    title: str
    template: Template
    group_size: int
    threshold: int


class ParticipantJoined(_Event):
    type: Literal["participant-joined"] = "participant-joined"
    participant_id: str
    name: str
    number: int
    group: int


class MemberMoved(_Event):
    type: Literal["member-moved"] = "member-moved"
    participant_id: str
    group: int


class ActivityStarted(_Event):
    type: Literal["activity-started"] = "activity-started"
    activity: str


class ActivityLocked(_Event):
    type: Literal["activity-locked"] = "activity-locked"
    activity: str


class ActivityUnlocked(_Event):
    type: Literal["activity-unlocked"] = "activity-unlocked"
    activity: str


class SliderPlaced(_Event):
    type: Literal["slider-placed"] = "slider-placed"
    participant_id: str
    activity: str
    item: str
    position: str
    value: int


class ReasonWritten(_Event):
    type: Literal["reason-written"] = "reason-written"
    participant_id: str
    activity: str
    item: str
    text: str


class GroupRevealed(_Event):
    """The host revealed one group's positions (``group``) or every group's (``None``)."""

    type: Literal["group-revealed"] = "group-revealed"
    activity: str
    group: int | None = None


class TextWritten(_Event):
    """A text field written (empty text: cleared). ``owner`` is ``g<N>`` for a group's shared text,
    else the participant id."""

    type: Literal["text-written"] = "text-written"
    participant_id: str
    activity: str
    owner: str
    field: str
    text: str


class CardAssigned(_Event):
    """A member's choice for one card: the members or categories it goes to (empty: withdrawn)."""

    type: Literal["card-assigned"] = "card-assigned"
    participant_id: str
    activity: str
    card: str
    targets: list[str]


class OptionsChosen(_Event):
    """A member's chosen options in a choice activity (the whole set, replacing the earlier one)."""

    type: Literal["options-chosen"] = "options-chosen"
    participant_id: str
    activity: str
    options: list[str]


class RoundStarted(_Event):
    """A group starts a next round of an activity.

    For sliders, ``before`` holds the members' positions of the round that ends
    (item -> participant -> position -> value) and those placements are cleared,
    so members place again, independently, starting from where they were.
    """

    type: Literal["round-started"] = "round-started"
    activity: str
    group: int
    round: int
    members: list[str] = []
    before: dict[str, dict[str, dict[str, int]]] = {}


class RevealModeChanged(_Event):
    type: Literal["reveal-mode-changed"] = "reveal-mode-changed"
    activity: str
    mode: str


class TimerSet(_Event):
    """The room's timer: runs until ``ends_at``; ``ends_at`` None stops it."""

    type: Literal["timer-set"] = "timer-set"
    seconds: int
    ends_at: float | None


class SettingChanged(_Event):
    """A room setting (e.g. ``anonymous``: names replaced by "Deelnemer N" in exports)."""

    type: Literal["setting-changed"] = "setting-changed"
    name: str
    value: str


class ScreenChanged(_Event):
    type: Literal["screen-changed"] = "screen-changed"
    mode: str


Event = Annotated[
    RoomCreated
    | ParticipantJoined
    | MemberMoved
    | ActivityStarted
    | ActivityLocked
    | ActivityUnlocked
    | SliderPlaced
    | ReasonWritten
    | GroupRevealed
    | ScreenChanged
    | TextWritten
    | CardAssigned
    | OptionsChosen
    | RoundStarted
    | RevealModeChanged
    | TimerSet
    | SettingChanged,
    Field(discriminator="type"),
]

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def encode(event: _Event) -> str:
    return event.model_dump_json(exclude={"seq"})


def decode(raw: str | bytes, seq: int = 0) -> Event:
    event = EVENT_ADAPTER.validate_json(raw)
    return event.model_copy(update={"seq": seq}) if seq else event
