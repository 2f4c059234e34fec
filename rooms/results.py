"""Results of the exercises other than sliders: cards, sorting, choices, practice, texts, the agenda.

Pure functions of a RoomState, like ``rooms.aggregates``. ``summary`` turns a group's
result into short lines of text (in the person's language): the host's cards, the
screen's group cards and the agenda's pre-filled fields all use it.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from rooms import aggregates
from rooms.commands import NONE_TARGET
from rooms.models import NOTES_FIELD_PREFIX, OWN_FIELD_PREFIX, RoomState
from rooms.templates import (
    AgendaActivity,
    AnyActivity,
    Card,
    CardsActivity,
    ChoiceActivity,
    PracticeActivity,
    SlidersActivity,
    SortActivity,
    TextActivity,
)


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def _labelled(label: str, text: str) -> str:
    return f"{label} {text}" if label.endswith(("?", ":")) else f"{label}: {text}"


def _slot_order(field: str) -> int:
    tail = field.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


# -- cards and sorting ----------------------------------------------------------------------------


class DeckCard(BaseModel):
    id: str
    label: str  # the note's text for written cards; empty for template cards (the UI has the label)


def deck_for(state: RoomState, activity: CardsActivity | SortActivity, group: int) -> list[DeckCard]:
    """The cards a group works with: the template's deck, or the notes the group wrote."""
    if isinstance(activity, SortActivity):
        return [DeckCard(id=i.id, label="") for i in activity.items]
    cards = [DeckCard(id=c.id, label="") for c in activity.deck]
    if activity.notes is not None:
        notes = state.group_texts(activity.id, group)
        written = sorted((f for f in notes if f.startswith(NOTES_FIELD_PREFIX)), key=_slot_order)
        cards += [DeckCard(id=f, label=notes[f]) for f in written]
    return cards


def card_label(activity: CardsActivity | SortActivity, card: DeckCard, lang: str) -> str:
    if card.label:
        return card.label
    pool: list[Card] = activity.items if isinstance(activity, SortActivity) else activity.deck
    spec = next((c for c in pool if c.id == card.id), None)
    return spec.label.get(lang) if spec else card.id


def target_label(state: RoomState, activity: CardsActivity | SortActivity, target: str, lang: str) -> str:
    if isinstance(activity, SortActivity):
        pool = activity.bins
    elif activity.targets == "categories":
        pool = activity.categories
    else:
        if target == NONE_TARGET:
            return _t(lang, "niemand", "nobody")
        member = state.participants.get(target)
        return member.name if member else "?"
    spec = next((c for c in pool if c.id == target), None)
    return spec.label.get(lang) if spec else target


class CardResult(BaseModel):
    """One group's choices for one card."""

    card: str
    assigned: int
    members: int
    revealed: bool
    choices: dict[str, list[str]]  # participant -> targets (of the members who assigned)
    agreed: list[str]  # targets every member who assigned chose
    divergent: bool


def card_result(state: RoomState, activity: CardsActivity | SortActivity, card: str, group: int) -> CardResult:
    members = state.members(group)
    by_member = state.cards.get(activity.id, {}).get(card, {})
    choices = {m.id: by_member[m.id] for m in members if m.id in by_member}
    sets = [set(v) for v in choices.values()]
    agreed = sorted(set.intersection(*sets)) if sets else []
    return CardResult(
        card=card,
        assigned=len(choices),
        members=len(members),
        revealed=aggregates.revealed(state, activity, group, len(choices), len(members)),
        choices=choices,
        agreed=agreed,
        divergent=len(sets) >= 2 and any(s != sets[0] for s in sets[1:]),
    )


def cards_done(state: RoomState, activity: CardsActivity | SortActivity, group: int) -> int:
    """How many members of the group have assigned every card."""
    deck = [c.id for c in deck_for(state, activity, group)]
    if not deck:
        return 0
    assigned = state.cards.get(activity.id, {})
    return sum(1 for m in state.members(group) if all(m.id in assigned.get(c, {}) for c in deck))


def target_counts(
    state: RoomState, activity: CardsActivity | SortActivity, group: int, public: bool = False
) -> Counter[str]:
    """Per target: on how many cards at least one member chose it (revealed cards only if ``public``)."""
    counts: Counter[str] = Counter()
    for card in deck_for(state, activity, group):
        result = card_result(state, activity, card.id, group)
        if public and not result.revealed:
            continue
        for target in {t for targets in result.choices.values() for t in targets}:
            counts[target] += 1
    return counts


