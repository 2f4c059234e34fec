"""Text: fields a group writes together (the case), or each member for themselves. The template
model is ``rooms.templates.TextActivity``. A member's own texts reach nobody but the host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rooms import reveal
from rooms.i18n import translate
from rooms.kinds.base import WHOLE, Kind, Row, text_rows, written
from rooms.models import TEXT_MAX, group_owner
from rooms.templates import TextActivity

if TYPE_CHECKING:
    from rooms.events import Event
    from rooms.models import RoomState


class Text(Kind[TextActivity]):
    name = "text"

    def text_target(self, activity: TextActivity, field: str) -> tuple[str, int] | None:
        spec = activity.field(field)
        return None if spec is None else (activity.scope, min(spec.max_length, TEXT_MAX))

    def progress(self, state: RoomState, activity: TextActivity, group: int) -> tuple[int, int]:
        members = state.members(group)
        if activity.scope == "member":
            owned = state.texts.get(activity.id, {})
            return sum(1 for m in members if owned.get(m.id)), len(members)
        texts = state.group_texts(activity.id, group)
        return sum(1 for f in activity.fields if texts.get(f.id)), len(activity.fields)

    def summary(self, state: RoomState, activity: TextActivity, group: int, lang: str) -> list[str]:
        if activity.scope == "member":
            owned = state.texts.get(activity.id, {})
            return [f"{m.name}: " + " · ".join(owned[m.id].values())
                    for m in state.members(group) if owned.get(m.id)]
        texts = state.group_texts(activity.id, group)
        return [texts[f.id] for f in activity.fields if texts.get(f.id)]

    def done_counts(self, state: RoomState, activity: TextActivity, group: int) -> dict[str, int]:
        """Whether the group has written: how many members (for oneself), or 1 (together).
        That someone wrote is public; what they wrote for themselves is not."""
        owned = state.texts.get(activity.id, {})
        if activity.scope == "member":
            return {WHOLE: sum(1 for m in state.members(group) if owned.get(m.id))}
        return {WHOLE: 1 if owned.get(group_owner(group)) else 0}

    def room_lines(self, state: RoomState, activity: TextActivity, lang: str) -> list[str]:
        groups = state.groups()
        written = sum(1 for g in groups if reveal.status(state, activity, WHOLE, g).done)
        return [translate(lang, "{written} van {groups} groepen hebben geschreven", written=written,
                          groups=len(groups))]

    def shows_empty_group(self, activity: TextActivity) -> bool:
        return True

    def fill(self, mine: RoomState, ours: RoomState, activity: TextActivity, pid: str, view: Any,
             lang: str) -> None:
        owner = pid if activity.scope == "member" else group_owner(mine.participants[pid].group)
        view.texts = dict(mine.texts.get(activity.id, {}).get(owner, {}))

    def describe(self, event: Event, state: RoomState | None, activity: TextActivity | None,
                 lang: str) -> str | None:
        fields = {f.id: f.label.get(lang) for f in activity.fields} if activity is not None else {}
        return written(event, state, fields, lang)

    def export_rows(self, state: RoomState, activity: TextActivity, lang: str, row: Row) -> None:
        text_rows(state, activity.id, row)


KIND = Text()
