"""The work agenda: the group's fields, pre-filled from its earlier results, and SMART actions
(*Lokale werkagenda*). The template model is ``rooms.templates.AgendaActivity``.

The pre-fill, the proposed actions and the owner suggestions and proposals are the group's
results, so they are computed from what the whole group may know (the gate's group viewer), never
from one member's unrevealed work.

Proposed actions (``actions_from``): each line of an earlier activity's actions text (the actions
of *Bouwstenen*) is offered as an action the group may take over with one tap: the store writes
it as ``action-N-what`` of the next free N (``taking``) and, in the same write, where it came from
in ``action-N-from``, so
the proposal is not offered again, also once the group rewrote the action. Until then it is only
a proposal: counted in the summary, absent from the exports and the report, and no longer in the
pre-fill of the fields (it would appear twice).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from rooms.i18n import translate
from rooms.kinds.base import Kind, Row, Scope, copy_texts, labelled, slot, slot_order, who, written
from rooms.kinds.cards import KIND as CARDS
from rooms.kinds.cards import DeckCard
from rooms.models import TEXT_MAX
from rooms.owners import AGREED, MENTIONED, Member, OwnerProposal, Strength, Task, propose
from rooms.templates import ACTION_PARTS, AgendaActivity, AnyActivity

if TYPE_CHECKING:
    from rooms.events import Event
    from rooms.models import RoomState

AGENDA_ACTIONS_MAX = 20
PART_LABELS = {"what": "wat", "who": "wie", "with": "met wie", "when": "wanneer", "measure": "gelukt als"}
ACTION_PART_MAX = 300
ORIGIN_PART = "from"  # action-N-from: the proposal an action was taken over from
ORIGIN_MAX = 80
_BULLET = re.compile(r"^\s*(?:[-*•–·]|\d{1,2}[.)])\s*")


class Action(BaseModel):
    id: str  # action-N
    what: str = ""
    who: str = ""
    with_: str = ""
    when: str = ""
    measure: str = ""
    origin: str = ""  # the key of the proposal it was taken over from


class Proposal(BaseModel):
    """An action an earlier activity proposes, not yet the group's."""

    n: int  # its place among the proposals, as long as the texts they come from stay as they are
    key: str  # what the action taken over from it keeps in ``action-N-from``
    source: str  # the title of the activity it comes from
    text: str


class AgendaView(BaseModel):
    fields: dict[str, tuple[str, bool]]  # field -> (text, still the pre-fill)
    actions: list[Action]
    suggestions: list[tuple[str, str]]
    proposals: list[Proposal] = []
    slots: list[str] = []  # action ids with anything written, the origin alone included (``used_slots``)
    owners: dict[str, OwnerProposal] = {}  # action id -> who the competence game proposes


