"""Who could take an action: the member whose competence cards fit the action's words best.

The workbook ends the competence game with "wie kan volgens het competentiespel een bepaalde
actie het beste uitvoeren?". This proposes one member per action, never decides: the group fills
*wie* itself (one tap on the proposal). Pure: the callers hand in what the group may know (the
cards the group revealed, ``rooms.gate``), and nothing here reads a room.

Words are lemmatised as the themes are (``rooms.clustering.lemmas``: simplemma, stop words left out).
An action word scores 2 for a card when the card's label or description has the same lemma, 1
when one contains the other's first five letters (Dutch compounds: *samenbrengen* holds *samen*
and *brengen*), 0 otherwise; a card's score is the sum over the action's words, doubled when the
whole group gave the card to the member (agreed) rather than some of it (mentioned). The member
with the best card wins; ties go to whoever has the fewest actions already (those whose *wie*
names them, and the proposals made for the actions before), then to the order of the group.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel

from rooms.clustering import lemmas

PREFIX = 5
AGREED, MENTIONED = 2, 1


@dataclass(frozen=True)
class Strength:
    """A card given to a member: its label (shown), the words matched (label and description),
    and how firmly the group gave it (``AGREED`` or ``MENTIONED``)."""

    label: str
    words: str
    weight: int


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    strengths: Sequence[Strength]


@dataclass(frozen=True)
class Task:
    """An action as far as the proposal needs it: its id, what it is, who has it now."""

    id: str
    what: str
    who: str = ""


class OwnerProposal(BaseModel):
    member: str
    name: str
    card: str  # the label of the card that fits the action best


@lru_cache(maxsize=4096)
def _terms(text: str, lang: str) -> frozenset[str]:
    return frozenset(lemmas(text, lang))


def fit(action: frozenset[str], card: frozenset[str]) -> int:
    """How well a card's words fit an action's words (see the module's text)."""
    score = 0
    for word in action:
        if word in card:
            score += 2
        elif any(_contains(word, other) or _contains(other, word) for other in card):
            score += 1
    return score


def _contains(long: str, short: str) -> bool:
    return len(short) >= PREFIX and long != short and short[:PREFIX] in long


def _named(who: str, name: str) -> bool:
    return bool(name.strip()) and re.search(rf"(?<!\w){re.escape(name.strip())}(?!\w)", who, re.IGNORECASE) is not None


def propose(tasks: Sequence[Task], members: Sequence[Member], lang: str = "nl") -> dict[str, OwnerProposal]:
    """Per action with a *what*: the member whose cards fit it best, with that card; an action
    no card fits gets no proposal. Only members of ``members`` are ever proposed."""
    load = [sum(1 for t in tasks if _named(t.who, m.name)) for m in members]
    out: dict[str, OwnerProposal] = {}
    for task in tasks:
        words = _terms(task.what, lang)
        if not words:
            continue
        best: tuple[int, int, int] | None = None  # (-score, load, order)
        card = ""
        for order, member in enumerate(members):
            scored = [(fit(words, _terms(s.words, lang)) * s.weight, s.label) for s in member.strengths]
            score, label = max(scored, default=(0, ""), key=lambda x: x[0])
            key = (-score, load[order], order)
            if score > 0 and (best is None or key < best):
                best, card = key, label
        if best is not None:
            chosen = members[best[2]]
            out[task.id] = OwnerProposal(member=chosen.id, name=chosen.name, card=card)
            if not task.who.strip():
                load[best[2]] += 1
    return out
