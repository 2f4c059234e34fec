"""The work agenda: the group's fields, pre-filled from its earlier results, and SMART actions
(*Lokale werkagenda*). The template model is ``rooms.templates.AgendaActivity``.

The pre-fill and the owner suggestions are the group's results, so they are computed from what
the whole group may know (the gate's group viewer), never from one member's unrevealed work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from rooms.i18n import translate
from rooms.kinds.base import Kind, Row, Scope, copy_texts, labelled, slot, slot_order, who, written
from rooms.kinds.cards import KIND as CARDS
from rooms.kinds.cards import DeckCard
from rooms.models import TEXT_MAX
from rooms.templates import ACTION_PARTS, AgendaActivity, AnyActivity

if TYPE_CHECKING:
    from rooms.events import Event
    from rooms.models import RoomState

AGENDA_ACTIONS_MAX = 20
PART_LABELS = {"what": "wat", "who": "wie", "with": "met wie", "when": "wanneer", "measure": "gelukt als"}
ACTION_PART_MAX = 300


class Action(BaseModel):
    id: str  # action-N
    what: str = ""
    who: str = ""
    with_: str = ""
    when: str = ""
    measure: str = ""


class AgendaView(BaseModel):
    fields: dict[str, tuple[str, bool]]  # field -> (text, still the pre-fill)
    actions: list[Action]
    suggestions: list[tuple[str, str]]


class Agenda(Kind[AgendaActivity]):
    name = "agenda"

    def sources(self, activity: AgendaActivity) -> list[str]:
        found = [s for f in activity.fields for s in f.prefill]
        return found + ([activity.suggest_from] if activity.suggest_from else [])

    def check(self, activity: AgendaActivity, earlier: list[AnyActivity]) -> None:
        before = {a.id: a for a in earlier}
        if activity.suggest_from is not None:
            suggest = before.get(activity.suggest_from)
            if suggest is None or suggest.kind != "cards" or getattr(suggest, "targets", "") != "members":
                raise ValueError(f"activity {activity.id}: suggest_from '{activity.suggest_from}' must be a cards "
                                 "activity with targets 'members'")
        for source in (s for f in activity.fields for s in f.prefill):
            if source not in before:
                raise ValueError(f"activity {activity.id}: prefill '{source}' is not an earlier activity")

    def text_target(self, activity: AgendaActivity, field: str) -> tuple[str, int] | None:
        if (spec := activity.field(field)) is not None:
            return "group", min(spec.max_length, TEXT_MAX)
        match = slot(field, "action", AGENDA_ACTIONS_MAX)
        if activity.actions and match and match["part"] in ACTION_PARTS:
            return "group", ACTION_PART_MAX
        return None

    def redact(self, src: RoomState, dst: RoomState, activity: AgendaActivity, scope: Scope) -> None:
        copy_texts(src, dst, activity.id, scope)

    def progress(self, state: RoomState, activity: AgendaActivity, group: int) -> tuple[int, int]:
        texts = state.group_texts(activity.id, group)
        filled = sum(1 for f in activity.fields if texts.get(f.id))
        extra = 1 if activity.actions else 0
        return filled + (1 if actions(state, activity, group) else 0), len(activity.fields) + extra

    def summary(self, state: RoomState, activity: AgendaActivity, group: int, lang: str) -> list[str]:
        # what the group sees in its fields, the pre-fill included: an agenda nobody touched yet is
        # not empty, it holds what the group did earlier
        lines = [labelled(spec.label.get(lang), text) for field_id, (text, _prefilled)
                 in fields(state, activity, group, lang).items()
                 if text and (spec := activity.field(field_id)) is not None]
        for action in actions(state, activity, group):
            if action.what:
                extra = ", ".join(x for x in (action.who, action.when) if x)
                lines.append("• " + action.what + (f" ({extra})" if extra else ""))
        return lines

    def room_lines(self, state: RoomState, activity: AgendaActivity, lang: str) -> list[str]:
        count = sum(len([a for a in actions(state, activity, g) if a.what]) for g in state.groups())
        return [translate(lang, "{count} acties afgesproken", count=count)]

    def shows_empty_group(self, activity: AgendaActivity) -> bool:
        return True

    def report(self, state: RoomState, activity: AgendaActivity, group: int, lang: str) -> list[str]:
        lines = []
        for field_id, (text, _prefilled) in fields(state, activity, group, lang).items():
            spec = activity.field(field_id)
            if text and spec is not None:
                lines.append(f"{spec.label.get(lang)}\n{text}")
        for action in actions(state, activity, group):
            parts = [action.what, action.who and f"wie: {action.who}", action.with_ and f"met: {action.with_}",
                     action.when and f"wanneer: {action.when}", action.measure and f"gelukt als: {action.measure}"]
            lines.append("- " + " · ".join(p for p in parts if p))
        return lines

    def fill(self, mine: RoomState, ours: RoomState, activity: AgendaActivity, pid: str, view: Any,
             lang: str) -> None:
        group = mine.participants[pid].group
        view.agenda = AgendaView(
            fields=fields(ours, activity, group, lang),
            actions=actions(mine, activity, group),
            suggestions=owner_suggestions(ours, activity, group, lang),
        )

    def describe(self, event: Event, state: RoomState | None, activity: AgendaActivity | None,
                 lang: str) -> str | None:
        from rooms.events import ActionWritten

        if isinstance(event, ActionWritten):
            name = who(state, event.participant_id, lang)
            return translate(lang, "{name} schrijft aan actie {action}", name=name, action=event.action)
        fields = {f.id: f.label.get(lang) for f in activity.fields} if activity is not None else {}
        return written(event, state, fields, lang)

    def export_rows(self, state: RoomState, activity: AgendaActivity, lang: str, row: Row) -> None:
        """Each group's agenda as it reads: every field (its pre-fill where nobody wrote in it
        yet, marked so), then the actions part by part."""
        prefilled_mark = translate(lang, "voorgevuld")
        for group in state.groups():
            for field_id, (text, prefilled) in fields(state, activity, group, lang).items():
                spec = activity.field(field_id)
                if text and spec is not None:
                    row(group, "", field_id, spec.label.get(lang), prefilled_mark if prefilled else "", "", text)
            for action in actions(state, activity, group):
                for part in ACTION_PARTS:
                    value = getattr(action, "with_" if part == "with" else part)
                    if value:
                        row(group, "", f"{action.id}-{part}", self.field_label(activity, f"{action.id}-{part}", lang),
                            "", "", value)

    def field_label(self, activity: AgendaActivity, field: str, lang: str) -> str:
        match = slot(field, "action", AGENDA_ACTIONS_MAX)
        if match and match["part"] in ACTION_PARTS:
            return translate(lang, "Actie {n}", n=match["n"]) + " · " + translate(lang, PART_LABELS[match["part"]])
        return super().field_label(activity, field, lang)


def actions(state: RoomState, activity: AgendaActivity, group: int) -> list[Action]:
    found: dict[str, Action] = {}
    for field, text in state.group_texts(activity.id, group).items():
        if not field.startswith("action-"):
            continue
        _, number, part = field.split("-", 2)
        action = found.setdefault(f"action-{number}", Action(id=f"action-{number}"))
        setattr(action, "with_" if part == "with" else part, text)
    return sorted(found.values(), key=lambda a: slot_order(a.id))


def fields(state: RoomState, activity: AgendaActivity, group: int, lang: str) -> dict[str, tuple[str, bool]]:
    """Each field's text and whether it is still the pre-fill (nobody wrote in it yet)."""
    from rooms.kinds import registry  # the registry imports this module

    texts = state.group_texts(activity.id, group)
    out: dict[str, tuple[str, bool]] = {}
    for field in activity.fields:
        if texts.get(field.id):
            out[field.id] = (texts[field.id], False)
            continue
        parts = []
        for source_id in field.prefill:
            source = state.template.activity(source_id)
            if source is None:
                continue
            lines = registry.kind_of(source).prefill(state, source, group, lang)
            if lines:
                parts.append("\n".join(lines))
        out[field.id] = ("\n\n".join(parts)[: field.max_length], True)
    return out


def owner_suggestions(state: RoomState, activity: AgendaActivity, group: int, lang: str) -> list[tuple[str, str]]:
    """(name, strengths) per member, from the competence game, to help pick who takes an action."""
    source = state.template.activity(activity.suggest_from) if activity.suggest_from else None
    if source is None or source.kind != "cards":
        return []
    deck = source  # a cards activity: narrowed by its kind
    out = []
    for entry in CARDS.team_profile(state, deck, group):
        cards = (entry.agreed + entry.mentioned)[:4]
        out.append((entry.name, ", ".join(CARDS.card_label(deck, DeckCard(id=c, label=""), lang) for c in cards)))
    return out


KIND = Agenda()