class Agenda(Kind[AgendaActivity]):
    name = "agenda"

    def sources(self, activity: AgendaActivity) -> list[str]:
        found = [s for f in activity.fields for s in f.prefill] + list(activity.actions_from)
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
        if activity.actions_from and not activity.actions:
            raise ValueError(f"activity {activity.id}: actions_from needs actions")
        from rooms.kinds import registry  # the registry imports this module

        for source_id in activity.actions_from:
            spec = before.get(source_id)
            if spec is None or registry.kind_of(spec).actions_field(spec) is None:
                raise ValueError(f"activity {activity.id}: actions_from '{source_id}' must be an earlier activity "
                                 "with actions")

    def text_target(self, activity: AgendaActivity, field: str) -> tuple[str, int] | None:
        if (spec := activity.field(field)) is not None:
            return "group", min(spec.max_length, TEXT_MAX)
        match = slot(field, "action", AGENDA_ACTIONS_MAX)
        if activity.actions and match and match["part"] in ACTION_PARTS:
            return "group", ACTION_PART_MAX
        if activity.actions and match and match["part"] == ORIGIN_PART:
            return "group", ORIGIN_MAX
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
        offered = proposals(state, activity, group, lang)
        if offered:
            # like an untouched pre-fill: there, but not yet the group's own
            lines.append(translate(lang, "Voorgestelde acties uit {sources}, nog niet overgenomen: {count}",
                                   count=len(offered), sources=", ".join(dict.fromkeys(p.source for p in offered))))
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
            parts = [action.what] + [f"{translate(lang, PART_LABELS[part])}: {value}" for part in ACTION_PARTS[1:]
                                     if (value := getattr(action, "with_" if part == "with" else part))]
            lines.append("- " + " · ".join(p for p in parts if p))
        return lines

    def fill(self, mine: RoomState, ours: RoomState, activity: AgendaActivity, pid: str, view: Any,
             lang: str) -> None:
        group = mine.participants[pid].group
        view.agenda = AgendaView(
            fields=fields(ours, activity, group, lang),
            actions=actions(mine, activity, group),
            suggestions=owner_suggestions(ours, activity, group, lang),
            proposals=proposals(ours, activity, group, lang),
            slots=sorted(used_slots(ours, activity, group), key=slot_order),
            owners=owner_proposals(ours, activity, group, lang),
        )

    def describe(self, event: Event, state: RoomState | None, activity: AgendaActivity | None,
                 lang: str) -> str | None:
        from rooms.events import ActionWritten

        if isinstance(event, ActionWritten):
            name = who(state, event.participant_id, lang)
            return translate(lang, "{name} schrijft aan actie {action}", name=name, action=event.action)
        from rooms.events import TextWritten

        taken = slot(event.field, "action", AGENDA_ACTIONS_MAX) if isinstance(event, TextWritten) else None
        if isinstance(event, TextWritten) and taken and taken["part"] == ORIGIN_PART and event.text:
            name = who(state, event.participant_id, lang)
            return translate(lang, "{name} neemt een voorgestelde actie over als actie {action}", name=name,
                             action=taken["n"])
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

    def corrects(self, activity: AgendaActivity, field: str) -> bool:
        match = slot(field, "action", AGENDA_ACTIONS_MAX)
        return not (match and match["part"] == ORIGIN_PART)

    def field_label(self, activity: AgendaActivity, field: str, lang: str) -> str:
        match = slot(field, "action", AGENDA_ACTIONS_MAX)
        if match and match["part"] in ACTION_PARTS:
            return translate(lang, "Actie {n}", n=match["n"]) + " · " + translate(lang, PART_LABELS[match["part"]])
        if match and match["part"] == ORIGIN_PART:
            return translate(lang, "Actie {n}", n=match["n"]) + " · " + translate(lang, "overgenomen voorstel")
        return super().field_label(activity, field, lang)


def actions(state: RoomState, activity: AgendaActivity, group: int) -> list[Action]:
    """The group's actions; one whose parts are all empty is gone (also when it still knows the
    proposal it came from)."""
    found: dict[str, Action] = {}
    for field, text in state.group_texts(activity.id, group).items():
        match = slot(field, "action", AGENDA_ACTIONS_MAX)
        if match is None or match["part"] not in (*ACTION_PARTS, ORIGIN_PART):
            continue
        part = match["part"]
        action = found.setdefault(f"action-{match['n']}", Action(id=f"action-{match['n']}"))
        setattr(action, {"with": "with_", ORIGIN_PART: "origin"}.get(part, part), text)
    kept = [a for a in found.values() if any((a.what, a.who, a.with_, a.when, a.measure))]
    return sorted(kept, key=lambda a: slot_order(a.id))


