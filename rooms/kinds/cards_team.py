"""The team side of cards given to members (the competence game, best persons): the group's joint
decision per card, and the team's profile, strengths and gaps made from it.

The workbook plays the competence game as one conversation: colleagues settle together which
competence fits whom. The app has each member give the cards alone first (``rooms.kinds.cards``);
with ``joint`` on, the group then goes through the revealed cards together and settles each one:
one decision per card and group (``events.CardSettled``), kept beside the members' own choices
under the group's owner (``g<N>``). Where the group settled a card, the team's results follow
that decision; elsewhere they follow how far the members' own choices agree.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from pydantic import BaseModel

from rooms.events import CardSettled
from rooms.i18n import translate
from rooms.kinds.base import Bar, Row, who
from rooms.models import group_owner

if TYPE_CHECKING:
    from rooms.events import Event
    from rooms.kinds.cards import Cards
    from rooms.models import RoomState
    from rooms.templates import CardsActivity

NONE_TARGET = "none"  # a card that fits nobody in the group (``rooms.kinds.cards`` uses the same)
SMALL_DECK = 8  # up to this many cards are types (best persons), not competences


class ProfileEntry(BaseModel):
    member: str
    name: str
    agreed: list[str]  # cards the group settled on this member, or everyone who assigned gave them
    mentioned: list[str]  # cards someone (not all) gave to this member, where the group settled nothing


def in_join_order(state: RoomState | None, targets: list[str]) -> list[str]:
    """Targets as people read them: members in join order (ids say nothing), "nobody" last."""
    def number(target: str) -> int:
        member = state.participants.get(target) if state is not None else None
        return member.number if member is not None else 1 << 30
    return sorted(targets, key=number)


def joint(state: RoomState, activity: CardsActivity, card: str, group: int) -> list[str] | None:
    """The group's joint decision on a card (the members it fits, or ``none``), or None if not settled."""
    return state.cards.get(activity.id, {}).get(card, {}).get(group_owner(group))


def copy_joint(src: RoomState, dst: RoomState, activity: CardsActivity, group: int) -> None:
    """The gate: a joint decision is the group's, so everyone the group's work is shown to sees it."""
    owner = group_owner(group)
    for card, by_owner in src.cards.get(activity.id, {}).items():
        if owner in by_owner:
            dst.cards.setdefault(activity.id, {}).setdefault(card, {})[owner] = list(by_owner[owner])


def team_profile(game: Cards, state: RoomState, activity: CardsActivity, group: int) -> list[ProfileEntry]:
    """Per member of the group: the cards the group settled on them or agrees fit them, and the
    ones only some chose (for cards the group did not settle)."""
    entries = {m.id: ProfileEntry(member=m.id, name=m.name, agreed=[], mentioned=[]) for m in state.members(group)}
    for card in game.units(state, activity, group):
        settled = joint(state, activity, card, group)
        if settled is not None:
            for target in settled:
                if target in entries:
                    entries[target].agreed.append(card)
            continue
        result = game.result(state, activity, card, group)
        for target in {x for targets in result.choices.values() for x in targets}:
            entry = entries.get(target)
            if entry is not None:
                (entry.agreed if target in result.agreed else entry.mentioned).append(card)
    return list(entries.values())


def team_strengths(game: Cards, state: RoomState, activity: CardsActivity, group: int) -> list[str]:
    """Cards the group settled on someone in it, or (not settled) on which every member who assigned
    named the same people, not nobody."""
    out = []
    for card in game.units(state, activity, group):
        settled = joint(state, activity, card, group)
        if settled is not None:
            if NONE_TARGET not in settled:
                out.append(card)
            continue
        r = game.result(state, activity, card, group)
        if len(r.choices) >= 2 and not r.divergent and r.agreed and NONE_TARGET not in r.agreed:
            out.append(card)
    return out


def team_gaps(game: Cards, state: RoomState, activity: CardsActivity, group: int) -> list[str]:
    """Cards nobody in the group has: settled on "nobody", or (not settled) everyone who answered chose
    "nobody". What the team lacks, to look for outside it or to learn."""
    out = []
    for card in game.units(state, activity, group):
        settled = joint(state, activity, card, group)
        if settled is not None:
            if settled == [NONE_TARGET]:
                out.append(card)
            continue
        r = game.result(state, activity, card, group)
        if r.revealed and r.choices and all(targets == [NONE_TARGET] for targets in r.choices.values()):
            out.append(card)
    return out


def outside_names(state: RoomState, activity: CardsActivity, group: int) -> dict[str, str]:
    """Per card, the people outside the group the group named for it."""
    from rooms.kinds.cards import outside_field

    if activity.outside is None:
        return {}
    texts = state.group_texts(activity.id, group)
    return {c.id: texts[outside_field(c.id)].strip() for c in activity.deck
            if texts.get(outside_field(c.id), "").strip()}


