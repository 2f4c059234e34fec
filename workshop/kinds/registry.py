"""Activity kind -> how the app shows it. A new kind is a module in this folder and a line here."""

from __future__ import annotations

from typing import Any

from rooms.templates import AnyActivity
from rooms.views import GroupView, HostView
from workshop.components.panels import Actions, Panel
from workshop.components.spotlight import HotspotEntry
from workshop.i18n import Tr
from workshop.kinds import agenda, cards, choice, practice, sliders, sort, text
from workshop.kinds.base import KindUI, ScreenBlock

KINDS: dict[str, KindUI[Any]] = {
    "sliders": sliders.KIND,
    "text": text.KIND,
    "cards": cards.KIND,
    "sort": sort.KIND,
    "choice": choice.KIND,
    "practice": practice.KIND,
    "agenda": agenda.KIND,
}


def kind_of(activity: AnyActivity) -> KindUI[Any]:
    return KINDS[activity.kind]


def build_panel(activity: AnyActivity, t: Tr, actions: Actions) -> Panel:
    return kind_of(activity).panel(activity, t, actions)


def host_block(group: GroupView, activity: AnyActivity | None, t: Tr) -> str:
    """The current activity's part of a group's card on the host page (nothing between activities)."""
    return kind_of(activity).host_block(group, activity, t) if activity is not None else ""


def hotspots(view: HostView, activity: AnyActivity | None, t: Tr) -> list[HotspotEntry]:
    return kind_of(activity).hotspots(view, activity, t) if activity is not None else []


def has_rounds(activity: AnyActivity | None) -> bool:
    return activity is not None and kind_of(activity).has_rounds(activity)


def screen_block(activity: AnyActivity, t: Tr) -> ScreenBlock:
    return kind_of(activity).screen_block(activity, t)
