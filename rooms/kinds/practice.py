"""Practice: the group practises with rotating roles, some talk and one observes with a
checklist (*Het goede gesprek*). The template model is ``rooms.templates.PracticeActivity``.
The observer's ticks and tips are the group's; the room sees how many rounds were practised.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from rooms.i18n import translate
from rooms.kinds.base import Kind, Row, Scope, copy_texts, who
from rooms.models import REASON_MAX
from rooms.templates import PracticeActivity

if TYPE_CHECKING:
    from rooms.events import Event
    from rooms.models import RoomState

PRACTICE_ROUNDS_MAX = 30
T = TypeVar("T")
_FIELD = re.compile(r"^r(?P<round>[0-9]{1,2})-(?:step-(?P<step>[a-z0-9-]{1,40})|(?P<tips>tips))$")


class PracticeResult(BaseModel):
    round: int
    observers: list[str]  # who watches with the checklist; in a duo, both (they talk and watch themselves)
    talkers: list[str]
    started_at: float | None
    ends_at: float | None
    rounds_done: int
    ticked: list[str]  # steps the observer ticked this round
    tips: str


class PracticeView(BaseModel):
    round: int
    observer: str  # the observers' names, joined for a sentence
    am_observer: bool
    self_observed: bool  # a duo: both talk and both watch themselves with the checklist
    talkers: list[str]
    ends_at: float | None
    ticked: list[str]
    tips: str
    rounds_done: int


def roles(members: list[T], round_: int) -> tuple[list[T], list[T]]:
    """(observers, talkers) in a round: two talk and the others watch, in turns, so that in a trio
    each watches once in three rounds and in a group of four two pairs take turns. A duo talks and
    watches itself with the checklist."""
    if len(members) < 3:
        return list(members), list(members)
    watching = len(members) - 2
    start = (round_ - 1) * watching % len(members)
    order = members[start:] + members[:start]
    return order[:watching], order[watching:]


def joined(names: list[str], lang: str) -> str:
    """"Anna en Bram", "Anna, Bram en Cem" (and in English)."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + translate(lang, " en ") + names[-1]


def _field_order(field: str) -> tuple[int, str]:
    match = _FIELD.match(field)
    return (int(match["round"]) if match else 0, field)


def step_field(round_: int, step: str) -> str:
    return f"r{round_}-step-{step}"


def tips_field(round_: int) -> str:
    return f"r{round_}-tips"


