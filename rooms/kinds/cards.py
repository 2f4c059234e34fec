"""Cards: each member gives every card to members of the group or to categories, independently
first. The deck is the template's, or the notes the group writes (the tensions of *Bouwstenen*);
a cards activity may also rate its categories (sliders) and end in a group text (actions).

The template model is ``rooms.templates.CardsActivity``. Sorting (``rooms.kinds.sort``) is the
same game with bins, so it builds on the card rules here.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from rooms import aggregates, reveal
from rooms.events import CardAssigned, NoteWritten
from rooms.i18n import translate
from rooms.kinds import cards_team, sliders
from rooms.kinds.base import Bar, Kind, Row, Scope, copy_texts, labelled, slot, slot_order, text_rows, who, written
from rooms.kinds.cards_team import NONE_TARGET, ProfileEntry
from rooms.models import NOTES_FIELD_PREFIX, TEXT_MAX, group_owner
from rooms.templates import Card, CardsActivity, SlidersActivity, SortActivity

if TYPE_CHECKING:
    from rooms.events import Event
    from rooms.models import RoomState

__all__ = ["NONE_TARGET", "ProfileEntry"]  # a card that fits nobody; a member's part of the team profile

NOTE_MAX = 300

Deck = TypeVar("Deck", CardsActivity, SortActivity)


class DeckCard(BaseModel):
    id: str
    label: str  # the note's text for written cards; empty for template cards (the UI has the label)


class CardResult(BaseModel):
    """One group's choices for one card."""

    card: str
    assigned: int
    members: int
    revealed: bool
    choices: dict[str, list[str]]  # participant -> targets (of the members who assigned)
    agreed: list[str]  # targets every member who assigned chose
    divergent: bool
    joint: list[str] | None = None  # the group's joint decision (``cards_team``), if it settled the card


class CardView(BaseModel):
    id: str
    label: str  # the note's text for cards the group wrote; else empty (the template has the label)
    mine: list[str]
    assigned: int
    members: int
    revealed: bool
    choices: list[tuple[str, list[str]]] = []  # (name, targets), only once revealed
    agreed: list[str] = []
    divergent: bool = False
    joint: list[str] | None = None  # what the group settled together, once revealed (None: not yet)


class TargetView(BaseModel):
    id: str
    name: str
    is_me: bool = False


OUTSIDE_MAX = 300


def outside_field(card: str) -> str:
    """The group's text naming people outside the group for one card."""
    return f"outside-{card}"


