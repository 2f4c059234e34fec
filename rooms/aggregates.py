"""Aggregates: pure functions of a RoomState (means, spread, completion, divergence)."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from pydantic import BaseModel

from rooms import reveal
from rooms.models import RoomState
from rooms.templates import SlidersActivity


def mean(values: Sequence[int]) -> float | None:
    return fmean(values) if values else None


def spread(values: Sequence[int]) -> int | None:
    """max - min; None when nobody placed."""
    return max(values) - min(values) if values else None


def positions_of(state: RoomState, activity: str, item: str, participant_id: str) -> dict[str, int]:
    return state.placements.get(activity, {}).get(item, {}).get(participant_id, {})


def has_placed(state: RoomState, activity: SlidersActivity, item: str, participant_id: str) -> bool:
    """A member has placed an item once every position of it has a value."""
    mine = positions_of(state, activity.id, item, participant_id)
    return all(p in mine for p in activity.position_ids())



def is_revealed(state: RoomState, activity: SlidersActivity, item: str, group: int) -> bool:
    """Whether a group's positions on an item may be shown to the group and the room."""
    return reveal.status(state, activity, item, group).revealed


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
    """One group on one item. Kept per group until the group's work changes (``RoomState.memo``);
    the result is shared, so callers never change it."""
    return state.memo(("group-item", activity.id, item), group, lambda: _group_item(state, activity, item, group),
                      unit=(activity.id, item))


def _group_item(state: RoomState, activity: SlidersActivity, item: str, group: int) -> GroupItem:
    status = reveal.status(state, activity, item, group)
    placed = [m for m in state.members(group) if has_placed(state, activity, item, m.id)]
    values = [positions_of(state, activity.id, item, m.id) for m in placed]
    spreads = {pos: spread([v[pos] for v in values if pos in v]) for pos in activity.position_ids()}
    own = dict(spreads)  # a perspective's spread is shown (once two placed it), not flagged
    for perspective in activity.perspectives:
        placed_it = [v[perspective.id] for v in values if perspective.id in v]
        if len(placed_it) >= 2:
            spreads[perspective.id] = spread(placed_it)
    return GroupItem(
        group=group,
        placed=status.done,
        members=status.members,
        revealed=status.revealed,
        spreads=spreads,
        divergent=is_divergent(own, threshold(state, activity)),
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
        share = _group_share(state, activity, item, group)
        if share is None:
            continue
        included += 1
        for pos, collected in values.items():
            collected.extend(share[0][pos])
        if share[1] >= limit:
            diverging.append((group, share[1]))
    diverging.sort(key=lambda g: (-g[1], g[0]))
    return RoomItem(
        item=item,
        groups_included=included,
        means={pos: mean(v) for pos, v in values.items()},
        lows={pos: min(v) if v else None for pos, v in values.items()},
        highs={pos: max(v) if v else None for pos, v in values.items()},
        diverging=diverging,
    )


def _group_share(
    state: RoomState, activity: SlidersActivity, item: str, group: int
) -> tuple[dict[str, list[int]], int] | None:
    """A group's part in the room's aggregate: its members' values and its largest spread, or None
    while the group is not revealed. Kept per group, so the screen's ten redraws a second only
    recompute the groups that moved."""

    def compute() -> tuple[dict[str, list[int]], int] | None:
        result = group_item(state, activity, item, group)
        if not result.revealed or result.placed == 0:
            return None
        values: dict[str, list[int]] = {pos: [] for pos in activity.position_ids()}
        for member in state.members(group):
            mine = positions_of(state, activity.id, item, member.id)
            if has_placed(state, activity, item, member.id):
                for pos, collected in values.items():
                    collected.append(mine[pos])
        return values, result.max_spread

    return state.memo(("group-share", activity.id, item), group, compute, unit=(activity.id, item))


class Hotspot(BaseModel):
    """Where a facilitator should go and listen: one group on one item."""

    group: int
    item: str
    spread: int
    gap: int | None  # |mean goal - mean now| in the group, for two-position sliders
    revealed: bool


def hotspots(state: RoomState, activity: SlidersActivity, limit: int = 10) -> list[Hotspot]:
    """Groups × items ranked by divergence, then by the now→goal gap (the host sees all, revealed or not)."""
    found: list[Hotspot] = []
    positions = activity.position_ids()
    for group in state.groups():
        members = state.members(group)
        for item in activity.items:
            placed = [positions_of(state, activity.id, item.id, m.id) for m in members
                      if has_placed(state, activity, item.id, m.id)]
            if len(placed) < 2:
                continue
            widest = max(spread([p[pos] for p in placed]) or 0 for pos in positions)
            gap = None
            if len(positions) >= 2:
                now_mean = mean([p[positions[0]] for p in placed])
                goal_mean = mean([p[positions[1]] for p in placed])
                if now_mean is not None and goal_mean is not None:
                    gap = round(abs(goal_mean - now_mean))
            found.append(Hotspot(group=group, item=item.id, spread=widest, gap=gap,
                                 revealed=is_revealed(state, activity, item.id, group)))
    found.sort(key=lambda h: (-h.spread, -(h.gap or 0), h.group))
    return found[:limit]


class RoundChange(BaseModel):
    """A group's spread on one item in the round before and in the current round."""

    round: int
    before: dict[str, int | None]
    after: dict[str, int | None]
    converged: bool | None  # None while the current round is incomplete


def round_change(state: RoomState, activity: SlidersActivity, item: str, group: int) -> RoundChange | None:
    records = state.rounds.get(activity.id, {}).get(group, [])
    if not records:
        return None
    before_values = records[-1].before.get(item, {})
    if not before_values:
        return None
    before = {pos: spread([v[pos] for v in before_values.values() if pos in v]) for pos in activity.position_ids()}
    result = group_item(state, activity, item, group)
    after = result.spreads
    # complete, and its positions known to whoever asks (a cut-down state lacks unrevealed ones)
    complete = result.placed == result.members and all(after.get(p) is not None for p in activity.position_ids())
    converged = None
    if complete:
        converged = all((after.get(p) or 0) <= (before.get(p) or 0) for p in activity.position_ids())
    return RoundChange(round=len(records) + 1, before=before, after=after, converged=converged)