class ProfileEntry(BaseModel):
    member: str
    name: str
    agreed: list[str]  # cards everyone who assigned gave to this member
    mentioned: list[str]  # cards someone (not all) gave to this member


def team_profile(state: RoomState, activity: CardsActivity, group: int, public: bool = False) -> list[ProfileEntry]:
    """Per member of the group: the cards the group agrees fit them, and the ones only some chose."""
    entries = {m.id: ProfileEntry(member=m.id, name=m.name, agreed=[], mentioned=[]) for m in state.members(group)}
    for card in deck_for(state, activity, group):
        result = card_result(state, activity, card.id, group)
        if public and not result.revealed:
            continue
        named = {t for targets in result.choices.values() for t in targets}
        for target in named:
            entry = entries.get(target)
            if entry is None:
                continue
            (entry.agreed if target in result.agreed else entry.mentioned).append(card.id)
    return list(entries.values())


def team_strengths(state: RoomState, activity: CardsActivity, group: int, public: bool = False) -> list[str]:
    """Cards the whole group agrees on (every member who assigned named the same people, not nobody)."""
    out = []
    for card in deck_for(state, activity, group):
        result = card_result(state, activity, card.id, group)
        if public and not result.revealed:
            continue
        if result.assigned >= 2 and not result.divergent and result.agreed and NONE_TARGET not in result.agreed:
            out.append(card.id)
    return out


# -- choices --------------------------------------------------------------------------------------


class ChoiceResult(BaseModel):
    chosen_by: dict[str, list[str]]  # option -> members who chose it
    done: int
    members: int
    revealed: bool
    own: dict[str, str]  # own-N -> the text the group gave it
    divergent: bool


def choice_result(state: RoomState, activity: ChoiceActivity, group: int) -> ChoiceResult:
    members = state.members(group)
    chosen = state.choices.get(activity.id, {})
    texts = state.group_texts(activity.id, group)
    own = {f: texts[f] for f in sorted((f for f in texts if f.startswith(OWN_FIELD_PREFIX)), key=_slot_order)}
    valid = {o.id for o in activity.options} | set(own)
    chosen_by: dict[str, list[str]] = {}
    done = 0
    for m in members:
        mine = [o for o in chosen.get(m.id, []) if o in valid]
        if mine:
            done += 1
        for option in mine:
            chosen_by.setdefault(option, []).append(m.id)
    return ChoiceResult(
        chosen_by=chosen_by,
        done=done,
        members=len(members),
        revealed=aggregates.revealed(state, activity, group, done, len(members)),
        own=own,
        divergent=done >= 2 and any(len(who) < done for who in chosen_by.values()),
    )


def option_label(activity: ChoiceActivity, result: ChoiceResult, option: str, lang: str) -> str:
    if option in result.own:
        return result.own[option]
    spec = next((o for o in activity.options if o.id == option), None)
    return spec.label.get(lang) if spec else option


# -- practice -------------------------------------------------------------------------------------


class PracticeResult(BaseModel):
    round: int
    observer: str | None
    talkers: list[str]
    started_at: float | None
    ends_at: float | None
    rounds_done: int
    ticked: list[str]  # steps the observer ticked this round
    tips: str


def practice_result(state: RoomState, activity: PracticeActivity, group: int) -> PracticeResult:
    members = state.members(group)
    number = state.round_of(activity.id, group)
    records = state.rounds.get(activity.id, {}).get(group, [])
    started = records[-1].ended_at if records else state.started_at.get(activity.id)
    observer = members[(number - 1) % len(members)] if members else None
    texts = state.group_texts(activity.id, group)
    prefix = f"r{number}-step-"
    return PracticeResult(
        round=number,
        observer=observer.id if observer else None,
        talkers=[m.id for m in members if observer is None or m.id != observer.id],
        started_at=started,
        ends_at=None if started is None else started + activity.round_minutes * 60,
        rounds_done=len(records),
        ticked=[s.id for s in activity.steps if texts.get(prefix + s.id)],
        tips=texts.get(f"r{number}-tips", ""),
    )


# -- progress -------------------------------------------------------------------------------------


