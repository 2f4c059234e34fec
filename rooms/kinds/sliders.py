"""Sliders: each member places one or more markers on each slider, independently first.

The template model is ``rooms.templates.SlidersActivity``; the slider arithmetic (spread,
means, hotspots, round changes) is in ``rooms.aggregates``. A cards activity's rating is a
sliders activity too (``CardsActivity.rating_sliders``), so it shares everything here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rooms import aggregates, reveal
from rooms.events import ReasonWritten, SliderPlaced
from rooms.i18n import translate
from rooms.kinds.base import Kind, Row, Scope, copy_texts, text_rows, who, written
from rooms.templates import SlidersActivity

if TYPE_CHECKING:
    from rooms.events import Event
    from rooms.models import RoomState, RoundRecord


class Sliders(Kind[SlidersActivity]):
    name = "sliders"
    reveals = True
    console = True

    def sliders(self, activity: SlidersActivity) -> SlidersActivity | None:
        return activity

    def rounds(self, activity: SlidersActivity) -> bool:
        return activity.rounds

    def done_counts(self, state: RoomState, activity: SlidersActivity, group: int) -> dict[str, int]:
        placed = state.placements.get(activity.id, {})
        positions = activity.position_ids()
        members = [m.id for m in state.members(group)]
        counts = {}
        for item in activity.items:
            by_member = placed.get(item.id, {})
            counts[item.id] = sum(1 for pid in members
                                  if (mine := by_member.get(pid)) and all(p in mine for p in positions))
        return counts

    def text_target(self, activity: SlidersActivity, field: str) -> tuple[str, int] | None:
        if activity.move and field in MOVE_FIELDS:
            return "group", MOVE_FIELDS[field]
        return None

    def redact(self, src: RoomState, dst: RoomState, activity: SlidersActivity, scope: Scope) -> None:
        redact_positions(src, dst, activity, scope)
        copy_texts(src, dst, activity.id, scope)  # what would move it: the group's, written together

    def progress(self, state: RoomState, activity: SlidersActivity, group: int) -> tuple[int, int]:
        members = state.members(group)
        done = sum(1 for m in members
                   if all(aggregates.has_placed(state, activity, i.id, m.id) for i in activity.items))
        return done, len(members)

    def divergent(self, state: RoomState, activity: SlidersActivity, group: int) -> bool:
        return any((g := aggregates.group_item(state, activity, i.id, group)).revealed and g.divergent
                   for i in activity.items)

    def summary(self, state: RoomState, activity: SlidersActivity, group: int, lang: str) -> list[str]:
        return positions_summary(state, activity, group, lang)

    def prefill(self, state: RoomState, activity: SlidersActivity, group: int, lang: str, *,
                actions: bool = True) -> list[str]:
        """The positions and, beside them, why (the workbook's agenda consists of exactly such reasons)."""
        return (move_lines(state, activity, group, lang) + positions_summary(state, activity, group, lang)
                + reason_lines(state, activity, group, lang))

    def fill(self, mine: RoomState, ours: RoomState, activity: SlidersActivity, pid: str, view: Any,
             lang: str) -> None:
        member = mine.participants[pid]
        view.round = mine.round_of(activity.id, member.group)
        records = mine.rounds.get(activity.id, {}).get(member.group, [])
        if records:
            view.start = {item: values[pid] for item, values in records[-1].before.items() if pid in values}
            for item in activity.items:
                change = aggregates.round_change(ours, activity, item.id, member.group)
                if change is not None:
                    view.round_changes[item.id] = change

    def suggests_next(self, state: RoomState, activity: SlidersActivity) -> tuple[int, str] | None:
        return suggestion(state, activity)

    def export_rows(self, state: RoomState, activity: SlidersActivity, lang: str, row: Row) -> None:
        position_rows(state, activity, lang, row)
        text_rows(state, activity.id, row)

    def describe(self, event: Event, state: RoomState | None, activity: SlidersActivity | None,
                 lang: str) -> str | None:
        fields = {"move-item": translate(lang, "de schuif om te verschuiven"),
                  "move-need": translate(lang, "wat er nodig is")}
        return describe_positions(event, state, activity, lang) or written(event, state, fields, lang)


def redact_positions(src: RoomState, dst: RoomState, activity: SlidersActivity, scope: Scope) -> None:
    """Positions and reasons: the group's once the slider is revealed."""
    placed = src.placements.get(activity.id, {})
    reasons = src.reasons.get(activity.id, {})
    members = [m.id for m in src.members(scope.group)]
    for item in activity.items:
        if not (placed.get(item.id) or reasons.get(item.id)):
            continue
        if not reveal.status(src, activity, item.id, scope.group).revealed:
            continue
        for pid in members:
            if pid in placed.get(item.id, {}):
                dst.placements.setdefault(activity.id, {}).setdefault(item.id, {})[pid] = dict(placed[item.id][pid])
            if not scope.screen and pid in reasons.get(item.id, {}):  # the why stays in the group
                dst.reasons.setdefault(activity.id, {}).setdefault(item.id, {})[pid] = reasons[item.id][pid]
    records = src.rounds.get(activity.id, {}).get(scope.group)
    if records:
        dst.rounds.setdefault(activity.id, {})[scope.group] = [
            _record_for(src, activity, r, scope.group) for r in records
        ]


def _record_for(src: RoomState, activity: SlidersActivity, record: RoundRecord, group: int) -> RoundRecord:
    """A past round as the group may know it: the positions of the sliders that were revealed
    when it ended, by the same rule as the live reveal (everyone had placed every position, the
    activity is live, or the host showed it)."""
    from rooms.models import RoundRecord

    members = len(src.members(group))
    positions = activity.position_ids()

    def shown(values: dict[str, dict[str, int]]) -> bool:
        done = sum(1 for v in values.values() if all(p in v for p in positions))
        return reveal.revealed(src, activity, group, done, members)

    before = {item: {p: dict(v) for p, v in values.items()} for item, values in record.before.items()
              if shown(values)}
    return RoundRecord(round=record.round, ended_at=record.ended_at, before=before)


def positions_summary(state: RoomState, activity: SlidersActivity, group: int, lang: str) -> list[str]:
    """The group's means per slider, its divergences and the largest now → goal gaps."""
    lines: list[str] = []
    positions = activity.positions
    gaps: list[tuple[int, str]] = []
    for item in activity.items:
        result = aggregates.group_item(state, activity, item.id, group)
        members = [m for m in state.members(group) if aggregates.has_placed(state, activity, item.id, m.id)]
        if not members:
            continue
        values = {p.id: [aggregates.positions_of(state, activity.id, item.id, m.id)[p.id] for m in members]
                  for p in positions}
        means = {p: aggregates.mean(v) for p, v in values.items()}
        shown = " → ".join(
            f"{p.short_label().get(lang)} {round(m)}" for p in positions if (m := means[p.id]) is not None
        )
        label = item.label.get(lang)
        lines.append(translate(lang, "{item}: {values} (verschil {spread})", item=label, values=shown,
                               spread=result.max_spread) if result.divergent else f"{label}: {shown}")
        first, second = (means[p.id] for p in positions[:2]) if len(positions) >= 2 else (None, None)
        if first is not None and second is not None:
            gaps.append((round(abs(second - first)), item.label.get(lang)))
    if gaps:
        gaps.sort(reverse=True)
        lines.append(translate(lang, "Grootste afstand nu → beoogd: {items}",
                               items=", ".join(f"{label} ({gap})" for gap, label in gaps[:2])))
    return lines


#: what would move it: the slider the group picked, and what it takes (group texts, their limits)
MOVE_FIELDS = {"move-item": 40, "move-need": 1000}


def move_lines(state: RoomState, activity: SlidersActivity, group: int, lang: str) -> list[str]:
    """The slider the group wants to work on and what is needed to move it (the agenda's start)."""
    texts = state.group_texts(activity.id, group)
    need = texts.get("move-need", "").strip()
    item = activity.item(texts.get("move-item", ""))
    if not need and item is None:
        return []
    label = item.label.get(lang) if item is not None else "?"
    return [translate(lang, "Wat is er nodig om {item} te verschuiven: {need}", item=label, need=need or "…")]


def reason_lines(state: RoomState, activity: SlidersActivity, group: int, lang: str) -> list[str]:
    """Per slider, each member's values and why (the report's "why" beside the positions)."""
    lines: list[str] = []
    reasons = state.reasons.get(activity.id, {})
    for item in activity.items:
        said = [(m, text) for m in state.members(group) if (text := reasons.get(item.id, {}).get(m.id, "").strip())]
        if not said:
            continue
        lines.append(translate(lang, "Waarom zo bij {item}:", item=item.label.get(lang)))
        for m, text in said:
            mine = aggregates.positions_of(state, activity.id, item.id, m.id)
            values = " / ".join(str(mine.get(p, "–")) for p in activity.position_ids())
            values += "".join(f", {p.short_label().get(lang)} {mine[p.id]}" for p in activity.perspectives
                              if p.id in mine)
            lines.append(f"  {m.name} ({values}): {text}")
    return lines


def position_rows(state: RoomState, activity: SlidersActivity, lang: str, row: Row) -> None:
    """Per member, slider and position the value (and reason); then the earlier rounds'."""
    reasons = state.reasons.get(activity.id, {})
    for m in sorted(state.participants.values(), key=lambda p: p.number):
        for item in activity.items:
            mine = aggregates.positions_of(state, activity.id, item.id, m.id)
            reason = reasons.get(item.id, {}).get(m.id, "")
            for position in activity.all_positions():
                if position.id in mine:
                    row(m.group, m.name, item.id, item.label.get(lang), position.id, mine[position.id], reason)
            if reason and not mine:  # a reason written before any placement is part of the record too
                row(m.group, m.name, item.id, item.label.get(lang), "", "", reason)
    for group, records in state.rounds.get(activity.id, {}).items():
        for record in records:
            for item_id, values in record.before.items():
                for pid, positions in values.items():
                    name = state.participants[pid].name if pid in state.participants else pid
                    for position_id, value in positions.items():
                        row(group, name, item_id, "", f"{position_id} (ronde {record.round})", value)


def describe_positions(event: Event, state: RoomState | None, spec: SlidersActivity | None,
                       lang: str) -> str | None:
    if isinstance(event, SliderPlaced):
        item, position = event.item, event.position
        if spec is not None:
            found = spec.item(event.item)
            item = found.label.get(lang) if found else item
            pos = next((p for p in spec.positions if p.id == event.position), None)
            position = pos.short_label().get(lang) if pos else position
        name = who(state, event.participant_id, lang)
        return translate(lang, "{name} zet {item} ({position}) op {value}", name=name, item=item,
                         position=position, value=event.value)
    if isinstance(event, ReasonWritten):
        name = who(state, event.participant_id, lang)
        found = spec.item(event.item) if spec is not None else None
        item = found.label.get(lang) if found else event.item
        if not event.text.strip():
            return translate(lang, "{name} licht {item} toe", name=name, item=item)
        return translate(lang, "{name} licht {item} toe: {reason}", name=name, item=item, reason=event.text)
    return None


KIND = Sliders()


def suggestion(state: RoomState, activity: SlidersActivity) -> tuple[int, str] | None:
    """The room's mean on the activity's first slider and the exercise it suggests (``suggests``),
    once anyone placed; the host's view, so every placement counts."""
    if activity.suggests is None:
        return None
    item, position = activity.items[0].id, activity.positions[0].id
    values = [v for pid in state.participants
              if (v := aggregates.positions_of(state, activity.id, item, pid).get(position)) is not None]
    average = aggregates.mean(values)
    if average is None:
        return None
    return round(average), activity.suggests.low if average < 50 else activity.suggests.high
