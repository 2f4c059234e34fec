"""Events: facts in the past tense, one model each, in one discriminated union.

Each carries the room code, who caused it (``host``, a participant id or
``system``) and the server time. ``seq`` is the event's place in the room's
stream; it is filled in when the event is read back, not by whoever writes it.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, cast

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter

from rooms.models import group_owner
from rooms.templates import ACTION_PARTS, ActionPart, Template


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
    role: str | None = None


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
    """A text field of the activity written (empty text: cleared). ``owner`` is ``g<N>`` for a
    group's shared text, else the participant id."""

    type: Literal["text-written"] = "text-written"
    participant_id: str
    activity: str
    owner: str
    field: str
    text: str


class TextEdited(_Event):
    """One editor's change to a shared text, as a Yjs update (base64; ``rooms.cotext``): the
    room's document of the field merges it. ``owner`` is ``g<N>`` for a group's shared text,
    else the participant id; ``participant_id`` is who typed it (``host`` for the facilitator)."""

    type: Literal["text-edited"] = "text-edited"
    participant_id: str
    activity: str
    owner: str
    field: str
    update: str


class NoteWritten(_Event):
    """A group's written card (a note, e.g. a tension) in a cards activity; empty text: cleared."""

    type: Literal["note-written"] = "note-written"
    participant_id: str
    activity: str
    group: int
    note: int
    text: str


class OwnOptionNamed(_Event):
    """A group's own option in a choice activity named (empty text: removed)."""

    type: Literal["own-option-named"] = "own-option-named"
    participant_id: str
    activity: str
    group: int
    option: int
    text: str


class ActionWritten(_Event):
    """One part of one action of a group's agenda written (empty text: cleared)."""

    type: Literal["action-written"] = "action-written"
    participant_id: str
    activity: str
    group: int
    action: int
    part: ActionPart
    text: str


class StepTicked(_Event):
    """An observer ticked (or unticked) a step of the conversation in a practice round."""

    type: Literal["step-ticked"] = "step-ticked"
    participant_id: str
    activity: str
    group: int
    round: int
    step: str
    ticked: bool


class TipsWritten(_Event):
    """The observers' tips for a practice round written (empty text: cleared)."""

    type: Literal["tips-written"] = "tips-written"
    participant_id: str
    activity: str
    group: int
    round: int
    text: str


class CardAssigned(_Event):
    """A member's choice for one card: the members or categories it goes to (empty: withdrawn)."""

    type: Literal["card-assigned"] = "card-assigned"
    participant_id: str
    activity: str
    card: str
    targets: list[str]


class CardSettled(_Event):
    """The group's joint decision on one card, after its members' own choices were revealed: the
    members it fits (``none``: nobody in the group), set by one member for the whole group; the
    last decision stands (empty: withdrawn)."""

    type: Literal["card-settled"] = "card-settled"
    participant_id: str
    activity: str
    group: int
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


TextEvent = TextWritten | NoteWritten | OwnOptionNamed | ActionWritten | StepTicked | TipsWritten
TEXT_EVENTS = (TextWritten, NoteWritten, OwnOptionNamed, ActionWritten, StepTicked, TipsWritten)
MEMBER_EVENTS = (SliderPlaced, ReasonWritten, *TEXT_EVENTS, TextEdited, CardAssigned, CardSettled,
                 OptionsChosen)
"""Events a member causes: they change only the work of the member's group (``TextEdited``: of
the group whose text it is, also when the host corrects it)."""

TICK = "x"  # how a ticked step is kept among the texts

# The names under which the typed texts are kept among a group's texts (``RoomState.texts``):
# ``note-N``, ``own-N``, ``action-N-<part>``, ``rN-step-<step>``, ``rN-tips``.
# Numbers without leading zeros, so that the name is exactly the one ``text_place`` gives back.
_N = "[1-9][0-9]?"
_TEXT_FIELD = re.compile(
    rf"^(?:note-(?P<note>{_N})|own-(?P<own>{_N})"
    rf"|action-(?P<action>{_N})-(?P<part>{'|'.join(ACTION_PARTS)})"
    rf"|r(?P<round>{_N})-(?:step-(?P<step>[a-z0-9-]{{1,40}})|(?P<tips>tips)))$"
)
_GROUP_OWNER = re.compile(r"^g(?P<group>[0-9]+)$")


def is_tick(field: str) -> bool:
    """Whether a group's field is a practice step's tick (a mark, not a text anyone edits)."""
    slot = _TEXT_FIELD.match(field)
    return slot is not None and bool(slot["step"])


def text_place(event: TextEvent) -> tuple[str, str, str]:
    """Where a text event is kept among the texts: (owner, field, text; empty: none)."""
    if isinstance(event, TextWritten):
        return event.owner, event.field, event.text
    owner = group_owner(event.group)
    if isinstance(event, NoteWritten):
        return owner, f"note-{event.note}", event.text
    if isinstance(event, OwnOptionNamed):
        return owner, f"own-{event.option}", event.text
    if isinstance(event, ActionWritten):
        return owner, f"action-{event.action}-{event.part}", event.text
    if isinstance(event, StepTicked):
        return owner, f"r{event.round}-step-{event.step}", TICK if event.ticked else ""
    return owner, f"r{event.round}-tips", event.text


def text_event(written: TextWritten) -> TextEvent:
    """The typed event for a text written under ``written.field`` (the inverse of ``text_place``).

    A group's text whose field name is a note, own option, agenda action part, practice step or
    tips becomes that event; anything else stays a plain ``TextWritten``. Commands decide with
    it, and streams and exports written before the typed events are upcast with it. Exact:
    ``text_place`` of the result is always the written owner, field and text.
    """
    group = _GROUP_OWNER.match(written.owner)
    slot = _TEXT_FIELD.match(written.field) if group else None
    if group is None or slot is None or (slot["step"] and written.text not in (TICK, "")):
        return written
    common = written.model_dump(include={"code", "at", "actor", "seq", "participant_id", "activity"})
    common["group"] = int(group["group"])
    if slot["note"]:
        return NoteWritten(**common, note=int(slot["note"]), text=written.text)
    if slot["own"]:
        return OwnOptionNamed(**common, option=int(slot["own"]), text=written.text)
    if slot["action"]:
        part = cast(ActionPart, slot["part"])
        return ActionWritten(**common, action=int(slot["action"]), part=part, text=written.text)
    if slot["step"]:
        return StepTicked(**common, round=int(slot["round"]), step=slot["step"], ticked=bool(written.text))
    return TipsWritten(**common, round=int(slot["round"]), text=written.text)


def upcast(event: Event) -> Event:
    """An event as this engine writes it, from one an earlier engine wrote.

    Before the typed text events, every text (notes, own options, agenda actions, practice ticks
    and tips) was a ``TextWritten`` told apart by its field name.
    """
    return text_event(event) if type(event) is TextWritten else event


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
    | TextEdited
    | NoteWritten
    | OwnOptionNamed
    | ActionWritten
    | StepTicked
    | TipsWritten
    | CardAssigned
    | CardSettled
    | OptionsChosen
    | RoundStarted
    | RevealModeChanged
    | TimerSet
    | SettingChanged,
    Field(discriminator="type"),
    AfterValidator(upcast),
]
"""Any event, as read from a stream or an export: old forms are upcast (``upcast``) on the way in."""

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def encode(event: _Event) -> str:
    return event.model_dump_json(exclude={"seq"})


def decode(raw: str | bytes, seq: int = 0) -> Event:
    event = EVENT_ADAPTER.validate_json(raw)
    return event.model_copy(update={"seq": seq}) if seq else event