def progress(state: RoomState, activity: AnyActivity, group: int) -> tuple[int, int]:
    """(done, of): members done, or fields filled, or rounds practised: what the host's "klaar" shows."""
    members = state.members(group)
    if isinstance(activity, SlidersActivity):
        done = sum(1 for m in members if all(aggregates.has_placed(state, activity, i.id, m.id)
                                              for i in activity.items))
        return done, len(members)
    if isinstance(activity, CardsActivity | SortActivity):
        return cards_done(state, activity, group), len(members)
    if isinstance(activity, ChoiceActivity):
        return choice_result(state, activity, group).done, len(members)
    if isinstance(activity, PracticeActivity):
        return len(state.rounds.get(activity.id, {}).get(group, [])), len(members)
    if isinstance(activity, TextActivity):
        if activity.scope == "member":
            owned = state.texts.get(activity.id, {})
            return sum(1 for m in members if owned.get(m.id)), len(members)
        texts = state.group_texts(activity.id, group)
        return sum(1 for f in activity.fields if texts.get(f.id)), len(activity.fields)
    texts = state.group_texts(activity.id, group)
    filled = sum(1 for f in activity.fields if texts.get(f.id))
    return filled + (1 if actions(state, activity, group) else 0), len(activity.fields) + (1 if activity.actions else 0)


def is_divergent(state: RoomState, activity: AnyActivity, group: int) -> bool:
    """Whether the group differs anywhere in this activity (only what the group itself may see)."""
    if isinstance(activity, SlidersActivity):
        return any(
            (g := aggregates.group_item(state, activity, i.id, group)).revealed and g.divergent for i in activity.items
        )
    if isinstance(activity, CardsActivity | SortActivity):
        return any(
            (c_r := card_result(state, activity, c.id, group)).revealed and c_r.divergent
            for c in deck_for(state, activity, group)
        )
    if isinstance(activity, ChoiceActivity):
        chosen = choice_result(state, activity, group)
        return chosen.revealed and chosen.divergent
    return False


# -- the agenda -----------------------------------------------------------------------------------


class Action(BaseModel):
    id: str  # action-N
    what: str = ""
    who: str = ""
    with_: str = ""
    when: str = ""
    measure: str = ""


def actions(state: RoomState, activity: AgendaActivity, group: int) -> list[Action]:
    texts = state.group_texts(activity.id, group)
    found: dict[str, Action] = {}
    for field, text in texts.items():
        if not field.startswith("action-"):
            continue
        _, number, part = field.split("-", 2)
        action = found.setdefault(f"action-{number}", Action(id=f"action-{number}"))
        setattr(action, "with_" if part == "with" else part, text)
    return sorted(found.values(), key=lambda a: _slot_order(a.id))


def agenda_fields(state: RoomState, activity: AgendaActivity, group: int, lang: str) -> dict[str, tuple[str, bool]]:
    """Each field's text and whether it is still the pre-fill (nobody wrote in it yet)."""
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
            lines = summary(state, source, group, lang, public=False)
            if lines:
                parts.append("\n".join(lines))
        out[field.id] = ("\n\n".join(parts)[: field.max_length], True)
    return out


def owner_suggestions(state: RoomState, activity: AgendaActivity, group: int, lang: str) -> list[tuple[str, str]]:
    """(name, strengths) per member, from the competence game, to help pick who takes an action."""
    source = state.template.activity(activity.suggest_from) if activity.suggest_from else None
    if not isinstance(source, CardsActivity):
        return []
    out = []
    for entry in team_profile(state, source, group):
        cards = (entry.agreed + entry.mentioned)[:4]
        labels = [card_label(source, DeckCard(id=c, label=""), lang) for c in cards]
        out.append((entry.name, ", ".join(labels)))
    return out


# -- summaries ------------------------------------------------------------------------------------


def summary(state: RoomState, activity: AnyActivity, group: int, lang: str, public: bool = False) -> list[str]:
    """A group's result in a few lines. ``public``: only what the group has revealed (for the screen)."""
    if isinstance(activity, TextActivity):
        if activity.scope == "member":
            owned = state.texts.get(activity.id, {})
            return [
                f"{m.name}: " + " · ".join(owned.get(m.id, {}).values())
                for m in state.members(group) if owned.get(m.id)
            ]
        texts = state.group_texts(activity.id, group)
        return [texts[f.id] for f in activity.fields if texts.get(f.id)]
    if isinstance(activity, SlidersActivity):
        return _sliders_summary(state, activity, group, lang, public)
    if isinstance(activity, CardsActivity):
        return _cards_summary(state, activity, group, lang, public)
    if isinstance(activity, SortActivity):
        lines = []
        for item in activity.items:
            result = card_result(state, activity, item.id, group)
            if not result.choices or (public and not result.revealed):
                continue
            counts = Counter(t for targets in result.choices.values() for t in targets)
            placed = ", ".join(f"{target_label(state, activity, b, lang)} {n}×" for b, n in counts.most_common())
            flag = " ⚠" if result.divergent else ""
            lines.append(f"{item.label.get(lang)}: {placed}{flag}")
        return lines
    if isinstance(activity, ChoiceActivity):
        chosen = choice_result(state, activity, group)
        lines = []
        if chosen.chosen_by and (chosen.revealed or not public):
            ranked = sorted(chosen.chosen_by.items(), key=lambda kv: -len(kv[1]))
            lines.append(
                _t(lang, "Gekozen: ", "Chosen: ")
                + ", ".join(f"{option_label(activity, chosen, o, lang)} ({len(who)})" for o, who in ranked)
            )
        texts = state.group_texts(activity.id, group)
        lines += [texts[f.id] for f in activity.fields if texts.get(f.id)]
        return lines
    if isinstance(activity, PracticeActivity):
        done = len(state.rounds.get(activity.id, {}).get(group, []))
        return [_t(lang, f"{done} rondes geoefend", f"{done} rounds practised")] if done else []
    return _agenda_summary(state, activity, group, lang)


