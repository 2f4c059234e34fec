"""The registry: an activity's ``kind`` (from the template) -> the module that knows that kind.

A new kind is a template model in ``rooms.templates``, a module here with a ``KIND`` and one line
below; the app's own registry (``workshop.kinds``) adds its phone panel, host card and screen block.
"""

from __future__ import annotations

from typing import Any

from rooms.kinds import agenda, cards, choice, practice, sliders, sort, text
from rooms.kinds.base import Kind
from rooms.templates import AnyActivity

KINDS: dict[str, Kind[Any]] = {
    "sliders": sliders.KIND,
    "text": text.KIND,
    "cards": cards.KIND,
    "sort": sort.KIND,
    "choice": choice.KIND,
    "practice": practice.KIND,
    "agenda": agenda.KIND,
}


def kind_of(activity: AnyActivity) -> Kind[Any]:
    return KINDS[activity.kind]