class Practice(Kind[PracticeActivity]):
    name = "practice"

    def rounds(self, activity: PracticeActivity) -> bool:
        return True

    def text_target(self, activity: PracticeActivity, field: str) -> tuple[str, int] | None:
        match = _FIELD.match(field)
        if match is None or not 1 <= int(match["round"]) <= PRACTICE_ROUNDS_MAX:
            return None
        if match["tips"]:
            return "group", REASON_MAX
        return ("group", 1) if any(step.id == match["step"] for step in activity.steps) else None

    def redact(self, src: RoomState, dst: RoomState, activity: PracticeActivity, scope: Scope) -> None:
        if not scope.screen:  # the observer's notes stay in the group
            copy_texts(src, dst, activity.id, scope)
        records = src.rounds.get(activity.id, {}).get(scope.group)
        if records:
            dst.rounds.setdefault(activity.id, {})[scope.group] = list(records)

    def result(self, state: RoomState, activity: PracticeActivity, group: int) -> PracticeResult:
        members = state.members(group)
        number = state.round_of(activity.id, group)
        records = state.rounds.get(activity.id, {}).get(group, [])
        started = records[-1].ended_at if records else state.started_at.get(activity.id)
        observers, talkers = roles(members, number)
        texts = state.group_texts(activity.id, group)
        return PracticeResult(
            round=number,
            observers=[m.id for m in observers],
            talkers=[m.id for m in talkers],
            started_at=started,
            ends_at=None if started is None else started + activity.round_minutes * 60,
            rounds_done=len(records),
            ticked=[s.id for s in activity.steps if texts.get(step_field(number, s.id))],
            tips=texts.get(tips_field(number), ""),
        )

    def progress(self, state: RoomState, activity: PracticeActivity, group: int) -> tuple[int, int]:
        return len(state.rounds.get(activity.id, {}).get(group, [])), len(state.members(group))

    def summary(self, state: RoomState, activity: PracticeActivity, group: int, lang: str) -> list[str]:
        """How many rounds, and per round the steps the observers saw (host and screen: what each
        group practised; the gate keeps the observers' notes off the screen)."""
        rounds = [line for line, _tips in self._rounds(state, activity, group, lang)]
        return self._count(state, activity, group, lang) + rounds

    def report(self, state: RoomState, activity: PracticeActivity, group: int, lang: str) -> list[str]:
        """Per round the steps the observer ticked (the checklist) and the tips."""
        lines = self._count(state, activity, group, lang)
        for line, tips in self._rounds(state, activity, group, lang):
            if tips:
                line += "\n" + (activity.tips.get(lang) if activity.tips else translate(lang, "tips")) + ": " + tips
            lines.append(line)
        return lines

    def _count(self, state: RoomState, activity: PracticeActivity, group: int, lang: str) -> list[str]:
        done = len(state.rounds.get(activity.id, {}).get(group, []))
        return [translate(lang, "{done} rondes geoefend", done=done)] if done else []

    def _rounds(self, state: RoomState, activity: PracticeActivity, group: int, lang: str) -> list[tuple[str, str]]:
        """Per round with anything written: "Ronde N: ✓ step, …" and the tips written in it."""
        texts = state.group_texts(activity.id, group)
        rounds = sorted({int(m["round"]) for f in texts if (m := _FIELD.match(f)) and texts[f]})
        out = []
        for number in rounds:
            ticked = [s.label.get(lang) for s in activity.steps if texts.get(step_field(number, s.id))]
            line = translate(lang, "Ronde {n}", n=number) + ": " + (", ".join(f"✓ {x}" for x in ticked) or "–")
            out.append((line, texts.get(tips_field(number), "")))
        return out

    def prefill(self, state: RoomState, activity: PracticeActivity, group: int, lang: str, *,
                actions: bool = True) -> list[str]:
        """The agenda takes what the observers saw and the tips they gave, not just a count."""
        return self.report(state, activity, group, lang)

    def room_lines(self, state: RoomState, activity: PracticeActivity, lang: str) -> list[str]:
        groups = state.groups()
        done = sum(len(state.rounds.get(activity.id, {}).get(g, [])) for g in groups)
        return [translate(lang, "{done} rondes geoefend in {groups} groepen", done=done, groups=len(groups))]

    def shows_empty_group(self, activity: PracticeActivity) -> bool:
        return True

    def fill(self, mine: RoomState, ours: RoomState, activity: PracticeActivity, pid: str, view: Any,
             lang: str) -> None:
        group = mine.participants[pid].group
        names = {m.id: m.name for m in mine.members(group)}
        practice = self.result(mine, activity, group)
        view.practice = PracticeView(
            round=practice.round,
            observer=joined([names[x] for x in practice.observers], lang),
            am_observer=pid in practice.observers,
            self_observed=set(practice.observers) == set(practice.talkers),
            talkers=[names[x] for x in practice.talkers],
            ends_at=practice.ends_at,
            ticked=practice.ticked,
            tips=practice.tips,
            rounds_done=practice.rounds_done,
        )

    def describe(self, event: Event, state: RoomState | None, activity: PracticeActivity | None,
                 lang: str) -> str | None:
        from rooms.events import StepTicked, TipsWritten

        if isinstance(event, StepTicked):
            name = who(state, event.participant_id, lang)
            found = next((s for s in activity.steps if s.id == event.step), None) if activity else None
            step = found.label.get(lang) if found else event.step
            if event.ticked:
                return translate(lang, "{name} vinkt aan: {step} (ronde {round})", name=name, step=step,
                                 round=event.round)
            return translate(lang, "{name} vinkt uit: {step} (ronde {round})", name=name, step=step, round=event.round)
        if isinstance(event, TipsWritten):
            name = who(state, event.participant_id, lang)
            return translate(lang, "{name} schrijft tips (ronde {round})", name=name, round=event.round)
        return None

    def export_rows(self, state: RoomState, activity: PracticeActivity, lang: str, row: Row) -> None:
        """Per group the rounds practised, then per round the steps the observer ticked and the tips."""
        ticked = translate(lang, "afgevinkt")
        for group in state.groups():
            row(group, "", "rounds", translate(lang, "Geoefende rondes"), "",
                len(state.rounds.get(activity.id, {}).get(group, [])))
            texts = state.group_texts(activity.id, group)
            for field in sorted(texts, key=_field_order):
                if texts[field]:
                    is_tick = not field.endswith("-tips")
                    row(group, "", field, self.field_label(activity, field, lang), "",
                        ticked if is_tick else "", "" if is_tick else texts[field])

    def field_label(self, activity: PracticeActivity, field: str, lang: str) -> str:
        match = _FIELD.match(field)
        if match is None:
            return ""
        round_ = translate(lang, "Ronde {n}", n=match["round"])
        if match["tips"]:
            return round_ + " · " + (activity.tips.get(lang) if activity.tips else translate(lang, "tips"))
        step = next((s for s in activity.steps if s.id == match["step"]), None)
        return round_ + " · " + (step.label.get(lang) if step else match["step"])


KIND = Practice()
