"""Choice: each member picks options, the group may add its own, and writes texts together
(*Koppelkansen*: the carriers present locally, then the linking sentence). The template model is
``rooms.templates.ChoiceActivity``. A member's choice is revealed to the group as a whole.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from rooms import reveal
from rooms.events import OptionsChosen, OwnOptionNamed
from rooms.i18n import translate
from rooms.kinds.base import WHOLE, Bar, Kind, Row, Scope, copy_texts, slot, slot_order, text_rows, who, written
from rooms.models import OWN_FIELD_PREFIX, OWN_OPTIONS_MAX, TEXT_MAX
from rooms.templates import ChoiceActivity

if TYPE_CHECKING:
    from rooms.events import Event
    from rooms.models import RoomState

OWN_OPTION_MAX = 80


class ChoiceResult(BaseModel):
    chosen_by: dict[str, list[str]]  # option -> members who chose it
    done: int
    members: int
    revealed: bool
    own: dict[str, str]  # own-N -> the text the group gave it
    divergent: bool


class ChoiceView(BaseModel):
    mine: list[str]
    own: dict[str, str]
    done: int
    members: int
    revealed: bool
    chosen_by: dict[str, list[str]] = {}  # option -> names, only once revealed
    divergent: bool = False


def is_own(option: str) -> bool:
    return slot(option, "own", OWN_OPTIONS_MAX) is not None and option.count("-") == 1


class Choice(Kind[ChoiceActivity]):
    name = "choice"
    reveals = True

    def text_target(self, activity: ChoiceActivity, field: str) -> tuple[str, int] | None:
        spec = next((f for f in activity.fields if f.id == field), None)
        if spec is not None:
            return "group", min(spec.max_length, TEXT_MAX)
        if activity.own and is_own(field):
            return "group", OWN_OPTION_MAX
        return None

    def may_choose(self, activity: ChoiceActivity, option: str) -> bool:
        return any(o.id == option for o in activity.options) or (activity.own and is_own(option))

    def done_counts(self, state: RoomState, activity: ChoiceActivity, group: int) -> dict[str, int]:
        valid = {o.id for o in activity.options} | set(own_options(state, activity, group))
        chosen = state.choices.get(activity.id, {})
        return {WHOLE: sum(1 for m in state.members(group) if any(o in valid for o in chosen.get(m.id, [])))}

    def redact(self, src: RoomState, dst: RoomState, activity: ChoiceActivity, scope: Scope) -> None:
        chosen = src.choices.get(activity.id, {})
        shown = reveal.status(src, activity, WHOLE, scope.group).revealed
        if shown:
            for member in src.members(scope.group):
                if member.id in chosen:
                    dst.choices.setdefault(activity.id, {})[member.id] = list(chosen[member.id])
        # the group names its own options together; the room learns them with the group's choice
        copy_texts(src, dst, activity.id, scope, shared=lambda field: not scope.screen or shown or not is_own(field))

    def result(self, state: RoomState, activity: ChoiceActivity, group: int) -> ChoiceResult:
        status = reveal.status(state, activity, WHOLE, group)
        chosen = state.choices.get(activity.id, {})
        own = own_options(state, activity, group)
        valid = {o.id for o in activity.options} | set(own)
        chosen_by: dict[str, list[str]] = {}
        done = 0
        for m in state.members(group):
            mine = [o for o in chosen.get(m.id, []) if o in valid]
            done += 1 if mine else 0
            for option in mine:
                chosen_by.setdefault(option, []).append(m.id)
        return ChoiceResult(
            chosen_by=chosen_by,
            done=status.done,
            members=status.members,
            revealed=status.revealed,
            own=own,
            divergent=done >= 2 and any(len(members) < done for members in chosen_by.values()),
        )

    def option_label(self, activity: ChoiceActivity, result: ChoiceResult, option: str, lang: str) -> str:
        if option in result.own:
            return result.own[option]
        spec = next((o for o in activity.options if o.id == option), None)
        return spec.label.get(lang) if spec else option

    def progress(self, state: RoomState, activity: ChoiceActivity, group: int) -> tuple[int, int]:
        result = self.result(state, activity, group)
        return result.done, result.members

    def divergent(self, state: RoomState, activity: ChoiceActivity, group: int) -> bool:
        result = self.result(state, activity, group)
        return result.revealed and result.divergent

    def fill(self, mine: RoomState, ours: RoomState, activity: ChoiceActivity, pid: str, view: Any,
             lang: str) -> None:
        group = mine.participants[pid].group
        names = {m.id: m.name for m in mine.members(group)}
        result = self.result(mine, activity, group)
        view.choice = ChoiceView(
            mine=list(mine.choices.get(activity.id, {}).get(pid, [])),
            own=result.own,
            done=result.done,
            members=result.members,
            revealed=result.revealed,
            chosen_by={o: [names[m] for m in who_] for o, who_ in result.chosen_by.items()} if result.revealed
            else {},
            divergent=result.divergent if result.revealed else False,
        )

    def summary(self, state: RoomState, activity: ChoiceActivity, group: int, lang: str) -> list[str]:
        result = self.result(state, activity, group)
        lines = []
        if result.chosen_by:
            ranked = sorted(result.chosen_by.items(), key=lambda kv: -len(kv[1]))
            lines.append(translate(lang, "Gekozen: {options}", options=", ".join(
                f"{self.option_label(activity, result, o, lang)} ({len(members)})" for o, members in ranked)))
        texts = state.group_texts(activity.id, group)
        return lines + [texts[f.id] for f in activity.fields if texts.get(f.id)]

    def room_lines(self, state: RoomState, activity: ChoiceActivity, lang: str) -> list[str]:
        per_option: Counter[str] = Counter()
        for g in state.groups():
            result = self.result(state, activity, g)
            if result.revealed:
                per_option.update(self.option_label(activity, result, o, lang) for o in result.chosen_by)
        return [translate(lang, "{option}: {n} groepen", option=label, n=n) for label, n in per_option.most_common(10)]

    def room_bars(self, state: RoomState, activity: ChoiceActivity, lang: str) -> list[Bar]:
        per_option: Counter[str] = Counter()
        groups = state.groups()
        for g in groups:
            result = self.result(state, activity, g)
            if result.revealed:
                per_option.update(self.option_label(activity, result, o, lang) for o in result.chosen_by)
        return [Bar(label, n, len(groups)) for label, n in per_option.most_common(10)]

    def export_rows(self, state: RoomState, activity: ChoiceActivity, lang: str, row: Row) -> None:
        for group in state.groups():
            result = self.result(state, activity, group)
            for option, members in result.chosen_by.items():
                for pid in members:
                    row(group, state.participants[pid].name, option,
                        self.option_label(activity, result, option, lang), "chosen", 1)
        text_rows(state, activity.id, row)

    def field_label(self, activity: ChoiceActivity, field: str, lang: str) -> str:
        if is_own(field):
            return translate(lang, "Eigen keuze {n}", n=field[len(OWN_FIELD_PREFIX):])
        return super().field_label(activity, field, lang)

    def describe(self, event: Event, state: RoomState | None, activity: ChoiceActivity | None,
                 lang: str) -> str | None:
        if isinstance(event, OwnOptionNamed):
            name = who(state, event.participant_id, lang)
            if not event.text:
                return translate(lang, "{name} haalt een eigen optie weg", name=name)
            return translate(lang, "{name} voegt een eigen optie toe: {option}", name=name, option=event.text)
        if not isinstance(event, OptionsChosen):
            fields = {f.id: f.label.get(lang) for f in activity.fields} if activity is not None else {}
            return written(event, state, fields, lang)
        name = who(state, event.participant_id, lang)
        if not event.options:
            return translate(lang, "{name} kiest niets", name=name)
        return translate(lang, "{name} kiest {options}", name=name, options=", ".join(event.options))


def own_options(state: RoomState, activity: ChoiceActivity, group: int) -> dict[str, str]:
    """The options the group added itself, in the order of their slots."""
    texts = state.group_texts(activity.id, group)
    return {f: texts[f] for f in sorted((f for f in texts if f.startswith(OWN_FIELD_PREFIX)), key=slot_order)}


KIND = Choice()
