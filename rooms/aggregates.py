"""Aggregates: pure functions of a RoomState (means, spread, completion, divergence)."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean
from statistics import median as _median

from pydantic import BaseModel

from rooms.models import Participant, RoomState
from rooms.templates import SlidersActivity


def mean(values: Sequence[int]) -> float | None:
    return fmean(values) if values else None


def median(values: Sequence[int]) -> float | None:
    return float(_median(values)) if values else None


def spread(values: Sequence[int]) -> int | None:
    """max - min; None when nobody placed."""
    return max(values) - min(values) if values else None


def positions_of(state: RoomState, activity: str, item: str, participant_id: str) -> dict[str, int]:
    return state.placements.get(activity, {}).get(item, {}).get(participant_id, {})


def has_placed(state: RoomState, activity: SlidersActivity, item: str, participant_id: str) -> bool:
    """A member has placed an item once every position of it has a value."""
    mine = positions_of(state, activity.id, item, participant_id)
    return all(p in mine for p in activity.position_ids())


def placed_members(state: RoomState, activity: SlidersActivity, item: str, members: list[Participant]) -> int:
    return sum(1 for m in members if has_placed(state, activity, item, m.id))


def _revealed(state: RoomState, activity: SlidersActivity, group: int, placed: int, members: int) -> bool:
    if activity.id in state.revealed_all or group in state.revealed_groups.get(activity.id, set()):
        return True
    return activity.reveal == "when-complete" and members > 0 and placed == members


def is_revealed(state: RoomState, activity: SlidersActivity, item: str, group: int) -> bool:
    """Whether a group's positions on an item may be shown to the group and the room."""
    members = state.members(group)
    return _revealed(state, activity, group, placed_members(state, activity, item, members), len(members))


def is_divergent(spreads: dict[str, int | None], threshold: int) -> bool:
    return any(s is not None and s >= threshold for s in spreads.values())


class GroupItem(BaseModel):
    """One group's result on one item (only meaningful to show once revealed)."""

    group: int
    placed: int
    members: int
    revealed: bool
    spreads: dict[str, int | None]
    divergent: bool

    @property
    def max_spread(self) -> int:
        return max((s for s in self.spreads.values() if s is not None), default=0)


def group_item(state: RoomState, activity: SlidersActivity, item: str, group: int) -> GroupItem:
    members = state.members(group)
    placed = [m for m in members if has_placed(state, activity, item, m.id)]
    spreads = {
        pos: spread([positions_of(state, activity.id, item, m.id)[pos] for m in placed])
        for pos in activity.position_ids()
    }
    return GroupItem(
        group=group,
        placed=len(placed),
        members=len(members),
        revealed=_revealed(state, activity, group, len(placed), len(members)),
        spreads=spreads,
        divergent=is_divergent(spreads, threshold(state, activity)),
    )


def threshold(state: RoomState, activity: SlidersActivity) -> int:
    """The divergence threshold: the activity's own, else the room's."""
    return activity.threshold if activity.threshold is not None else state.threshold


class RoomItem(BaseModel):
    """The room's aggregate on one item, over the groups that completed or were revealed."""

    item: str
    groups_included: int
    means: dict[str, float | None]
    lows: dict[str, int | None]
    highs: dict[str, int | None]
    # groups sorted by their largest spread, most divergent first
    diverging: list[tuple[int, int]]


def room_item(state: RoomState, activity: SlidersActivity, item: str) -> RoomItem:
    values: dict[str, list[int]] = {pos: [] for pos in activity.position_ids()}
    diverging: list[tuple[int, int]] = []
    included = 0
    limit = threshold(state, activity)
    for group in state.groups():
        result = group_item(state, activity, item, group)
        if not result.revealed or result.placed == 0:
            continue
        included += 1
        for member in state.members(group):
            mine = positions_of(state, activity.id, item, member.id)
            if has_placed(state, activity, item, member.id):
                for pos, collected in values.items():
                    collected.append(mine[pos])
        if result.max_spread >= limit:
            diverging.append((group, result.max_spread))
    diverging.sort(key=lambda g: (-g[1], g[0]))
    return RoomItem(
        item=item,
        groups_included=included,
        means={pos: mean(v) for pos, v in values.items()},
        lows={pos: min(v) if v else None for pos, v in values.items()},
        highs={pos: max(v) if v else None for pos, v in values.items()},
        diverging=diverging,
    )