def members_summary(game: Cards, state: RoomState, activity: CardsActivity, group: int, lang: str) -> list[str]:
    def names(cards: list[str]) -> str:
        return ", ".join(game.label_of(activity, c, lang) for c in cards[:6])

    lines: list[str] = []
    profile = team_profile(game, state, activity, group)
    for entry in profile:
        parts = [names(entry.agreed)] if entry.agreed else []
        if entry.mentioned:
            parts.append(translate(lang, "genoemd door sommigen: {cards}", cards=names(entry.mentioned)))
        if parts:
            lines.append(f"{entry.name}: " + " · ".join(parts))
    outside = outside_names(state, activity, group)
    for card, people in outside.items():
        lines.append(translate(lang, "{card}, buiten de groep: {people}", card=game.label_of(activity, card, lang),
                               people=people))
    if 0 < len(activity.deck) <= SMALL_DECK:  # a few types (best persons): which are there, which are missing
        named = {c for entry in profile for c in entry.agreed + entry.mentioned} | set(outside)
        missing = [c.label.get(lang) for c in activity.deck if c.id not in named]
        if named and missing:
            lines.append(translate(lang, "In het team: {named} van {types} typen; ontbreekt: {missing}",
                                   named=len(named), types=len(activity.deck), missing=", ".join(missing)))
        elif named:
            lines.append(translate(lang, "In het team: {named} van {types} typen", named=len(named),
                                   types=len(activity.deck)))
    if activity.joint:
        settled = sum(1 for c in activity.deck if joint(state, activity, c.id, group) is not None)
        if settled:
            lines.append(translate(lang, "Samen vastgesteld: {settled} van {cards} kaarten", settled=settled,
                                   cards=len(activity.deck)))
    if len(activity.deck) > SMALL_DECK:
        strengths = team_strengths(game, state, activity, group)
        if strengths:
            lines.append(translate(lang, "Samen eens over: {cards}", cards=", ".join(
                game.label_of(activity, c, lang) for c in strengths[:8])))
        gaps = team_gaps(game, state, activity, group)
        if gaps:
            lines.append(translate(lang, "Mist in het team: {cards}", cards=", ".join(
                game.label_of(activity, c, lang) for c in gaps[:8])))
    return lines


def room_counts(game: Cards, state: RoomState, activity: CardsActivity) -> tuple[list[int], Counter[str]]:
    """Small decks: per card, in how many groups it went to someone; large decks: how often each
    card was given jointly (settled, or agreed) across the groups."""
    groups = state.groups()
    profiles = {g: team_profile(game, state, activity, g) for g in groups}
    if len(activity.deck) <= SMALL_DECK:
        return [sum(1 for g in groups if any(card.id in e.agreed + e.mentioned for e in profiles[g]))
                for card in activity.deck], Counter()
    covered: Counter[str] = Counter()
    for g in groups:
        for entry in profiles[g]:
            covered.update(entry.agreed)
    return [], covered


def room_lines(game: Cards, state: RoomState, activity: CardsActivity, lang: str) -> list[str]:
    with_type, covered = room_counts(game, state, activity)
    if len(activity.deck) <= SMALL_DECK:
        return [translate(lang, "{card}: in {with_type} van {groups} groepen", card=card.label.get(lang),
                          with_type=n, groups=len(state.groups())) for card, n in zip(activity.deck, with_type,
                                                                                      strict=True)]
    return [translate(lang, "Vaakst samen toegekend: {cards}", cards=", ".join(
        f"{game.label_of(activity, c, lang)} ({n})" for c, n in covered.most_common(8)))] if covered else []


def room_bars(game: Cards, state: RoomState, activity: CardsActivity, lang: str) -> list[Bar]:
    with_type, covered = room_counts(game, state, activity)
    if len(activity.deck) <= SMALL_DECK:
        return [Bar(card.label.get(lang), n, len(state.groups())) for card, n in zip(activity.deck, with_type,
                                                                                     strict=True)]
    most = max(covered.values(), default=0)
    return [Bar(game.label_of(activity, c, lang), n, most) for c, n in covered.most_common(10)]


def joint_rows(game: Cards, state: RoomState, activity: CardsActivity, lang: str, row: Row) -> None:
    """The export's rows of the groups' joint decisions: one per settled card, without a member."""
    if not activity.joint:
        return
    for group in state.groups():
        for card in activity.deck:
            settled = joint(state, activity, card.id, group)
            if settled:
                targets = ", ".join(game.target_label(state, activity, x, lang)
                                    for x in in_join_order(state, settled))
                row(group, "", card.id, card.label.get(lang), "joint", targets)


def describe(event: Event, state: RoomState | None, activity: CardsActivity | None, lang: str) -> str | None:
    """The replay sentence of a joint decision."""
    if not isinstance(event, CardSettled):
        return None
    found = activity.card(event.card) if activity is not None else None
    card = found.label.get(lang) if found else event.card
    name = who(state, event.participant_id, lang)
    if not event.targets:
        return translate(lang, "{name} haalt het gezamenlijke besluit over {card} weg (groep {group})",
                         name=name, card=card, group=event.group)
    targets = ", ".join(translate(lang, "niemand") if x == NONE_TARGET else who(state, x, lang)
                        for x in in_join_order(state, event.targets))
    return translate(lang, "Groep {group} stelt samen vast: {card} past bij {targets} (door {name})",
                     group=event.group, card=card, targets=targets, name=name)
