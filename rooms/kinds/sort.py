"""Sorting: each member puts every item in one of a few bins (or several, with ``multiple``),
independently first (*Sociale innovatie*: "already working on it" and/or "needs attention"), and
the group may describe each item in a text of its own (``describe``). The template model is
``rooms.templates.SortActivity``; the rules are the card game's (``rooms.kinds.cards``) with bins.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rooms.kinds.cards import CardGame
from rooms.templates import Card, SortActivity

if TYPE_CHECKING:
    from rooms.models import RoomState


DESCRIBE_MAX = 1000


def describe_field(item: str) -> str:
    """The group's text about one item."""
    return f"item-{item}"


class Sort(CardGame[SortActivity]):
    name = "sort"

    def pool(self, activity: SortActivity) -> list[Card]:
        return activity.items

    def target_pool(self, activity: SortActivity) -> list[Card] | None:
        return activity.bins

    def multiple(self, activity: SortActivity) -> bool:
        return activity.multiple

    def text_target(self, activity: SortActivity, field: str) -> tuple[str, int] | None:
        if activity.describe is not None and any(field == describe_field(i.id) for i in activity.items):
            return "group", DESCRIBE_MAX
        return None

    def summary(self, state: RoomState, activity: SortActivity, group: int, lang: str) -> list[str]:
        lines = []
        for item in activity.items:
            result = self.result(state, activity, item.id, group)
            if not result.choices:
                continue
            counts = Counter(x for targets in result.choices.values() for x in targets)
            placed = ", ".join(f"{self.target_label(state, activity, b, lang)} {n}×" for b, n in counts.most_common())
            flag = " ⚠" if result.divergent else ""
            lines.append(f"{item.label.get(lang)}: {placed}{flag}")
        texts = state.group_texts(activity.id, group)
        for item in activity.items:
            if texts.get(describe_field(item.id)):
                lines.append(f"{item.label.get(lang)}: {texts[describe_field(item.id)]}")
        return lines

    def room_lines(self, state: RoomState, activity: SortActivity, lang: str) -> list[str]:
        lines = []
        for item in activity.items:
            counts: Counter[str] = Counter()
            for g in state.groups():
                result = self.result(state, activity, item.id, g)
                if result.revealed:
                    counts.update(x for targets in result.choices.values() for x in targets)
            if counts:
                lines.append(f"{item.label.get(lang)}: " + ", ".join(
                    f"{self.target_label(state, activity, b.id, lang)} {counts[b.id]}" for b in activity.bins))
        return lines


KIND = Sort()