def _sliders_summary(state: RoomState, activity: SlidersActivity, group: int, lang: str, public: bool) -> list[str]:
    lines: list[str] = []
    positions = activity.positions
    gaps: list[tuple[int, str]] = []
    for item in activity.items:
        result = aggregates.group_item(state, activity, item.id, group)
        if result.placed == 0 or (public and not result.revealed):
            continue
        members = [m for m in state.members(group) if aggregates.has_placed(state, activity, item.id, m.id)]
        values = {p.id: [aggregates.positions_of(state, activity.id, item.id, m.id)[p.id] for m in members]
                  for p in positions}
        means = {p: aggregates.mean(v) for p, v in values.items()}
        shown = " → ".join(
            f"{p.short_label().get(lang)} {round(m)}" for p in positions if (m := means[p.id]) is not None
        )
        widest = result.max_spread
        flag = _t(lang, f" (verschil {widest})", f" (spread {widest})") if result.divergent else ""
        lines.append(f"{item.label.get(lang)}: {shown}{flag}")
        first, second = (means[p.id] for p in positions[:2]) if len(positions) >= 2 else (None, None)
        if first is not None and second is not None:
            gaps.append((round(abs(second - first)), item.label.get(lang)))
    if gaps:
        gaps.sort(reverse=True)
        lines.append(_t(lang, "Grootste afstand nu → beoogd: ", "Largest gap now → goal: ")
                     + ", ".join(f"{label} ({gap})" for gap, label in gaps[:2]))
    return lines


def _cards_summary(state: RoomState, activity: CardsActivity, group: int, lang: str, public: bool) -> list[str]:
    lines: list[str] = []
    if activity.targets == "categories":
        notes = [c for c in deck_for(state, activity, group) if c.label]
        if notes and activity.notes is not None:
            lines.append(activity.notes.label.get(lang) + ": " + "; ".join(n.label for n in notes))
        counts = target_counts(state, activity, group, public)
        if counts:
            lines.append(_t(lang, "Meeste spanningen: ", "Most tensions: ") + ", ".join(
                f"{target_label(state, activity, c, lang)} ({n})" for c, n in counts.most_common(3)))
        rating = activity.rating_sliders()
        if rating is not None:
            rated = []
            for item in rating.items:
                r = aggregates.group_item(state, rating, item.id, group)
                if r.placed and (r.revealed or not public):
                    values = [aggregates.positions_of(state, rating.id, item.id, m.id).get("rating")
                              for m in state.members(group)]
                    avg = aggregates.mean([v for v in values if v is not None])
                    if avg is not None:
                        rated.append((round(avg), item.label.get(lang)))
            if rated:
                rated.sort()
                lines.append(_t(lang, "Zwakste bouwstenen: ", "Weakest blocks: ")
                             + ", ".join(f"{label} ({value})" for value, label in rated[:3]))
        if activity.actions is not None:
            text = state.group_texts(activity.id, group).get(activity.actions.id)
            if text:
                lines.append(_labelled(activity.actions.label.get(lang), text))
        return lines
    def names(cards: list[str]) -> str:
        return ", ".join(card_label(activity, DeckCard(id=c, label=""), lang) for c in cards[:6])

    for entry in team_profile(state, activity, group, public):
        parts = [names(entry.agreed)] if entry.agreed else []
        if entry.mentioned:
            parts.append(_t(lang, "genoemd door sommigen: ", "named by some: ") + names(entry.mentioned))
        if parts:
            lines.append(f"{entry.name}: " + " · ".join(parts))
    if 0 < len(activity.deck) <= 8:  # a few types (best persons): which are in the team, which are missing
        profile = team_profile(state, activity, group, public)
        named = {c for entry in profile for c in entry.agreed + entry.mentioned}
        missing = [c.label.get(lang) for c in activity.deck if c.id not in named]
        if named:
            lines.append(_t(lang, f"In het team: {len(named)} van {len(activity.deck)} typen",
                            f"In the team: {len(named)} of {len(activity.deck)} types")
                         + (_t(lang, "; ontbreekt: ", "; missing: ") + ", ".join(missing) if missing else ""))
    strengths = team_strengths(state, activity, group, public)
    if strengths and len(activity.deck) > 8:
        lines.append(_t(lang, "Samen eens over: ", "Agreed on: ") + ", ".join(
            card_label(activity, DeckCard(id=c, label=""), lang) for c in strengths[:8]))
    return lines