class CardGame(Kind[Deck]):
    """What cards and sorting share: a deck, one choice per member and card, revealed per card."""

    reveals = True

    def pool(self, activity: Deck) -> list[Card]:
        raise NotImplementedError

    def deck(self, state: RoomState, activity: Deck, group: int) -> list[DeckCard]:
        return [DeckCard(id=c.id, label="") for c in self.pool(activity)]

    def target_pool(self, activity: Deck) -> list[Card] | None:
        """The categories or bins cards go to; None when they go to members."""
        raise NotImplementedError

    def may_assign(self, activity: Deck, card: str) -> bool:
        """Whether a member may assign ``card`` (a card of the deck, or a note slot)."""
        return any(c.id == card for c in self.pool(activity))

    def multiple(self, activity: Deck) -> bool:
        """Whether a card may go to more than one target."""
        return False

    def units(self, state: RoomState, activity: Deck, group: int) -> list[str]:
        return [c.id for c in self.deck(state, activity, group)]

    def done_counts(self, state: RoomState, activity: Deck, group: int) -> dict[str, int]:
        by_card = state.cards.get(activity.id, {})
        members = [m.id for m in state.members(group)]
        return {card: sum(1 for pid in members if pid in by_card.get(card, {}))
                for card in self.units(state, activity, group)}

    def redact(self, src: RoomState, dst: RoomState, activity: Deck, scope: Scope) -> None:
        by_card = src.cards.get(activity.id, {})
        members = [m.id for m in src.members(scope.group)]
        for card in self.units(src, activity, scope.group):
            chosen = by_card.get(card)
            if chosen and reveal.status(src, activity, card, scope.group).revealed:
                for pid in members:
                    if pid in chosen:
                        dst.cards.setdefault(activity.id, {}).setdefault(card, {})[pid] = list(chosen[pid])
        copy_texts(src, dst, activity.id, scope)

    def progress(self, state: RoomState, activity: Deck, group: int) -> tuple[int, int]:
        """How many members of the group have assigned every card."""
        deck = self.units(state, activity, group)
        members = state.members(group)
        if not deck:
            return 0, len(members)
        assigned = state.cards.get(activity.id, {})
        return sum(1 for m in members if all(m.id in assigned.get(c, {}) for c in deck)), len(members)

    def divergent(self, state: RoomState, activity: Deck, group: int) -> bool:
        return any((r := self.result(state, activity, c, group)).revealed and r.divergent
                   for c in self.units(state, activity, group))

    def result(self, state: RoomState, activity: Deck, card: str, group: int) -> CardResult:
        status = reveal.status(state, activity, card, group)
        by_member = state.cards.get(activity.id, {}).get(card, {})
        choices = {m.id: by_member[m.id] for m in state.members(group) if m.id in by_member}
        sets = [set(v) for v in choices.values()]
        return CardResult(
            card=card,
            assigned=status.done,
            members=status.members,
            revealed=status.revealed,
            choices=choices,
            agreed=sorted(set.intersection(*sets)) if sets else [],
            divergent=len(sets) >= 2 and any(s != sets[0] for s in sets[1:]),
            joint=by_member.get(group_owner(group)),
        )

    def card_label(self, activity: Deck, card: DeckCard, lang: str) -> str:
        if card.label:
            return card.label
        spec = next((c for c in self.pool(activity) if c.id == card.id), None)
        return spec.label.get(lang) if spec else card.id

    def label_of(self, activity: Deck, card: str, lang: str) -> str:
        """A template card's label by its id."""
        return self.card_label(activity, DeckCard(id=card, label=""), lang)

    def target_label(self, state: RoomState, activity: Deck, target: str, lang: str) -> str:
        pool = self.target_pool(activity)
        if pool is None:
            if target == NONE_TARGET:
                return translate(lang, "niemand")
            member = state.participants.get(target)
            return member.name if member else "?"
        spec = next((c for c in pool if c.id == target), None)
        return spec.label.get(lang) if spec else target

    def group_matrix(self, state: RoomState, activity: Deck, group: int, lang: str
                     ) -> tuple[list[str], list[tuple[str, list[int]]]]:
        """Cards × targets (the members, or the bins and categories): how many members gave each
        card to each target, for the cards the group has revealed; the most given first."""
        pool = self.target_pool(activity)
        targets = [m.id for m in state.members(group)] if pool is None else [c.id for c in pool]
        rows: list[tuple[str, list[int]]] = []
        for card in self.deck(state, activity, group):
            chosen = self.result(state, activity, card.id, group).choices
            if not chosen:
                continue
            counts = [sum(1 for picked in chosen.values() if t in picked) for t in targets]
            rows.append((self.card_label(activity, card, lang), counts))
        rows.sort(key=lambda row: -sum(row[1]))
        return [self.target_label(state, activity, t, lang) for t in targets], rows

    def target_counts(self, state: RoomState, activity: Deck, group: int) -> Counter[str]:
        """Per target: on how many cards at least one member chose it."""
        counts: Counter[str] = Counter()
        for card in self.units(state, activity, group):
            chosen = self.result(state, activity, card, group).choices
            counts.update({target for targets in chosen.values() for target in targets})
        return counts

    def fill(self, mine: RoomState, ours: RoomState, activity: Deck, pid: str, view: Any,
             lang: str) -> None:
        group = mine.participants[pid].group
        members = mine.members(group)
        names = {m.id: m.name for m in members}
        view.targets = [TargetView(id=m.id, name=m.name, is_me=m.id == pid) for m in members]
        for card in self.deck(mine, activity, group):
            result = self.result(mine, activity, card.id, group)
            shown = result.revealed
            view.cards.append(CardView(
                id=card.id,
                label=card.label,
                mine=list(result.choices.get(pid, [])),
                assigned=result.assigned,
                members=result.members,
                revealed=shown,
                choices=[(names[m], targets) for m, targets in result.choices.items()] if shown else [],
                agreed=result.agreed if shown else [],
                divergent=result.divergent if shown else False,
                joint=result.joint if shown else None,
            ))

    def export_rows(self, state: RoomState, activity: Deck, lang: str, row: Row) -> None:
        for group in state.groups():
            for card in self.deck(state, activity, group):
                label = self.card_label(activity, card, lang)
                chosen = state.cards.get(activity.id, {}).get(card.id, {})
                for m in state.members(group):
                    if m.id in chosen:
                        targets = ", ".join(self.target_label(state, activity, x, lang) for x in chosen[m.id])
                        # given to a colleague, or linked to a block or a bin
                        row(group, m.name, card.id, label, "target" if self.target_pool(activity) is None else "linked",
                            targets)

    def describe(self, event: Event, state: RoomState | None, activity: Deck | None, lang: str) -> str | None:
        if not isinstance(event, CardAssigned):
            return None
        card = event.card
        if activity is not None:
            found = next((c for c in self.pool(activity) if c.id == event.card), None)
            card = found.label.get(lang) if found else card
        targets = ", ".join(who(state, x, lang) if state and x in state.participants else x
                            for x in event.targets) or "–"
        name = who(state, event.participant_id, lang)
        return translate(lang, "{name} legt {card} bij {targets}", name=name, card=card, targets=targets)


