"""Visibility: what each viewer may see of a room, decided here and nowhere else.

A participant never receives another member's position before the group has
completed the item (or the host revealed it); the screen gets aggregates and
only revealed groups; the host sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from rooms import aggregates
from rooms.models import RoomState
from rooms.templates import SlidersActivity


@dataclass(frozen=True)
class ParticipantViewer:
    participant_id: str


@dataclass(frozen=True)
class HostViewer:
    pass


@dataclass(frozen=True)
class ScreenViewer:
    pass


Viewer = ParticipantViewer | HostViewer | ScreenViewer


class Marker(BaseModel):
    participant_id: str
    name: str
    values: dict[str, int]
    reason: str = ""
    is_me: bool = False


class ItemView(BaseModel):
    id: str
    placed: int
    members: int
    mine: dict[str, int]
    my_reason: str
    revealed: bool
    markers: list[Marker]
    spreads: dict[str, int | None]
    divergent: bool


class ParticipantView(BaseModel):
    participant_id: str
    name: str
    group: int
    group_names: list[str]
    activity: str | None
    status: str | None
    threshold: int
    items: list[ItemView]


class GroupView(BaseModel):
    group: int
    members: list[Marker]
    items: dict[str, aggregates.GroupItem]
    item_markers: dict[str, list[Marker]]


class HostView(BaseModel):
    activity: str | None
    status: str | None
    threshold: int
    groups: list[GroupView]


class ScreenItem(BaseModel):
    id: str
    means: dict[str, int | None]
    lows: dict[str, int | None]
    highs: dict[str, int | None]
    groups_included: int
    diverging: list[tuple[int, int]]


class ScreenView(BaseModel):
    mode: str
    activity: str | None
    participants: int
    groups: int
    items: list[ScreenItem]
    # only when the screen shows one group and that group's item is revealed
    group: int | None = None
    group_markers: dict[str, list[Marker]] = {}


def current_sliders(state: RoomState) -> SlidersActivity | None:
    return state.template.activity(state.current) if state.current else None


def _markers(state: RoomState, activity: SlidersActivity, item: str, group: int, me: str | None) -> list[Marker]:
    reasons = state.reasons.get(activity.id, {}).get(item, {})
    return [
        Marker(
            participant_id=m.id,
            name=m.name,
            values=aggregates.positions_of(state, activity.id, item, m.id),
            reason=reasons.get(m.id, ""),
            is_me=m.id == me,
        )
        for m in state.members(group)
        if aggregates.has_placed(state, activity, item, m.id)
    ]


def participant_view(state: RoomState, participant_id: str) -> ParticipantView | None:
    me = state.participants.get(participant_id)
    if me is None:
        return None
    activity = current_sliders(state)
    members = state.members(me.group)
    items: list[ItemView] = []
    if activity is not None:
        for item in activity.items:
            result = aggregates.group_item(state, activity, item.id, me.group)
            revealed = result.revealed
            items.append(
                ItemView(
                    id=item.id,
                    placed=result.placed,
                    members=result.members,
                    mine=dict(aggregates.positions_of(state, activity.id, item.id, me.id)),
                    my_reason=state.reasons.get(activity.id, {}).get(item.id, {}).get(me.id, ""),
                    revealed=revealed,
                    # Only once revealed: before that no other member's position leaves the engine.
                    markers=_markers(state, activity, item.id, me.group, me.id) if revealed else [],
                    spreads=result.spreads if revealed else {},
                    divergent=result.divergent if revealed else False,
                )
            )
    return ParticipantView(
        participant_id=me.id,
        name=me.name,
        group=me.group,
        group_names=[m.name for m in members],
        activity=activity.id if activity else None,
        status=state.status.get(activity.id) if activity else None,
        threshold=aggregates.threshold(state, activity) if activity else state.threshold,
        items=items,
    )


def host_view(state: RoomState, only: set[int] | None = None) -> HostView:
    """Everything, for the facilitator; with ``only``, just those groups (the ones that changed)."""
    activity = current_sliders(state)
    groups: list[GroupView] = []
    for group in state.groups():
        if only is not None and group not in only:
            continue
        members = [
            Marker(participant_id=m.id, name=m.name, values={}) for m in state.members(group)
        ]
        items: dict[str, aggregates.GroupItem] = {}
        item_markers: dict[str, list[Marker]] = {}
        if activity is not None:
            for item in activity.items:
                items[item.id] = aggregates.group_item(state, activity, item.id, group)
                item_markers[item.id] = _markers(state, activity, item.id, group, None)
        groups.append(GroupView(group=group, members=members, items=items, item_markers=item_markers))
    return HostView(
        activity=activity.id if activity else None,
        status=state.status.get(activity.id) if activity else None,
        threshold=aggregates.threshold(state, activity) if activity else state.threshold,
        groups=groups,
    )


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def screen_view(state: RoomState) -> ScreenView:
    activity = current_sliders(state)
    items: list[ScreenItem] = []
    group_markers: dict[str, list[Marker]] = {}
    shown_group: int | None = None
    if state.screen.startswith("group:"):
        shown_group = int(state.screen.split(":", 1)[1])
    if activity is not None:
        for item in activity.items:
            room = aggregates.room_item(state, activity, item.id)
            items.append(
                ScreenItem(
                    id=item.id,
                    means={pos: _whole(v) for pos, v in room.means.items()},
                    lows=room.lows,
                    highs=room.highs,
                    groups_included=room.groups_included,
                    diverging=room.diverging,
                )
            )
            if shown_group is not None and aggregates.is_revealed(state, activity, item.id, shown_group):
                markers = _markers(state, activity, item.id, shown_group, None)
                group_markers[item.id] = [m.model_copy(update={"reason": ""}) for m in markers]
    return ScreenView(
        mode=state.screen,
        activity=activity.id if activity else None,
        participants=len(state.participants),
        groups=len(state.groups()),
        items=items,
        group=shown_group,
        group_markers=group_markers,
    )


def view_for(
    state: RoomState, viewer: Viewer
) -> ParticipantView | HostView | ScreenView | None:
    """What ``viewer`` may see of ``state``."""
    if isinstance(viewer, ParticipantViewer):
        return participant_view(state, viewer.participant_id)
    if isinstance(viewer, HostViewer):
        return host_view(state)
    return screen_view(state)