def _agenda_summary(state: RoomState, activity: AgendaActivity, group: int, lang: str) -> list[str]:
    texts = state.group_texts(activity.id, group)
    lines = [_labelled(f.label.get(lang), texts[f.id]) for f in activity.fields if texts.get(f.id)]
    for action in actions(state, activity, group):
        if action.what:
            extra = ", ".join(x for x in (action.who, action.when) if x)
            lines.append("• " + action.what + (f" ({extra})" if extra else ""))
    return lines


# -- the room on the screen -----------------------------------------------------------------------


def room_lines(state: RoomState, activity: AnyActivity, lang: str) -> list[str]:
    """The whole room's result in a few lines, from what groups have revealed."""
    groups = state.groups()
    if isinstance(activity, TextActivity):
        written = sum(1 for g in groups if summary(state, activity, g, lang))
        return [_t(lang, f"{written} van {len(groups)} groepen hebben geschreven",
                   f"{written} of {len(groups)} groups have written")]
    if isinstance(activity, CardsActivity) and activity.targets == "categories":
        total: Counter[str] = Counter()
        for g in groups:
            total.update(target_counts(state, activity, g, public=True))
        return [f"{target_label(state, activity, c, lang)}: {n}" for c, n in total.most_common()]
    if isinstance(activity, CardsActivity):
        covered: Counter[str] = Counter()
        for g in groups:
            for entry in team_profile(state, activity, g, public=True):
                covered.update(entry.agreed)
        if len(activity.deck) <= 8:
            lines = []
            for card in activity.deck:
                with_type = sum(
                    1 for g in groups
                    if any(card.id in e.agreed + e.mentioned for e in team_profile(state, activity, g, True))
                )
                lines.append(_t(lang, f"{card.label.get(lang)}: in {with_type} van {len(groups)} groepen",
                                f"{card.label.get(lang)}: in {with_type} of {len(groups)} groups"))
            return lines
        return [_t(lang, "Vaakst samen toegekend: ", "Most often agreed: ") + ", ".join(
            f"{card_label(activity, DeckCard(id=c, label=''), lang)} ({n})" for c, n in covered.most_common(8))
        ] if covered else []
    if isinstance(activity, SortActivity):
        lines = []
        for item in activity.items:
            counts: Counter[str] = Counter()
            for g in groups:
                result = card_result(state, activity, item.id, g)
                if result.revealed:
                    counts.update(t for targets in result.choices.values() for t in targets)
            if counts:
                lines.append(f"{item.label.get(lang)}: " + ", ".join(
                    f"{target_label(state, activity, b.id, lang)} {counts[b.id]}" for b in activity.bins))
        return lines
    if isinstance(activity, ChoiceActivity):
        per_option: Counter[str] = Counter()
        for g in groups:
            chosen = choice_result(state, activity, g)
            if chosen.revealed:
                per_option.update(option_label(activity, chosen, o, lang) for o in chosen.chosen_by)
        return [_t(lang, f"{label}: {n} groepen", f"{label}: {n} groups") for label, n in per_option.most_common(10)]
    if isinstance(activity, PracticeActivity):
        done = sum(len(state.rounds.get(activity.id, {}).get(g, [])) for g in groups)
        return [_t(lang, f"{done} rondes geoefend in {len(groups)} groepen",
                   f"{done} rounds practised in {len(groups)} groups")]
    if isinstance(activity, AgendaActivity):
        count = sum(len([a for a in actions(state, activity, g) if a.what]) for g in groups)
        return [_t(lang, f"{count} acties afgesproken", f"{count} actions agreed")]
    return []