def free_action(taken: list[Action], also: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The id of the first action slot neither the group's actions nor ``also`` use, or None."""
    used = {a.id for a in taken} | set(also)
    return next((f"action-{n}" for n in range(1, AGENDA_ACTIONS_MAX + 1) if f"action-{n}" not in used), None)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def split_actions(text: str) -> list[str]:
    """One proposed action a line, without bullets or numbers, each once."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = " ".join(_BULLET.sub("", line).split())[:ACTION_PART_MAX]
        if line:
            out.setdefault(_plain(line), line)
    return list(out.values())


def proposal_key(source: str, text: str) -> str:
    return f"{source}:" + hashlib.sha256(_plain(text).encode()).hexdigest()[:12]


def used_slots(state: RoomState, activity: AgendaActivity, group: int) -> set[str]:
    """The action ids with any text, also one that only knows the proposal it came from (its parts
    emptied): a new action there would hide that proposal again."""
    texts = state.group_texts(activity.id, group)
    return {f"action-{m['n']}" for f in texts if (m := slot(f, "action", AGENDA_ACTIONS_MAX)) is not None}


def taking(state: RoomState, activity: AgendaActivity, group: int, key: object,
           avoid: Collection[str] = ()) -> tuple[str, str]:
    """Where a proposal the group takes over goes: (the action's id, the proposal's text). The
    first action slot with nothing in it (not even where an earlier action came from) that the
    phone does not hold a new row in (``avoid``); refused when the proposal is no longer offered."""
    from rooms.validate import Rejected

    found = next((p for p in proposals(state, activity, group) if p.key == key), None) if isinstance(key, str) else None
    if found is None:
        raise Rejected("no-proposal", "Dit voorstel is al overgenomen of bestaat niet meer.")
    free = free_action([], used_slots(state, activity, group) | set(avoid))
    if free is None:
        raise Rejected("actions-full", "Hooguit {v0} acties.", v0=AGENDA_ACTIONS_MAX)
    return free, found.text


def proposals(state: RoomState, activity: AgendaActivity, group: int, lang: str = "nl") -> list[Proposal]:
    """The actions earlier activities propose (``actions_from``) that the group has not taken over."""
    from rooms.kinds import registry  # the registry imports this module

    if not activity.actions:
        return []
    own = actions(state, activity, group)
    origins = {a.origin for a in own if a.origin}
    written = {_plain(a.what) for a in own if a.what}
    out: list[Proposal] = []
    n = 0
    for source_id in activity.actions_from:
        source = state.template.activity(source_id)
        field = registry.kind_of(source).actions_field(source) if source is not None else None
        if source is None or field is None:
            continue
        for line in split_actions(state.group_texts(source.id, group).get(field, "")):
            n += 1
            key = proposal_key(source.id, line)
            if key not in origins and _plain(line) not in written and len(out) < AGENDA_ACTIONS_MAX:
                out.append(Proposal(n=n, key=key, source=source.title.get(lang), text=line))
    return out


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
            # actions the agenda proposes as actions are not repeated in the field
            lines = registry.kind_of(source).prefill(state, source, group, lang,
                                                     actions=source_id not in activity.actions_from)
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


def owner_proposals(state: RoomState, activity: AgendaActivity, group: int, lang: str) -> dict[str, OwnerProposal]:
    """Per action with a *what*: the member whose competence cards fit it best (``rooms.owners``)."""
    source = state.template.activity(activity.suggest_from) if activity.suggest_from else None
    if source is None or source.kind != "cards" or not activity.actions:
        return {}
    deck = source  # a cards activity: narrowed by its kind

    def strength(card_id: str, weight: int) -> Strength | None:
        card = deck.card(card_id)
        if card is None:
            return None
        texts = [card.label, *([card.explain] if card.explain else [])]
        words = " ".join(t.nl for t in texts) + (" " + " ".join(t.en for t in texts) if lang == "en" else "")
        return Strength(label=card.label.get(lang), words=words, weight=weight)

    members = []
    for entry in CARDS.team_profile(state, deck, group):
        found = [strength(c, AGREED) for c in entry.agreed] + [strength(c, MENTIONED) for c in entry.mentioned]
        members.append(Member(id=entry.member, name=entry.name, strengths=[s for s in found if s is not None]))
    tasks = [Task(id=a.id, what=a.what, who=a.who) for a in actions(state, activity, group) if a.what]
    return propose(tasks, members, lang)


KIND = Agenda()