class Cards(CardGame[CardsActivity]):
    name = "cards"

    def pool(self, activity: CardsActivity) -> list[Card]:
        return activity.deck

    def target_pool(self, activity: CardsActivity) -> list[Card] | None:
        return activity.categories if activity.targets == "categories" else None

    def deck(self, state: RoomState, activity: CardsActivity, group: int) -> list[DeckCard]:
        """The template's deck, then the notes the group wrote."""
        cards = super().deck(state, activity, group)
        if activity.notes is not None:
            notes = state.group_texts(activity.id, group)
            written = sorted((f for f in notes if f.startswith(NOTES_FIELD_PREFIX)), key=slot_order)
            cards += [DeckCard(id=f, label=notes[f]) for f in written]
        return cards

    def may_assign(self, activity: CardsActivity, card: str) -> bool:
        if activity.notes is not None:
            return slot(card, "note", activity.notes.max) is not None and card.count("-") == 1
        return super().may_assign(activity, card)

    def multiple(self, activity: CardsActivity) -> bool:
        return activity.multiple

    def sliders(self, activity: CardsActivity) -> SlidersActivity | None:
        return activity.rating_sliders()

    def text_target(self, activity: CardsActivity, field: str) -> tuple[str, int] | None:
        if activity.notes is not None and slot(field, "note", activity.notes.max) and field.count("-") == 1:
            return "group", NOTE_MAX
        if activity.actions is not None and field == activity.actions.id:
            return "group", min(activity.actions.max_length, TEXT_MAX)
        if activity.outside is not None and any(field == outside_field(c.id) for c in activity.deck):
            return "group", OUTSIDE_MAX
        return None

    def redact(self, src: RoomState, dst: RoomState, activity: CardsActivity, scope: Scope) -> None:
        super().redact(src, dst, activity, scope)
        if activity.joint:
            cards_team.copy_joint(src, dst, activity, scope.group)
        rating = activity.rating_sliders()
        if rating is not None:
            sliders.redact_positions(src, dst, rating, scope)

    def team_profile(self, state: RoomState, activity: CardsActivity, group: int) -> list[ProfileEntry]:
        return cards_team.team_profile(self, state, activity, group)

    def team_strengths(self, state: RoomState, activity: CardsActivity, group: int) -> list[str]:
        return cards_team.team_strengths(self, state, activity, group)

    def team_gaps(self, state: RoomState, activity: CardsActivity, group: int) -> list[str]:
        return cards_team.team_gaps(self, state, activity, group)

    def fill(self, mine: RoomState, ours: RoomState, activity: CardsActivity, pid: str, view: Any,
             lang: str) -> None:
        super().fill(mine, ours, activity, pid, view, lang)
        if activity.targets == "members":
            group = mine.participants[pid].group
            view.profile = self.team_profile(ours, activity, group)
            view.strengths = self.team_strengths(ours, activity, group)

    def summary(self, state: RoomState, activity: CardsActivity, group: int, lang: str) -> list[str]:
        if activity.targets == "categories":
            return self._categories_summary(state, activity, group, lang)
        return cards_team.members_summary(self, state, activity, group, lang)

    def prefill(self, state: RoomState, activity: CardsActivity, group: int, lang: str, *,
                actions: bool = True) -> list[str]:
        if activity.targets == "categories":
            return self._categories_summary(state, activity, group, lang, actions=actions)
        return cards_team.members_summary(self, state, activity, group, lang)

    def actions_field(self, activity: CardsActivity) -> str | None:
        return activity.actions.id if activity.actions is not None else None

    def _categories_summary(self, state: RoomState, activity: CardsActivity, group: int, lang: str, *,
                            actions: bool = True) -> list[str]:
        lines: list[str] = []
        notes = [c for c in self.deck(state, activity, group) if c.label]
        if notes and activity.notes is not None:
            lines.append(activity.notes.label.get(lang) + ": " + "; ".join(n.label for n in notes))
        counts = self.target_counts(state, activity, group)
        if counts:
            lines.append(translate(lang, "Meeste spanningen: {categories}", categories=", ".join(
                f"{self.target_label(state, activity, c, lang)} ({n})" for c, n in counts.most_common(3))))
        rating = activity.rating_sliders()
        if rating is not None:
            rated = []
            for item in rating.items:
                values = [v for m in state.members(group)
                          if (v := aggregates.positions_of(state, rating.id, item.id, m.id).get("rating")) is not None]
                avg = aggregates.mean(values)
                if avg is not None:
                    rated.append((round(avg), item.label.get(lang)))
            if rated:
                rated.sort()
                lines.append(translate(lang, "Zwakste bouwstenen: {items}",
                                       items=", ".join(f"{label} ({value})" for value, label in rated[:3])))
        if activity.actions is not None and actions:
            text = state.group_texts(activity.id, group).get(activity.actions.id)
            if text:
                lines.append(labelled(activity.actions.label.get(lang), text))
        return lines

    def room_lines(self, state: RoomState, activity: CardsActivity, lang: str) -> list[str]:
        if activity.targets == "categories":
            total: Counter[str] = Counter()
            for g in state.groups():
                total.update(self.target_counts(state, activity, g))
            return [f"{self.target_label(state, activity, c, lang)}: {n}" for c, n in total.most_common()]
        return cards_team.room_lines(self, state, activity, lang)

    def room_bars(self, state: RoomState, activity: CardsActivity, lang: str) -> list[Bar]:
        """Categories: tensions linked per category; members: in how many groups a card went to
        someone (small decks, every card) or was given jointly (large decks, the ten most)."""
        if activity.targets == "categories":
            total: Counter[str] = Counter()
            for g in state.groups():
                total.update(self.target_counts(state, activity, g))
            most = max(total.values(), default=0)
            return [Bar(self.target_label(state, activity, c, lang), n, most) for c, n in total.most_common()]
        return cards_team.room_bars(self, state, activity, lang)


    def export_rows(self, state: RoomState, activity: CardsActivity, lang: str, row: Row) -> None:
        rating = activity.rating_sliders()
        if rating is not None:
            sliders.position_rows(state, rating, lang, row)
        super().export_rows(state, activity, lang, row)
        cards_team.joint_rows(self, state, activity, lang, row)
        text_rows(state, activity.id, row)

    def field_label(self, activity: CardsActivity, field: str, lang: str) -> str:
        if activity.actions is not None and field == activity.actions.id:
            return activity.actions.label.get(lang)
        if activity.notes is not None and field.startswith(NOTES_FIELD_PREFIX):
            return f"{activity.notes.label.get(lang)} {field[len(NOTES_FIELD_PREFIX):]}"
        return ""

    def describe(self, event: Event, state: RoomState | None, activity: CardsActivity | None,
                 lang: str) -> str | None:
        if isinstance(event, NoteWritten):
            name = who(state, event.participant_id, lang)
            if not event.text:
                return translate(lang, "{name} haalt kaart {note} weg", name=name, note=event.note)
            return translate(lang, "{name} schrijft kaart {note}: {text}", name=name, note=event.note, text=event.text)
        said = super().describe(event, state, activity, lang) or cards_team.describe(event, state, activity, lang)
        if said is None and activity is not None and activity.actions is not None:
            said = written(event, state, {activity.actions.id: activity.actions.label.get(lang)}, lang)
        if said is None:
            rating = activity.rating_sliders() if activity is not None else None
            said = sliders.describe_positions(event, state, rating, lang)
        return said


KIND = Cards()
