"""Commands: validate what a person asked for and decide which events follow.

Pure functions of (state, input). The store writes the events atomically and
re-checks, inside Redis, the conditions that another writer could change
between the decision and the write (see ``rooms.store``).
"""

from __future__ import annotations

import math
import re
import unicodedata

from rooms.events import (
    ActivityLocked,
    ActivityStarted,
    ActivityUnlocked,
    GroupRevealed,
    MemberMoved,
    ParticipantJoined,
    ReasonWritten,
    ScreenChanged,
    SliderPlaced,
)
from rooms.models import MAX_PARTICIPANTS, NAME_MAX, REASON_MAX, RoomState
from rooms.templates import SlidersActivity, Template


class Rejected(Exception):
    """A command that cannot be carried out; ``nl``/``en`` are for the person who asked."""

    def __init__(self, reason: str, nl: str, en: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.nl = nl
        self.en = en

    def text(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


_SPACE = re.compile(r"\s+")


def clean_text(raw: object, limit: int) -> str:
    """Plain text: control characters removed, surrounding space trimmed, bounded."""
    if not isinstance(raw, str):
        raise Rejected("not-text", "Dat is geen tekst.", "That is not text.")
    text = "".join(ch for ch in raw if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
    if len(text) > limit:
        raise Rejected(
            "too-long",
            f"Dat is te lang: hooguit {limit} tekens.",
            f"That is too long: at most {limit} characters.",
        )
    return text


def clean_name(raw: object) -> str:
    if not isinstance(raw, str):
        raise Rejected("not-text", "Vul een naam in.", "Please enter a name.")
    name = _SPACE.sub(" ", clean_text(raw.replace("\n", " "), 10_000))
    if not name:
        raise Rejected("name-empty", "Vul een naam in.", "Please enter a name.")
    if len(name) > NAME_MAX:
        raise Rejected(
            "name-too-long",
            f"Die naam is te lang: hooguit {NAME_MAX} tekens.",
            f"That name is too long: at most {NAME_MAX} characters.",
        )
    return name


def unique_name(name: str, taken: set[str]) -> str:
    """The name itself, or with a suffix (" 2", " 3", …) if someone in the room already has it."""
    lowered = {t.casefold() for t in taken}
    if name.casefold() not in lowered:
        return name
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[: NAME_MAX - len(suffix)] + suffix
        if candidate.casefold() not in lowered:
            return candidate
        n += 1


def clean_value(raw: object) -> int:
    """A slider value: a whole number from 0 to 100."""
    if isinstance(raw, bool):
        raw = None
    value: float | None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip().replace(",", "."))
        except ValueError:
            value = None
    else:
        value = None
    if value is None or not math.isfinite(value):
        raise Rejected("not-a-number", "Vul een getal van 0 tot 100 in.", "Enter a number from 0 to 100.")
    if not 0 <= value <= 100:
        raise Rejected("out-of-range", "Kies een waarde van 0 tot 100.", "Choose a value from 0 to 100.")
    return round(value)


def sliders_activity(template: Template, activity_id: str) -> SlidersActivity:
    activity = template.activity(activity_id)
    if activity is None:
        raise Rejected("no-activity", "Deze oefening bestaat niet.", "This exercise does not exist.")
    return activity


def _check_item(activity: SlidersActivity, item: str, position: str | None = None) -> None:
    if activity.item(item) is None:
        raise Rejected("no-item", "Deze schuif bestaat niet.", "This slider does not exist.")
    if position is not None and position not in activity.position_ids():
        raise Rejected("no-position", "Deze positie bestaat niet.", "This position does not exist.")


def place(
    template: Template, code: str, participant_id: str, activity_id: str, item: str, position: str,
    value: object, now: float,
) -> SliderPlaced:
    activity = sliders_activity(template, activity_id)
    _check_item(activity, item, position)
    return SliderPlaced(
        code=code, at=now, actor=participant_id, participant_id=participant_id,
        activity=activity.id, item=item, position=position, value=clean_value(value),
    )


def write_reason(
    template: Template, code: str, participant_id: str, activity_id: str, item: str, text: object, now: float,
) -> ReasonWritten:
    activity = sliders_activity(template, activity_id)
    _check_item(activity, item)
    if not activity.reason:
        raise Rejected("no-reason", "Bij deze oefening hoort geen toelichting.", "This exercise takes no reason.")
    return ReasonWritten(
        code=code, at=now, actor=participant_id, participant_id=participant_id,
        activity=activity.id, item=item, text=clean_text(text, REASON_MAX),
    )


def join(
    state: RoomState, participant_id: str, raw_name: object, now: float
) -> list[ParticipantJoined | MemberMoved]:
    """A new participant joins; groups fill in join order and nobody ends up alone.

    The last group fills up to the group size. The next newcomer joins it as an
    extra member rather than sit alone; the one after that forms a new group
    together with that extra member.
    """
    name = clean_name(raw_name)
    if participant_id in state.participants:
        raise Rejected("already-joined", "Je doet al mee.", "You have already joined.")
    if len(state.participants) >= MAX_PARTICIPANTS:
        raise Rejected("room-full", "Deze sessie is vol.", "This session is full.")
    name = unique_name(name, {p.name for p in state.participants.values()})
    number = max((p.number for p in state.participants.values()), default=0) + 1
    size = state.group_size
    groups = state.groups()
    moves: list[MemberMoved] = []
    if not groups:
        group = 1
    else:
        last = groups[-1]
        members = state.members(last)
        newest_overall = max(state.participants.values(), key=lambda p: p.number)
        if len(members) <= size:
            group = last
        elif len(members) == size + 1 and members[-1].id == newest_overall.id:
            group = last + 1
            moves.append(
                MemberMoved(code=state.code, at=now, actor="system", participant_id=members[-1].id, group=group)
            )
        else:
            group = min(groups, key=lambda g: (len(state.members(g)), -g))
    joined = ParticipantJoined(
        code=state.code, at=now, actor=participant_id, participant_id=participant_id,
        name=name, number=number, group=group,
    )
    return [joined, *moves]


def move_member(state: RoomState, participant_id: str, group: object, now: float) -> MemberMoved:
    member = state.participants.get(participant_id)
    if member is None:
        raise Rejected("no-participant", "Deze deelnemer bestaat niet.", "This participant does not exist.")
    if not isinstance(group, int) or isinstance(group, bool):
        raise Rejected("no-group", "Kies een groep.", "Choose a group.")
    highest = max(state.groups(), default=0)
    if not 1 <= group <= highest + 1:
        raise Rejected("no-group", "Die groep bestaat niet.", "That group does not exist.")
    return MemberMoved(code=state.code, at=now, actor="host", participant_id=participant_id, group=group)


def start(state: RoomState, activity_id: str, now: float) -> ActivityStarted:
    sliders_activity(state.template, activity_id)
    return ActivityStarted(code=state.code, at=now, actor="host", activity=activity_id)


def advance(state: RoomState, now: float) -> ActivityStarted:
    following = state.template.next_after(state.current)
    if following is None:
        raise Rejected("no-next", "Dit was de laatste oefening.", "This was the last exercise.")
    return ActivityStarted(code=state.code, at=now, actor="host", activity=following.id)


def lock(state: RoomState, activity_id: str, now: float) -> ActivityLocked:
    if state.status.get(activity_id) != "open":
        raise Rejected("not-open", "Deze oefening staat niet open.", "This exercise is not open.")
    return ActivityLocked(code=state.code, at=now, actor="host", activity=activity_id)


def unlock(state: RoomState, activity_id: str, now: float) -> ActivityUnlocked:
    if state.status.get(activity_id) != "locked":
        raise Rejected("not-locked", "Deze oefening is niet vergrendeld.", "This exercise is not locked.")
    return ActivityUnlocked(code=state.code, at=now, actor="host", activity=activity_id)


def reveal(state: RoomState, activity_id: str, group: int | None, now: float) -> GroupRevealed:
    sliders_activity(state.template, activity_id)
    if group is not None and group not in state.groups():
        raise Rejected("no-group", "Die groep bestaat niet.", "That group does not exist.")
    return GroupRevealed(code=state.code, at=now, actor="host", activity=activity_id, group=group)


def show_on_screen(state: RoomState, mode: str, now: float) -> ScreenChanged:
    valid = mode in {"room", "blank", "join"} or (
        mode.startswith("group:") and mode[6:].isdigit() and int(mode[6:]) in state.groups()
    )
    if not valid:
        raise Rejected("bad-screen", "Dat kan het scherm niet tonen.", "The screen cannot show that.")
    return ScreenChanged(code=state.code, at=now, actor="host", mode=mode)
